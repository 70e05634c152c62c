// The Modbus PDU handler: request PDU + register image + permissions → response PDU, written into a
// caller's buffer (no allocation on the read path). Exceptions exactly as scada.md orders them.
import { MAP_END, OPERATE_ADDR, SELECT_ADDR, STATUS_BLOCK_WORDS } from './map.js';

export const Exception = { illegalFunction: 0x01, illegalAddress: 0x02, illegalValue: 0x03, gatewayTargetFailed: 0x0b } as const;

/** Protocol limits (Modbus Application Protocol v1.1b3 §6.3, §6.12). */
export const MAX_READ_REGISTERS = 125;
export const MAX_WRITE_REGISTERS = 123;
/** Largest response PDU: FC3 with 125 registers. */
export const MAX_RESPONSE_PDU_BYTES = 2 + 2 * MAX_READ_REGISTERS;

/** Function codes that write (answered 01 unless FC6/FC16 to a command register with writes allowed). */
export const WRITE_FUNCTIONS: ReadonlySet<number> = new Set([0x05, 0x06, 0x0f, 0x10, 0x16, 0x17]);

export interface PduContext {
  /** Big-endian words 0..99 of the last published scan. */
  readonly status: Buffer;
  /** Registers 100..102 as this client reads them. */
  commandWord(address: number): number;
  /** Writes enabled and this client inside the allowlist. */
  readonly writesAllowed: boolean;
  /** A permitted, well-formed write of one command register (100 or 101); returns 0 or an exception code. */
  write(address: number, value: number): number;
  /** Every write attempt ends here with its verdict (0 = done), so the server can log it. */
  writeAttempt(fc: number, address: number, values: readonly number[], exception: number): void;
}

function exception(out: Buffer, o: number, fc: number, code: number): number {
  out[o] = fc | 0x80;
  out[o + 1] = code;
  return 2;
}

function readRegisters(req: Buffer, p: number, len: number, ctx: PduContext, out: Buffer, o: number): number {
  const fc = req[p] ?? 0;
  if (len !== 5) return exception(out, o, fc, Exception.illegalValue);
  const address = req.readUInt16BE(p + 1);
  const quantity = req.readUInt16BE(p + 3);
  if (quantity < 1 || quantity > MAX_READ_REGISTERS) return exception(out, o, fc, Exception.illegalValue);
  if (address + quantity > MAP_END) return exception(out, o, fc, Exception.illegalAddress);
  out[o] = fc;
  out[o + 1] = quantity * 2;
  const statusEnd = Math.min(address + quantity, STATUS_BLOCK_WORDS);
  if (address < statusEnd) ctx.status.copy(out, o + 2, address * 2, statusEnd * 2);
  for (let a = Math.max(address, STATUS_BLOCK_WORDS); a < address + quantity; a++) {
    out.writeUInt16BE(ctx.commandWord(a) & 0xffff, o + 2 + (a - address) * 2);
  }
  return 2 + quantity * 2;
}

/** Parses FC6/FC16 into (address, values) or an exception; other write functions are not served (01). */
function parseWrite(req: Buffer, p: number, len: number): { address: number; values: number[]; exception: number } {
  const fc = req[p] ?? 0;
  const address = len >= 3 ? req.readUInt16BE(p + 1) : -1;
  if (fc === 0x06) {
    if (len !== 5) return { address, values: [], exception: Exception.illegalValue };
    return { address, values: [req.readUInt16BE(p + 3)], exception: 0 };
  }
  if (fc !== 0x10) return { address, values: [], exception: Exception.illegalFunction };
  if (len < 6) return { address, values: [], exception: Exception.illegalValue };
  const quantity = req.readUInt16BE(p + 3);
  const byteCount = req[p + 5] ?? 0;
  if (quantity < 1 || quantity > MAX_WRITE_REGISTERS || byteCount !== quantity * 2 || len !== 6 + byteCount) {
    return { address, values: [], exception: Exception.illegalValue };
  }
  const values: number[] = [];
  for (let i = 0; i < quantity; i++) values.push(req.readUInt16BE(p + 6 + 2 * i));
  return { address, values, exception: 0 };
}

function writeRegisters(req: Buffer, p: number, len: number, ctx: PduContext, out: Buffer, o: number): number {
  const fc = req[p] ?? 0;
  const w = parseWrite(req, p, len);
  let code = ctx.writesAllowed ? w.exception : Exception.illegalFunction;
  if (code === 0 && (w.address < SELECT_ADDR || w.address + w.values.length - 1 > OPERATE_ADDR)) code = Exception.illegalAddress;
  // Select and operate in one request would defeat select-before-operate.
  if (code === 0 && w.values.length !== 1) code = Exception.illegalValue;
  if (code === 0) code = ctx.write(w.address, w.values[0] ?? 0);
  ctx.writeAttempt(fc, w.address, w.values, code);
  if (code !== 0) return exception(out, o, fc, code);
  // FC6 echoes the request; FC16 echoes function, address and quantity.
  req.copy(out, o, p, p + 5);
  return 5;
}

/** Answers the request PDU req[p..p+len) into out[o..]; returns the response PDU length (≤ MAX_RESPONSE_PDU_BYTES). */
export function handlePdu(req: Buffer, p: number, len: number, ctx: PduContext, out: Buffer, o: number): number {
  const fc = req[p] ?? 0;
  if (fc === 0x03 || fc === 0x04) return readRegisters(req, p, len, ctx, out, o);
  if (WRITE_FUNCTIONS.has(fc)) return writeRegisters(req, p, len, ctx, out, o);
  return exception(out, o, fc, Exception.illegalFunction);
}
