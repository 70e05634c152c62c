// How a SCADA reader process answers a frame: reads at once from its local image; a write is
// answered later (HELD), once the controller has decided it, so answers stay in request order.
import type { WriteAttempt } from './reader-ipc.js';
import { HELD, MBAP_HEADER_BYTES, type AnswerFrame } from './mbap.js';
import { WRITE_FUNCTIONS, type PduContext } from './pdu.js';
import { makeAnswer, UNIT_ANY } from './session.js';

export interface ReaderConnDeps {
  readonly unitId: number;
  /** The reader's status image, updated in place on every published scan. */
  readonly image: Buffer;
  readonly counters: { requests: number };
  /** Registers 100–102 from the mirror of the controller's SBO state. */
  commandWord(ip: string, address: number): number;
  /** Forwards a write attempt; resolves with 0 or the exception code to answer. */
  forwardWrite(ip: string, origin: string, writesAllowed: boolean, attempt: WriteAttempt): Promise<number>;
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

/**
 * The AnswerFrame of one reader connection. A write for our unit id is parsed here (the PDU handler's
 * write hooks only record), forwarded to the controller, and its answer handed to `release`;
 * `fail` closes the connection if the controller cannot be asked.
 */
export function readerAnswer(
  ip: string,
  origin: string,
  writesAllowed: boolean,
  d: ReaderConnDeps,
  release: (answer: Buffer) => void,
  fail: () => void,
): AnswerFrame {
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
  const local = makeAnswer(d.unitId, ctx);
  return (req, off, pduLen, out, outOff) => {
    d.counters.requests++;
    const unit = req[off + 6];
    if (!WRITE_FUNCTIONS.has(req[off + 7] ?? 0) || (unit !== d.unitId && unit !== UNIT_ANY)) return local(req, off, pduLen, out, outOff);
    recorded = {};
    const len = local(req, off, pduLen, out, outOff);
    const adu = Buffer.from(out.subarray(outOff, outOff + len));
    const attempt: WriteAttempt = {
      fc: req[off + 7] ?? 0,
      address: -1,
      values: [],
      exception: adu[8] ?? 0,
      ...recorded.attempt,
      ...(recorded.write ? { write: recorded.write } : {}),
    };
    d.forwardWrite(ip, origin, writesAllowed, attempt).then((code) => release(code === 0 ? adu : exceptionAdu(adu, code)), fail);
    return HELD;
  };
}
