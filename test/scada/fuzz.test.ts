// Fuzzing the framer + PDU handler (pure, >100 000 frames) and the server through real sockets.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES } from '../../src/scada/mbap.js';
import { startScadaServer, type ScadaServer } from '../../src/scada/server.js';
import { fakeController, frame, rawClient, readPdu, scadaConfig, silentLogger, UPLINK_IDS } from './fakes.js';
import { fuzzStream, mbap, pureConnection, randomFrame, rng, testContext } from './fuzz-frames.js';

let framesSeen = 0;

/** Every answer is a well-formed MBAP frame: protocol 0, consistent length, a normal or exception PDU. */
function checkAnswer(a: Buffer): void {
  expect(a.readUInt16BE(2)).toBe(0);
  expect(a.readUInt16BE(4)).toBe(a.length - 6);
  const fcode = a[7] ?? 0;
  if (fcode & 0x80) {
    expect(a.length).toBe(9);
    expect([1, 2, 3, 0x0b]).toContain(a[8]);
  } else if (fcode === 3 || fcode === 4) {
    expect(a[8]).toBe(a.length - 9);
  } else {
    expect([6, 16]).toContain(fcode);
    expect(a.length).toBe(12);
  }
}

/** Splits a byte stream into chunks at the given cut points (as TCP may deliver it). */
function chunks(stream: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((x, y) => x - y);
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...at, stream.length]) {
    out.push(stream.subarray(prev, c));
    prev = c;
  }
  return out;
}

const validRead = mbap(0xbeef, 1, [3, 0, 0, 0, 3]);
function expectValidReadAnswered(conn: ReturnType<typeof pureConnection>): void {
  conn.push(validRead);
  const [a] = conn.take().slice(-1);
  expect(a && [...a]).toEqual([0xbe, 0xef, 0, 0, 0, 9, 1, 3, 6, 0, 0, 0, 1, 0, 2]);
}

const wellFramed = fc
  .record({
    tid: fc.integer({ min: 0, max: 0xffff }),
    unit: fc.oneof(fc.constant(1), fc.constant(255), fc.integer({ min: 0, max: 255 })),
    fcode: fc.integer({ min: 0, max: 255 }),
    body: fc.uint8Array({ maxLength: 252 }),
  })
  .map(({ tid, unit, fcode, body }) => mbap(tid, unit, Buffer.from([fcode, ...body])));

const mutated = fc
  .tuple(wellFramed, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'truncate', 'extend', 'length', 'protocol'))
  .map(([f, pos, byte, how]) => {
    const b = Buffer.from(f);
    const i = pos % b.length;
    if (how === 'flip') b[i] = byte;
    if (how === 'truncate') return b.subarray(0, i);
    if (how === 'extend') return Buffer.concat([b, Buffer.from([byte, byte ^ 0x55])]);
    if (how === 'length') b.writeUInt16BE((pos * 7919) & 0xffff, 4);
    if (how === 'protocol') b.writeUInt16BE(1 + (pos % 0xffff), 2);
    return b;
  });

const garbage = fc.uint8Array({ minLength: 1, maxLength: 40 }).map((u) => Buffer.from(u));

describe('fuzzing the pure framer + handler', () => {
  it('well-framed requests of every function code, unit id and body, in any chunking: one valid answer each, never a close', () => {
    fc.assert(
      fc.property(fc.array(wellFramed, { minLength: 1, maxLength: 60 }), fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), (frames, cuts, writes) => {
        framesSeen += frames.length;
        const conn = pureConnection(testContext(writes));
        for (const c of chunks(Buffer.concat(frames), cuts)) expect(conn.push(c)).toBe('ok');
        const answers = conn.take();
        expect(answers.map((a) => a.readUInt16BE(0))).toEqual(frames.map((f) => f.readUInt16BE(0)));
        answers.forEach(checkAnswer);
        expectValidReadAnswered(conn);
      }),
      { numRuns: 3000, seed: 1 },
    );
  });

  it('mutated frames, garbage, bad lengths and truncation: no throw, bounded buffer, server state intact', () => {
    const ctx = testContext(true);
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 3, arbitrary: wellFramed }, { weight: 3, arbitrary: mutated }, { weight: 1, arbitrary: garbage }), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (frames, cuts) => {
          framesSeen += frames.length;
          const conn = pureConnection(ctx);
          for (const c of chunks(Buffer.concat(frames), cuts)) {
            if (conn.closed) break;
            conn.push(c);
            expect(conn.session.pending?.length ?? 0).toBeLessThan(MAX_FRAME_BYTES);
          }
          conn.take().forEach(checkAnswer);
          expectValidReadAnswered(pureConnection(ctx));
        },
      ),
      { numRuns: 3000, seed: 2 },
    );
  });

  it('a seeded bulk run of hostile streams (at least 100 000 frames in all)', () => {
    const r = rng(7);
    const ctx = testContext(false);
    let conn = pureConnection(ctx);
    for (let i = 0; i < 100_000; i++) {
      if (conn.closed) conn = pureConnection(ctx);
      conn.push(randomFrame(r, 0.01));
      if (i % 1000 === 0) conn.take().forEach(checkAnswer);
    }
    framesSeen += 100_000;
    expectValidReadAnswered(pureConnection(ctx));
    expect(framesSeen).toBeGreaterThanOrEqual(130_000);
  });
});

describe('fuzzing through a real socket', () => {
  let server: ScadaServer;
  beforeAll(async () => {
    server = await startScadaServer({
      config: scadaConfig({ maxConnections: 16 }),
      controller: fakeController(),
      uplinkIds: UPLINK_IDS,
      logger: silentLogger(),
    });
  });
  afterAll(() => server.close());

  it('20 000 random and hostile frames over several connections: still answering afterwards', async () => {
    const r = await fuzzStream(server.port, 20_000, 3, 30_000);
    expect(r.frames).toBe(20_000);
    expect(r.validAnsweredAfter).toBe(true);
    const c = await rawClient(server.port);
    c.send(frame(5, 1, readPdu(4, 0, 1)));
    expect([...((await c.next())[0] ?? [])]).toEqual([0, 5, 0, 0, 0, 5, 1, 4, 2, 0, 1]);
    c.close();
  });

  it('a garbage-spewing client and slow clients do not stop a well-behaved one', async () => {
    const good = await rawClient(server.port);
    const noisy = await rawClient(server.port);
    const slow = await Promise.all([1, 2, 3].map(() => rawClient(server.port)));
    slow.forEach((s, i) => s.send(frame(i, 1, readPdu(3, 0, 1)).subarray(0, 5)));
    noisy.send(Buffer.concat([frame(1, 1, readPdu(3, 0, 1)), Buffer.alloc(100_000, 0xa5)]));
    await noisy.closed;
    good.send(frame(9, 1, readPdu(3, 0, 2)));
    expect([...((await good.next())[0] ?? Buffer.alloc(0)).subarray(9)]).toEqual([0, 1, 0, 0]);
    for (const s of [good, ...slow]) s.close();
  });
});
