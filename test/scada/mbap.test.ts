import { describe, expect, it } from 'vitest';
import { feedFrames, frameLength, MAX_FRAME_BYTES, type AnswerFrame } from '../../src/scada/mbap.js';
import { MAX_PENDING_BYTES, newSession, serveChunk } from '../../src/scada/session.js';
import { frame, readPdu } from './fakes.js';

/** Echoes the request's transaction id and PDU length as a tiny answer. */
const echo: AnswerFrame = (req, off, pduLen, out, o) => {
  req.copy(out, o, off, off + 7);
  out[o + 7] = pduLen;
  return 8;
};

describe('frameLength', () => {
  it('accepts complete frames, waits for partial ones, rejects bad protocol ids and lengths', () => {
    const f = frame(1, 1, readPdu(3, 0, 1));
    expect(frameLength(f, 0, f.length)).toBe(12);
    for (let n = 0; n < 12; n++) expect(frameLength(f, 0, n)).toBe(0);
    expect(frameLength(Buffer.from([0, 1, 0, 1, 0, 6, 1]), 0, 7)).toBe(-1);
    expect(frameLength(Buffer.from([0, 1, 1, 0]), 0, 4)).toBe(-1);
    expect(frameLength(Buffer.from([0, 1, 0, 0, 0, 1, 1]), 0, 7)).toBe(-1);
    expect(frameLength(Buffer.from([0, 1, 0, 0, 0, 255, 1]), 0, 7)).toBe(-1);
    expect(frameLength(Buffer.from([0, 1, 0, 0, 0xff, 0xff, 1]), 0, 7)).toBe(-1);
  });
});

describe('feedFrames / serveChunk', () => {
  it('answers several frames in one chunk and keeps a partial one for the next chunk', () => {
    const a = frame(1, 1, readPdu(3, 0, 1));
    const b = frame(2, 1, readPdu(3, 0, 2));
    const all = Buffer.concat([a, b, a]);
    const s = newSession(0);
    const answers: number[] = [];
    const emit = (x: Buffer, n: number) => (answers.push(...[...x.subarray(0, n)].filter((_, i) => i % 8 === 1)), true);
    expect(serveChunk(s, all.subarray(0, 30), 0, echo, Buffer.alloc(4096), emit)).toBe('ok');
    expect(answers).toEqual([1, 2]);
    expect(s.pending?.length).toBe(6);
    expect(s.partialSinceMs).toBe(0);
    for (const byte of all.subarray(30)) serveChunk(s, Buffer.from([byte]), 5, echo, Buffer.alloc(4096), emit);
    expect(answers).toEqual([1, 2, 1]);
    expect(s.pending).toBeUndefined();
    expect(s.lastFrameMs).toBe(5);
  });

  it('stops at a malformed header', () => {
    const r = feedFrames(Buffer.concat([frame(1, 1, [3, 0, 0, 0, 1]), Buffer.from([0, 0, 7, 7, 0, 6, 1])]), 0, 19, echo, Buffer.alloc(4096));
    expect(r).toEqual({ outLen: 8, next: 12, stop: 'malformed' });
  });

  it('stops when the answer buffer is full and resumes where it stopped', () => {
    const many = Buffer.concat(new Array(50).fill(frame(1, 1, readPdu(3, 0, 1))));
    const r = feedFrames(many, 0, many.length, echo, Buffer.alloc(MAX_FRAME_BYTES + 16));
    expect(r.stop).toBe('full');
    expect(r.next).toBe(12 * 3);
  });

  it('holds the rest of a chunk while the peer does not read, and refuses to hold more than the bound', () => {
    const many = Buffer.concat(new Array(100).fill(frame(1, 1, readPdu(3, 0, 1))));
    const s = newSession(0);
    let emitted = 0;
    expect(serveChunk(s, many, 0, echo, Buffer.alloc(MAX_FRAME_BYTES + 16), () => (emitted++, false))).toBe('paused');
    expect(emitted).toBe(1);
    expect(s.pending?.length).toBe(many.length - 3 * 12);
    expect(serveChunk(s, Buffer.alloc(0), 0, echo, Buffer.alloc(4096), () => true)).toBe('ok');
    expect(s.pending).toBeUndefined();
    s.pending = Buffer.alloc(MAX_PENDING_BYTES);
    expect(serveChunk(s, Buffer.alloc(1), 0, echo, Buffer.alloc(4096), () => true)).toBe('overflow');
  });
});
