// One journal record = one JSON line that ends in its own CRC-32, so a torn or corrupted line is
// recognised by itself, without trusting anything around it.
import * as zlib from 'node:zlib';

/** What every record carries besides its own fields. */
export interface RecordHead {
  /** Record number, continued across restarts (a gap means records were lost). */
  readonly seq: number;
  /** Wall-clock time, ISO 8601 UTC. */
  readonly at: string;
  /** CLOCK_MONOTONIC in ms (comparable within one boot of the machine, immune to clock steps). */
  readonly mono: number;
  readonly type: string;
}

export type JournalRecord = RecordHead & Readonly<Record<string, unknown>>;

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

// zlib.crc32 is native from Node 20.15; the table is the fallback for older 20.x.
const nativeCrc = (zlib as { crc32?: (data: string) => number }).crc32;

/** CRC-32 (IEEE, as zlib and gzip) of a string's UTF-8 bytes. */
export function crc32(text: string): number {
  if (nativeCrc) return nativeCrc(text) >>> 0;
  return tableCrc32(text);
}

export function tableCrc32(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  let c = 0xffffffff;
  for (const b of bytes) c = (TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const CRC_KEY = ',"crc":"';

/** The line for a record (no newline): head keys first (what a person reading the file wants to
 * see), the fields, then `"crc":"xxxxxxxx"`: the CRC of the line with that key removed. */
export function encodeRecord(head: RecordHead, fields: object): string {
  // The second spread puts the head's values back should a field reuse a head key; order stays.
  const body = JSON.stringify({ ...head, ...fields, ...head });
  return body.slice(0, -1) + CRC_KEY + hex8(crc32(body)) + '"}';
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

export type Decoded = { ok: true; record: JournalRecord } | { ok: false; problem: string };

/** Checks a line's CRC and shape; never throws. */
export function decodeRecord(line: string): Decoded {
  const i = line.lastIndexOf(CRC_KEY);
  if (i < 0 || !line.endsWith('"}') || line.length - i !== CRC_KEY.length + 10) return { ok: false, problem: 'no checksum (torn or not a journal line)' };
  const body = line.slice(0, i) + '}';
  const want = line.slice(i + CRC_KEY.length, -2);
  if (hex8(crc32(body)) !== want) return { ok: false, problem: 'checksum mismatch (corrupted)' };
  let rec: unknown;
  try {
    rec = JSON.parse(body);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  const r = rec as Partial<RecordHead>;
  if (typeof r.seq !== 'number' || typeof r.at !== 'string' || typeof r.type !== 'string') return { ok: false, problem: 'missing seq, at or type' };
  return { ok: true, record: rec as JournalRecord };
}
