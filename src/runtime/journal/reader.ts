// Reading the journal back: every segment oldest first, each line checked by its CRC. A torn or
// corrupt line is reported (segment, line) and skipped; everything around it reads back.
import { basename } from 'node:path';
import { nodeJournalFs, type JournalFs } from './fs.js';
import { decodeRecord, type JournalRecord } from './record.js';
import { listSegments, type Segment } from './segments.js';

export interface ReadProblem {
  readonly segment: string;
  readonly line: number;
  readonly problem: string;
}

export interface ReadFilter {
  readonly sinceMs?: number;
  readonly untilMs?: number;
  /** Exact types, or a prefix before a dot (`transfer` matches `transfer.begin`). */
  readonly types?: readonly string[];
}

export interface ReadOptions extends ReadFilter {
  readonly fs?: JournalFs;
  readonly onProblem?: (p: ReadProblem) => void;
}

const CHUNK_BYTES = 4 * 1024 * 1024;

export function matches(r: JournalRecord, f: ReadFilter): boolean {
  const at = Date.parse(r.at);
  if (f.sinceMs !== undefined && at < f.sinceMs) return false;
  if (f.untilMs !== undefined && at > f.untilMs) return false;
  return !f.types || f.types.some((t) => r.type === t || r.type.startsWith(t + '.'));
}

/** Where a reader is in one segment: byte offset, line number, and a line not yet ended. */
export interface Cursor {
  offset: number;
  line: number;
  rest: string;
}

/** Reads `seg` from the cursor to its current end (or `maxBytes` further); returns the complete lines' records in order. */
export async function readFrom(fs: JournalFs, seg: Segment, c: Cursor, onProblem: (p: ReadProblem) => void, maxBytes = Infinity): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  const size = Math.min(await fs.size(seg.path), c.offset + maxBytes);
  while (c.offset < size) {
    const buf = await fs.read(seg.path, c.offset, Math.min(CHUNK_BYTES, size - c.offset));
    if (buf.length === 0) break;
    c.offset += buf.length;
    const parts = (c.rest + buf.toString('utf8')).split('\n');
    c.rest = parts.pop() ?? '';
    for (const line of parts) {
      c.line++;
      if (line === '') continue;
      const d = decodeRecord(line);
      if (d.ok) out.push(d.record);
      else onProblem({ segment: basename(seg.path), line: c.line, problem: d.problem });
    }
  }
  return out;
}

/** A segment's unfinished last line is torn once nothing more will be written to it. */
export function endSegment(seg: Segment, c: Cursor, onProblem: (p: ReadProblem) => void): void {
  if (c.rest === '') return;
  onProblem({ segment: basename(seg.path), line: c.line + 1, problem: `torn last record (${Buffer.byteLength(c.rest)} bytes, no newline)` });
  c.rest = '';
}

/** The segments worth reading for `since`: a segment whose successor starts before `since` is skipped. */
async function segmentsFor(fs: JournalFs, dir: string, sinceMs: number | undefined): Promise<Segment[]> {
  const segs = await listSegments(fs, dir);
  if (sinceMs === undefined) return segs;
  let first = 0;
  for (let i = segs.length - 1; i > 0; i--) {
    const start = await firstRecordMs(fs, segs[i] as Segment);
    if (start !== undefined && start <= sinceMs) {
      first = i;
      break;
    }
  }
  return segs.slice(first);
}

async function firstRecordMs(fs: JournalFs, seg: Segment): Promise<number | undefined> {
  const head = (await fs.read(seg.path, 0, Math.min(seg.size, 64 * 1024))).toString('utf8');
  for (const line of head.split('\n').slice(0, -1)) {
    const d = decodeRecord(line);
    if (d.ok) return Date.parse(d.record.at);
  }
  return undefined;
}

/** Every valid record in `dir` that matches, oldest first, handed to `emit` (one chunk in memory at a time). */
export async function scanJournal(dir: string, o: ReadOptions, emit: (r: JournalRecord) => void): Promise<void> {
  const fs = o.fs ?? nodeJournalFs;
  const onProblem = o.onProblem ?? (() => undefined);
  for (const seg of await segmentsFor(fs, dir, o.sinceMs)) {
    const c: Cursor = { offset: 0, line: 0, rest: '' };
    for (;;) {
      const before = c.offset;
      for (const r of await readFrom(fs, seg, c, onProblem, CHUNK_BYTES)) if (matches(r, o)) emit(r);
      if (c.offset === before) break;
    }
    endSegment(seg, c, onProblem);
  }
}

/** Every valid record in `dir` that matches, oldest first (tests, small journals). */
export async function readJournal(dir: string, o: ReadOptions = {}): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  await scanJournal(dir, o, (r) => out.push(r));
  return out;
}

/** Like readJournal, then keeps reading what is appended (new segments too) until `signal` aborts. */
export async function followJournal(
  dir: string,
  o: ReadOptions & { readonly pollMs?: number; readonly signal: AbortSignal },
  emit: (r: JournalRecord) => void,
): Promise<void> {
  const fs = o.fs ?? nodeJournalFs;
  const onProblem = o.onProblem ?? (() => undefined);
  let segs = await segmentsFor(fs, dir, o.sinceMs);
  let idx = 0;
  let c: Cursor = { offset: 0, line: 0, rest: '' };
  while (!o.signal.aborted) {
    const seg = segs[idx];
    if (seg) for (const r of await readFrom(fs, seg, c, onProblem)) if (matches(r, o)) emit(r);
    const all = await listSegments(fs, dir);
    const next = all.find((s) => s.n > (seg?.n ?? 0));
    if (next) {
      if (seg) endSegment(seg, c, onProblem);
      segs = all;
      idx = all.indexOf(next);
      c = { offset: 0, line: 0, rest: '' };
      continue;
    }
    await new Promise((r) => setTimeout(r, o.pollMs ?? 250));
  }
}
