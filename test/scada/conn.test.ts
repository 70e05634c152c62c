// serveConnection on real loopback sockets: the shared read buffer, held frames, faults and the
// fallback when a socket's handle is not reachable.
import { createServer, type Server, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { adopt, serveConnection, type Conn, type ConnShared } from '../../src/scada/conn.js';
import { HELD, MBAP_HEADER_BYTES, type AnswerFrame } from '../../src/scada/mbap.js';
import { newSession } from '../../src/scada/session.js';
import { frame, rawClient, readPdu } from './fakes.js';

/** Answers every frame with its transaction id and first PDU byte, like a tiny device. */
const echo: AnswerFrame = (req, off, _pduLen, out, o) => {
  req.copy(out, o, off, off + MBAP_HEADER_BYTES + 1);
  out[o + 4] = 0;
  out[o + 5] = 2;
  return MBAP_HEADER_BYTES + 1;
};

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  servers = [];
});

interface Harness {
  port: number;
  conns: Conn[];
  accepted: Socket[];
  faults: unknown[];
  bad: string[];
}

async function serve(answerFor: (i: number) => AnswerFrame, shared?: Partial<ConnShared>): Promise<Harness> {
  const h: Harness = { port: 0, conns: [], accepted: [], faults: [], bad: [] };
  const sh: ConnShared = { readBuffer: Buffer.alloc(64), scratch: Buffer.alloc(4096), nowMs: () => 0, ...shared };
  const server = createServer({ pauseOnConnect: true }, (s) => {
    const i = h.conns.length;
    h.accepted.push(s);
    const c = serveConnection(s, sh, { session: newSession(0), answer: answerFor(i), onBadInput: (r) => h.bad.push(r), onFault: (e) => h.faults.push(e) });
    c.socket.on('error', () => undefined);
    h.conns.push(c);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  h.port = typeof a === 'object' && a !== null ? a.port : 0;
  return h;
}

const tids = (frames: Buffer[]) => frames.map((f) => f.readUInt16BE(0));

describe('serveConnection', () => {
  it('reads into the one shared buffer: interleaved partial frames from two clients are answered correctly', async () => {
    // A 64-byte read buffer, so frames also straddle reads.
    const h = await serve(() => echo);
    const a = await rawClient(h.port);
    const b = await rawClient(h.port);
    const fa = Buffer.concat([frame(1, 1, readPdu(3, 0, 1)), frame(2, 1, readPdu(4, 0, 1))]);
    const fb = Buffer.concat([frame(7, 1, readPdu(4, 0, 1)), frame(8, 1, readPdu(3, 0, 1))]);
    for (let i = 0; i < fa.length; i += 5) {
      a.send(fa.subarray(i, i + 5));
      b.send(fb.subarray(i, i + 5));
      await new Promise((r) => setTimeout(r, 2));
    }
    const [ra, rb] = [await a.next(2), await b.next(2)];
    expect(tids(ra)).toEqual([1, 2]);
    expect(ra.map((f) => f[7])).toEqual([3, 4]);
    expect(tids(rb)).toEqual([7, 8]);
    expect(rb.map((f) => f[7])).toEqual([4, 3]);
    // On Node the socket is re-made with `onread` (the fast path), not served through 'data' events.
    expect(h.conns[0]?.socket).not.toBe(h.accepted[0]);
    a.close();
    b.close();
  });

  it('a held frame makes the frames behind it wait; release answers it first, in request order', async () => {
    let held = 0;
    const h = await serve(() => (req, off, len, out, o) => (req[off + 7] === 6 ? (held++, HELD) : echo(req, off, len, out, o)));
    const c = await rawClient(h.port);
    c.send(Buffer.concat([frame(1, 1, readPdu(3, 0, 1)), frame(2, 1, [6, 0, 100, 0, 1]), frame(3, 1, readPdu(3, 0, 1)), frame(4, 1, readPdu(3, 0, 1))]));
    expect(tids(await c.next(1))).toEqual([1]);
    await expect(c.next(1, 150)).rejects.toThrow(/timeout/);
    expect(held).toBe(1);
    const answer = Buffer.from(frame(2, 1, [6, 0, 100, 0, 1]));
    h.conns[0]?.release(answer);
    expect(tids(await c.next(3))).toEqual([2, 3, 4]);
    // A release without a held frame is ignored.
    h.conns[0]?.release(answer);
    await expect(c.next(1, 100)).rejects.toThrow(/timeout/);
    c.close();
  });

  it('a fault while answering closes only that connection and is reported; others are served on', async () => {
    const h = await serve((i) =>
      i === 0
        ? () => {
            throw new Error('bug');
          }
        : echo,
    );
    const bad = await rawClient(h.port);
    const good = await rawClient(h.port);
    bad.send(frame(1, 1, readPdu(3, 0, 1)));
    await bad.closed;
    expect(h.faults).toHaveLength(1);
    good.send(frame(9, 1, readPdu(3, 0, 1)));
    expect(tids(await good.next(1))).toEqual([9]);
    good.close();
  });

  it('closes on a malformed header and says why', async () => {
    const h = await serve(() => echo);
    const c = await rawClient(h.port);
    c.send(Buffer.from([0, 1, 7, 7, 0, 6, 1, 3, 0, 0, 0, 1]));
    await c.closed;
    expect(h.bad).toEqual(['malformed']);
  });
});

describe('adopt without a reachable handle', () => {
  it('falls back to data events with the same contract: returning false pauses', () => {
    const s = new PassThrough();
    const got: number[] = [];
    const r = adopt(s as unknown as Socket, Buffer.alloc(16), (buf, n) => (got.push(n), buf[0] !== 0xff));
    expect(r).toBe(s);
    s.write(Buffer.from([1, 2, 3]));
    expect(got).toEqual([3]);
    s.write(Buffer.from([0xff]));
    expect(s.isPaused()).toBe(true);
  });
});
