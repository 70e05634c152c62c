// One client connection's protocol state, without sockets: unit-id routing, the partial-frame
// buffer (bounded), and batching answers; the server and the fuzz tests drive the same code.
import { feedFrames, MBAP_HEADER_BYTES, writeHeader, type AnswerFrame } from './mbap.js';
import { Exception, handlePdu, type PduContext } from './pdu.js';

/** Unit id answered besides the configured one (Modbus TCP "this device"). */
export const UNIT_ANY = 255;
/** Bytes held for one connection between reads: a paused connection's last chunk plus a partial frame. */
export const MAX_PENDING_BYTES = 256 * 1024;

export interface Session {
  /** Unconsumed bytes: a partial frame, or the rest of a chunk while the client is not reading. */
  pending: Buffer | undefined;
  /** When the current partial frame began (for the slowloris timeout); undefined when none. */
  partialSinceMs: number | undefined;
  /** Last time a complete frame arrived (for the idle timeout). */
  lastFrameMs: number;
}

export function newSession(nowMs: number): Session {
  return { pending: undefined, partialSinceMs: undefined, lastFrameMs: nowMs };
}

/** Answers frames for our unit ids from the PDU handler; any other unit id gets exception 0x0B. */
export function makeAnswer(unitId: number, ctx: PduContext): AnswerFrame {
  return (req, frameOff, pduLen, out, outOff) => {
    const unit = req[frameOff + 6];
    const pduOff = frameOff + MBAP_HEADER_BYTES;
    let len: number;
    if (unit === unitId || unit === UNIT_ANY) {
      len = handlePdu(req, pduOff, pduLen, ctx, out, outOff + MBAP_HEADER_BYTES);
    } else {
      out[outOff + MBAP_HEADER_BYTES] = (req[pduOff] ?? 0) | 0x80;
      out[outOff + MBAP_HEADER_BYTES + 1] = Exception.gatewayTargetFailed;
      len = 2;
    }
    return writeHeader(req, frameOff, out, outOff, len);
  };
}

/**
 * `ok`: read on; `paused`: the peer is not reading our answers; `held`: a frame's answer comes later;
 * `malformed`/`overflow`: close the connection.
 */
export type ServeResult = 'ok' | 'paused' | 'held' | 'malformed' | 'overflow';

/**
 * Appends chunk[0..end) and answers every complete frame. `emit` gets each batch of answers as
 * out[0..length) (copy it if kept: out is reused) and returns false when the peer is not reading.
 * After 'paused' or 'held' the rest stays pending until the caller calls again with an empty chunk.
 * The chunk may be a read buffer the caller reuses: whatever is kept is copied.
 */
export function serveChunk(
  s: Session,
  chunk: Buffer,
  nowMs: number,
  answer: AnswerFrame,
  out: Buffer,
  emit: (out: Buffer, length: number) => boolean,
  end: number = chunk.length,
): ServeResult {
  let buf = chunk;
  if (s.pending) {
    if (s.pending.length + end > MAX_PENDING_BYTES) return 'overflow';
    buf = end === 0 ? s.pending : Buffer.concat([s.pending, chunk.subarray(0, end)]);
    end = buf.length;
    s.pending = undefined;
  }
  let at = 0;
  for (;;) {
    const r = feedFrames(buf, at, end, answer, out);
    if (r.next > at) {
      s.lastFrameMs = nowMs;
      s.partialSinceMs = undefined;
    }
    at = r.next;
    const flowing = r.outLen > 0 ? emit(out, r.outLen) : true;
    if (r.stop === 'malformed') return 'malformed';
    const result = r.stop === 'held' ? 'held' : flowing ? 'ok' : 'paused';
    if (at < end && (r.stop !== 'full' || !flowing)) {
      // Copy: the chunk's memory belongs to the socket (or is the next read's buffer).
      s.pending = Buffer.from(buf.subarray(at, end));
      if (r.stop === 'more') s.partialSinceMs ??= nowMs;
      return result;
    }
    if (at >= end) return result;
  }
}

/** How often to sweep connections: a quarter of the shorter timeout, within 10 ms .. 1 s. */
export const sweepPeriodMs = (idleTimeoutMs: number, frameTimeoutMs: number): number =>
  Math.max(10, Math.min(1000, Math.min(idleTimeoutMs, frameTimeoutMs) / 4));

/** Why a connection should be closed now (idle too long, or a frame trickling in too slowly), or null. */
export function timedOut(s: Session, nowMs: number, idleTimeoutMs: number, frameTimeoutMs: number): { idle: boolean; trickle: boolean } | null {
  const idle = nowMs - s.lastFrameMs > idleTimeoutMs;
  const trickle = s.partialSinceMs !== undefined && nowMs - s.partialSinceMs > frameTimeoutMs;
  return idle || trickle ? { idle, trickle } : null;
}
