// MBAP (Modbus TCP) framing: finds complete request frames in a byte stream, answers each into one
// output buffer, and reports a malformed header so the server can close that connection only.

export const MBAP_HEADER_BYTES = 7;
/** Length field = unit id + PDU; a PDU is 1..253 bytes. */
export const MIN_LENGTH_FIELD = 2;
export const MAX_LENGTH_FIELD = 254;
export const MAX_FRAME_BYTES = 6 + MAX_LENGTH_FIELD;

/**
 * Answers one request: the frame starts at req[frameOff] (header already checked), its PDU is
 * req[frameOff+7 .. frameOff+7+pduLen). Writes a complete response ADU at out[outOff..] and returns
 * its length (0 = no answer), at most MAX_FRAME_BYTES; or HELD when the answer comes later (a reader
 * process's write waits for the controller), which stops the connection's frames behind it.
 */
export type AnswerFrame = (req: Buffer, frameOff: number, pduLen: number, out: Buffer, outOff: number) => number;

/** AnswerFrame's "answered later": frames behind this one wait, so answers stay in request order. */
export const HELD = -1;

/** `more`: stopped at an incomplete frame (or the end); `full`: out has no room for another answer; `held`: the last frame consumed is answered later. */
export type FeedStop = 'more' | 'full' | 'malformed' | 'held';

export interface FeedResult {
  /** Bytes of out written. */
  readonly outLen: number;
  /** Offset in buf of the first byte not consumed. */
  readonly next: number;
  readonly stop: FeedStop;
}

/** Total frame bytes if buf[off..end) starts with a complete frame, 0 if it needs more bytes, -1 if malformed. */
export function frameLength(buf: Buffer, off: number, end: number): number {
  if (end - off < MBAP_HEADER_BYTES) {
    // A protocol id we can already see to be wrong need not wait for the rest.
    if (end - off >= 3 && buf[off + 2] !== 0) return -1;
    if (end - off >= 4 && buf[off + 3] !== 0) return -1;
    return 0;
  }
  if (buf[off + 2] !== 0 || buf[off + 3] !== 0) return -1;
  const lengthField = ((buf[off + 4] ?? 0) << 8) | (buf[off + 5] ?? 0);
  if (lengthField < MIN_LENGTH_FIELD || lengthField > MAX_LENGTH_FIELD) return -1;
  const total = 6 + lengthField;
  return end - off >= total ? total : 0;
}

/** Answers every complete frame in buf[off..end) while out has room for a largest answer. */
export function feedFrames(buf: Buffer, off: number, end: number, answer: AnswerFrame, out: Buffer): FeedResult {
  let outLen = 0;
  let at = off;
  for (;;) {
    if (out.length - outLen < MAX_FRAME_BYTES) return { outLen, next: at, stop: 'full' };
    const n = frameLength(buf, at, end);
    if (n < 0) return { outLen, next: at, stop: 'malformed' };
    if (n === 0) return { outLen, next: at, stop: 'more' };
    const len = answer(buf, at, n - MBAP_HEADER_BYTES, out, outLen);
    at += n;
    if (len === HELD) return { outLen, next: at, stop: 'held' };
    outLen += len;
  }
}

/** Writes the response header (transaction id and unit echoed) for a response PDU of pduLen bytes already at out[outOff+7..]. */
export function writeHeader(req: Buffer, frameOff: number, out: Buffer, outOff: number, pduLen: number): number {
  out[outOff] = req[frameOff] ?? 0;
  out[outOff + 1] = req[frameOff + 1] ?? 0;
  out[outOff + 2] = 0;
  out[outOff + 3] = 0;
  out[outOff + 4] = (pduLen + 1) >> 8;
  out[outOff + 5] = (pduLen + 1) & 0xff;
  out[outOff + 6] = req[frameOff + 6] ?? 0;
  return MBAP_HEADER_BYTES + pduLen;
}
