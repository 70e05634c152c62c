// Modbus data model, separate from transport: which ranges to read for a device's signals, and how
// registers become values (u16/s16/u32/s32/float32, word order, bit, scale). Pure, so tested alone.
import type { ModbusSignal } from './board.js';

export type Table = ModbusSignal['table'];

/** One request: a contiguous range of a table on one device, and the signals it carries. */
export interface ReadBlock {
  readonly table: Table;
  readonly start: number;
  readonly count: number;
  readonly signals: readonly ModbusSignal[];
}

const WORDS: Record<ModbusSignal['type'], number> = { u16: 1, s16: 1, u32: 2, s32: 2, float32: 2 };
/** Protocol limits per request (Modbus application protocol 1.1b3, FC 1/2 and 3/4). */
const MAX_COUNT: Record<Table, number> = { coil: 2000, discrete: 2000, holding: 125, input: 125 };
/** Read across a gap this small rather than spend another round trip on the bus. */
const MAX_GAP = 8;

export const width = (s: ModbusSignal): number => (s.table === 'coil' || s.table === 'discrete' ? 1 : WORDS[s.type]);

/** Groups one device's signals into as few requests as the protocol limits allow. */
export function planReads(signals: readonly ModbusSignal[]): ReadBlock[] {
  const blocks: ReadBlock[] = [];
  for (const table of ['holding', 'input', 'coil', 'discrete'] as const) {
    const sorted = signals.filter((s) => s.table === table).sort((a, b) => a.register - b.register);
    let cur: { start: number; end: number; signals: ModbusSignal[] } | undefined;
    for (const s of sorted) {
      const end = s.register + width(s);
      if (cur && s.register <= cur.end + MAX_GAP && Math.max(cur.end, end) - cur.start <= MAX_COUNT[table]) {
        cur.end = Math.max(cur.end, end);
        cur.signals.push(s);
        continue;
      }
      if (cur) blocks.push({ table, start: cur.start, count: cur.end - cur.start, signals: cur.signals });
      cur = { start: s.register, end, signals: [s] };
    }
    if (cur) blocks.push({ table, start: cur.start, count: cur.end - cur.start, signals: cur.signals });
  }
  return blocks;
}

/** The raw number in 16-bit words `hi`/`lo` as the register map describes them. */
export function decodeWords(words: readonly number[], type: ModbusSignal['type'], wordOrder: 'big' | 'little'): number | undefined {
  const [a, b] = words;
  if (a === undefined) return undefined;
  if (type === 'u16') return a;
  if (type === 's16') return a >= 0x8000 ? a - 0x10000 : a;
  if (b === undefined) return undefined;
  const [hi, lo] = wordOrder === 'big' ? [a, b] : [b, a];
  if (type === 'u32') return hi * 0x10000 + lo;
  if (type === 's32') return ((hi << 16) | lo) >> 0;
  const buf = Buffer.alloc(4);
  buf.writeUInt16BE(hi, 0);
  buf.writeUInt16BE(lo, 2);
  return buf.readFloatBE(0);
}

/** A signal's value from its block's data, or undefined when the device sent something unusable (NaN, short). */
export function decodeSignal(sig: ModbusSignal, block: ReadBlock, data: readonly (number | boolean)[]): boolean | number | undefined {
  const at = sig.register - block.start;
  if (sig.table === 'coil' || sig.table === 'discrete') {
    const bit = data[at];
    return typeof bit === 'boolean' ? bit : undefined;
  }
  const words = data.slice(at, at + WORDS[sig.type]).filter((w): w is number => typeof w === 'number');
  if (sig.kind === 'bool') {
    const w = words[0];
    if (w === undefined) return undefined;
    return sig.bit === undefined ? w !== 0 : ((w >> sig.bit) & 1) === 1;
  }
  const raw = decodeWords(words, sig.type, sig.wordOrder);
  if (raw === undefined || !Number.isFinite(raw)) return undefined;
  // Operators read these on /status and SCADA: 4998 × 0.01 is 49.98, not 49.980000000000004, and a
  // float32 holds ~7 significant digits (230.1, not 230.10000610351562).
  const exact = sig.type === 'float32' ? Number(raw.toPrecision(7)) : raw;
  return Number((exact * sig.scale + sig.offset).toPrecision(12));
}
