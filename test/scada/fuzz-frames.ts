// Fuzz material shared by the fuzz tests and the bench: a seeded generator of valid, mutated and
// hostile MBAP frames, a socket-less session to push them through, and a socket driver.
import { connect, type Socket } from 'node:net';
import { newStatusImage } from '../../src/scada/image.js';
import type { PduContext } from '../../src/scada/pdu.js';
import { makeAnswer, newSession, serveChunk, type ServeResult } from '../../src/scada/session.js';
import { mulberry32 } from '../../sim/prng.js';

/** Small fast PRNG (mulberry32, shared with the simulator): reproducible from a seed. */
export const rng = mulberry32;

export function mbap(tid: number, unit: number, pdu: readonly number[] | Buffer, lengthField = pdu.length + 1, protocol = 0): Buffer {
  const b = Buffer.alloc(7 + pdu.length);
  b.writeUInt16BE(tid & 0xffff, 0);
  b.writeUInt16BE(protocol & 0xffff, 2);
  b.writeUInt16BE(lengthField & 0xffff, 4);
  b[6] = unit;
  for (let i = 0; i < pdu.length; i++) b[7 + i] = pdu[i] ?? 0;
  return b;
}

/** One frame; `hostile` is the share of frames that break framing (bad header, truncation, garbage). */
export function randomFrame(r: () => number, hostile: number): Buffer {
  const int = (n: number) => Math.floor(r() * n);
  const u16 = () => (r() < 0.5 ? int(130) : int(0x10000));
  const bytes = (n: number) => Array.from({ length: n }, () => int(256));
  const unit = r() < 0.9 ? 1 : int(256);
  if (r() < hostile) {
    switch (int(4)) {
      case 0:
        return mbap(int(65536), unit, bytes(int(8)), int(65536), 1 + int(65535)); // bad protocol id
      case 1:
        return mbap(int(65536), unit, bytes(int(8)), r() < 0.5 ? int(2) : 255 + int(65281)); // bad length
      case 2:
        return mbap(int(65536), unit, [3, 0, 0, 0, 10]).subarray(0, 1 + int(11)); // truncated
      default:
        return Buffer.from(bytes(1 + int(40))); // garbage between frames
    }
  }
  const tid = int(65536);
  switch (int(6)) {
    case 0:
      return mbap(tid, unit, [3 + int(2), ...be16(u16()), ...be16(u16())]);
    case 1:
      return mbap(tid, unit, [int(256), ...bytes(int(12))]);
    case 2:
      return mbap(tid, unit, [[5, 6, 15, 16, 22, 23][int(6)] ?? 6, ...be16(r() < 0.5 ? 100 + int(3) : u16()), ...bytes(int(10))]);
    case 3: {
      const qty = u16();
      return mbap(tid, unit, [16, ...be16(100 + int(2)), ...be16(qty), int(256), ...bytes(Math.min(240, int(2 * Math.min(qty, 130) + 2)))]);
    }
    case 4:
      return mbap(tid, unit, [3 + int(2), ...be16(int(110)), ...be16(1 + int(125))]);
    default:
      return mbap(tid, unit, bytes(1 + int(252)));
  }
}

const be16 = (v: number): [number, number] => [(v >> 8) & 0xff, v & 0xff];

/** A PDU context with writes allowed or not and a fixed image, recording command writes. */
export function testContext(writesAllowed: boolean): PduContext & { writes: number } {
  const status = newStatusImage();
  for (let i = 0; i < 100; i++) status.writeUInt16BE(i, 2 * i);
  const ctx = {
    status,
    writesAllowed,
    writes: 0,
    commandWord: (a: number) => a,
    write: (_a: number, v: number) => (ctx.writes++, v >= 1 && v <= 10 ? 0 : 3),
    writeAttempt: () => undefined,
  };
  return ctx;
}

/** A connection without a socket: chunks in (through a reused read buffer), answer frames out, as the server runs them. */
export function pureConnection(ctx: PduContext = testContext(true), unitId = 1) {
  const session = newSession(0);
  const answer = makeAnswer(unitId, ctx);
  const out = Buffer.alloc(64 * 1024);
  let answers = Buffer.alloc(0);
  let readBuffer = Buffer.alloc(64 * 1024);
  let last: ServeResult = 'ok';
  return {
    session,
    push(chunk: Buffer): ServeResult {
      // As on a socket: the chunk arrives in a read buffer that the next read overwrites.
      if (chunk.length > readBuffer.length) readBuffer = Buffer.alloc(chunk.length);
      chunk.copy(readBuffer);
      last = serveChunk(session, readBuffer, 0, answer, out, (a, n) => ((answers = Buffer.concat([answers, a.subarray(0, n)])), true), chunk.length);
      readBuffer.fill(0xaa);
      return last;
    },
    /** Whole answer frames received so far (and forgets them). */
    take(): Buffer[] {
      const frames: Buffer[] = [];
      let at = 0;
      while (answers.length - at >= 6 && answers.length - at >= 6 + answers.readUInt16BE(at + 4)) {
        const n = 6 + answers.readUInt16BE(at + 4);
        frames.push(answers.subarray(at, at + n));
        at += n;
      }
      answers = answers.subarray(at);
      return frames;
    },
    get closed() {
      return last === 'malformed' || last === 'overflow';
    },
  };
}

/** Drives `frames` fuzz frames through real sockets (reconnecting after each close), then checks a valid read is answered. */
export async function fuzzStream(
  port: number,
  frames: number,
  seed: number,
  timeoutMs: number,
): Promise<{ frames: number; connections: number; validAnsweredAfter: boolean }> {
  const r = rng(seed);
  const deadline = Date.now() + timeoutMs;
  let sent = 0;
  let connections = 0;
  const open = () =>
    new Promise<Socket>((res, rej) => {
      const s = connect(port, '127.0.0.1', () => res(s)).once('error', rej);
      s.on('data', () => undefined);
      s.on('error', () => undefined);
      connections++;
    });
  const worker = async () => {
    let s = await open();
    while (sent < frames && Date.now() < deadline) {
      if (s.destroyed || s.readyState !== 'open') s = await open();
      const batch: Buffer[] = [];
      for (let i = 0; i < 100 && sent < frames; i++, sent++) batch.push(randomFrame(r, 0.001));
      const ok = s.write(Buffer.concat(batch));
      // Yield every batch: the server may share this process, and a close must be seen to reconnect.
      if (!ok)
        await new Promise<void>((res) => {
          s.once('drain', res);
          s.once('close', res);
        });
      else await new Promise<void>((res) => setImmediate(res));
    }
    s.destroy();
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const s = await open();
  const answer = await new Promise<Buffer | undefined>((res) => {
    const timer = setTimeout(() => res(undefined), 5000);
    s.once('data', (d: Buffer) => {
      clearTimeout(timer);
      res(d);
    });
    s.write(mbap(42, 1, [3, 0, 0, 0, 1]));
  });
  s.destroy();
  return { frames: sent, connections, validAnsweredAfter: answer !== undefined && answer.readUInt16BE(0) === 42 && answer[7] === 3 };
}
