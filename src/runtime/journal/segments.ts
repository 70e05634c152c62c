// Journal segments: numbered files `0000000001.jsonl`, … in <stateDir>/journal/. At start only the
// file names, their sizes and the tail of the newest one are read, never the whole journal.
import { join } from 'node:path';
import type { JournalFs } from './fs.js';
import { decodeRecord } from './record.js';

export interface Segment {
  readonly n: number;
  readonly path: string;
  size: number;
}

const NAME = /^(\d{10})\.jsonl$/;
export const segmentName = (n: number) => `${String(n).padStart(10, '0')}.jsonl`;

/** The segments in `dir`, oldest first (other files are left alone). */
export async function listSegments(fs: JournalFs, dir: string): Promise<Segment[]> {
  const out: Segment[] = [];
  for (const name of await fs.list(dir)) {
    const m = NAME.exec(name);
    if (!m) continue;
    const path = join(dir, name);
    out.push({ n: Number(m[1]), path, size: await fs.size(path) });
  }
  return out.sort((a, b) => a.n - b.n);
}

/** How far back from the end of the newest segment start looks for its last record. */
export const TAIL_BYTES = 64 * 1024;

export interface TailCheck {
  /** The file ends with a whole, valid record (or is empty): appending to it is safe. */
  readonly clean: boolean;
  /** The newest valid record's seq in the window, if any. */
  readonly lastSeq: number | undefined;
  /** What is wrong at the end, for the log and the `journal.torn` record. */
  readonly problem?: { readonly offset: number; readonly bytes: number; readonly reason: string };
}

/** Reads at most TAIL_BYTES from the end of `seg` and says whether its last record is whole. */
export async function checkTail(fs: JournalFs, seg: Segment): Promise<TailCheck> {
  if (seg.size === 0) return { clean: true, lastSeq: undefined };
  const from = Math.max(0, seg.size - TAIL_BYTES);
  const buf = await fs.read(seg.path, from, seg.size - from);
  const lastNl = buf.lastIndexOf(0x0a);
  if (lastNl < 0)
    return { clean: false, lastSeq: undefined, problem: { offset: from, bytes: buf.length, reason: `no complete record in the last ${buf.length} bytes` } };
  const lines = buf
    .subarray(from === 0 ? 0 : buf.indexOf(0x0a) + 1, lastNl)
    .toString('utf8')
    .split('\n');
  let lastSeq: number | undefined;
  for (let i = lines.length - 1; i >= 0 && lastSeq === undefined; i--) {
    const d = decodeRecord(lines[i] as string);
    if (d.ok) lastSeq = d.record.seq;
  }
  const torn = buf.length - lastNl - 1;
  if (torn > 0) return { clean: false, lastSeq, problem: { offset: from + lastNl + 1, bytes: torn, reason: 'torn last record (no newline)' } };
  const last = decodeRecord(lines[lines.length - 1] as string);
  if (!last.ok) {
    const bytes = Buffer.byteLength(lines[lines.length - 1] as string) + 1;
    return { clean: false, lastSeq, problem: { offset: from + lastNl + 1 - bytes, bytes, reason: `last record ${last.problem}` } };
  }
  return { clean: true, lastSeq };
}

/** Deletes the oldest segments while the total is over `maxBytes` (the newest is always kept). */
export async function enforceCap(fs: JournalFs, dir: string, segments: Segment[], maxBytes: number): Promise<number> {
  let total = segments.reduce((t, s) => t + s.size, 0);
  let removed = 0;
  while (total > maxBytes && segments.length > 1) {
    const oldest = segments.shift() as Segment;
    await fs.unlink(oldest.path);
    total -= oldest.size;
    removed++;
  }
  if (removed > 0) await fs.syncDir(dir);
  return removed;
}
