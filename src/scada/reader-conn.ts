// One client connection inside a SCADA reader process: reads are answered at once from the local
// image; a write holds the connection (answers stay in request order) until the controller replies.
import type { Socket } from 'node:net';
import type { WriteAttempt } from './reader-ipc.js';
import { frameLength, MAX_FRAME_BYTES, MBAP_HEADER_BYTES } from './mbap.js';
import type { PduContext } from './pdu.js';
import { makeAnswer, MAX_PENDING_BYTES, UNIT_ANY, type Session } from './session.js';

const WRITE_FUNCTIONS: ReadonlySet<number> = new Set([0x05, 0x06, 0x0f, 0x10, 0x16, 0x17]);

export interface ReaderConnDeps {
  readonly unitId: number;
  /** The reader's status image, updated in place on every published scan. */
  readonly image: Buffer;
  /** Shared answer buffer: filled and copied out synchronously. */
  readonly scratch: Buffer;
  readonly counters: { requests: number; malformedClosed: number };
  readonly coarseNowMs: () => number;
  /** Registers 100–102 from the mirror of the controller's SBO state. */
  commandWord(ip: string, address: number): number;
  /** Forwards a write attempt; resolves with 0 or the exception code to answer. */
  forwardWrite(ip: string, origin: string, writesAllowed: boolean, attempt: WriteAttempt): Promise<number>;
  warn(msg: string, fields: Record<string, unknown>): void;
}

/** The ADU `adu` turned into an exception answer with `code` (same transaction, unit and function). */
function exceptionAdu(adu: Buffer, code: number): Buffer {
  const b = Buffer.from(adu.subarray(0, MBAP_HEADER_BYTES + 2));
  b[4] = 0;
  b[5] = 3;
  b[7] = (adu[7] ?? 0) | 0x80;
  b[8] = code;
  return b;
}

export function serveReaderConnection(socket: Socket, session: Session, ip: string, origin: string, writesAllowed: boolean, d: ReaderConnDeps): void {
  const out = d.scratch;
  // The PDU handler's write hooks only record here: the controller decides and logs (forwardWrite).
  let recorded: { write?: { address: number; value: number }; attempt?: WriteAttempt } = {};
  const ctx: PduContext = {
    status: d.image,
    writesAllowed,
    commandWord: (address) => d.commandWord(ip, address),
    write(address, value) {
      recorded.write = { address, value };
      return 0;
    },
    writeAttempt(fc, address, values, exception) {
      recorded.attempt = { fc, address, values: [...values], exception };
    },
  };
  const answer = makeAnswer(d.unitId, ctx);
  let pending: Buffer | undefined;
  let waiting = false;
  // As in the in-process server: reuse the last answer buffer when the kernel took it whole.
  let reusable: Buffer | undefined;
  const emit = (length: number): boolean => {
    const buf = reusable !== undefined && reusable.length === length ? reusable : Buffer.allocUnsafe(length);
    out.copy(buf, 0, 0, length);
    const flowing = socket.write(buf);
    reusable = socket.writableLength === 0 ? buf : undefined;
    return flowing;
  };

  function forward(buf: Buffer, at: number, n: number): void {
    recorded = {};
    const len = answer(buf, at, n - MBAP_HEADER_BYTES, out, 0);
    const adu = Buffer.from(out.subarray(0, len));
    const attempt: WriteAttempt = { fc: buf[at + 7] ?? 0, address: -1, values: [], exception: adu[8] ?? 0, ...recorded.attempt, ...(recorded.write ? { write: recorded.write } : {}) };
    waiting = true;
    socket.pause();
    d.forwardWrite(ip, origin, writesAllowed, attempt).then((code) => {
      waiting = false;
      if (socket.destroyed) return;
      socket.write(code === 0 ? adu : exceptionAdu(adu, code));
      socket.resume();
      pump();
    }, () => socket.destroy());
  }

  /** Answers the complete frames of `pending` up to the first write (which then holds the rest). */
  function pump(): void {
    const buf = pending;
    if (buf === undefined || waiting || socket.destroyed) return;
    pending = undefined;
    const now = d.coarseNowMs();
    let at = 0;
    let outLen = 0;
    let flowing = true;
    let incomplete = false;
    while (flowing && !waiting) {
      const n = frameLength(buf, at, buf.length);
      if (n < 0) {
        if (outLen > 0) emit(outLen);
        d.counters.malformedClosed++;
        d.warn('scada connection closed: malformed frame', { client: origin, reason: 'malformed' });
        socket.destroy();
        return;
      }
      if (n === 0) {
        incomplete = at < buf.length;
        break;
      }
      session.lastFrameMs = now;
      session.partialSinceMs = undefined;
      d.counters.requests++;
      const unit = buf[at + 6];
      if (WRITE_FUNCTIONS.has(buf[at + 7] ?? 0) && (unit === d.unitId || unit === UNIT_ANY)) {
        if (outLen > 0) flowing = emit(outLen);
        outLen = 0;
        forward(buf, at, n);
      } else {
        outLen += answer(buf, at, n - MBAP_HEADER_BYTES, out, outLen);
        if (out.length - outLen < MAX_FRAME_BYTES) {
          flowing = emit(outLen);
          outLen = 0;
        }
      }
      at += n;
    }
    if (outLen > 0) flowing = emit(outLen);
    if (at < buf.length) {
      // Copy: the chunk's memory belongs to the socket, and a slice would pin a whole 64 KiB read.
      pending = Buffer.from(buf.subarray(at));
      if (incomplete) session.partialSinceMs ??= now;
    }
    if (!flowing) socket.pause();
  }

  socket.on('data', (chunk: Buffer) => {
    if (socket.destroyed) return;
    if (pending !== undefined && pending.length + chunk.length > MAX_PENDING_BYTES) {
      d.counters.malformedClosed++;
      d.warn('scada connection closed: malformed frame', { client: origin, reason: 'overflow' });
      socket.destroy();
      return;
    }
    pending = pending === undefined ? chunk : Buffer.concat([pending, chunk]);
    pump();
  });
  socket.on('drain', () => {
    if (waiting || !socket.isPaused()) return;
    socket.resume();
    pump();
  });
}
