// `twinfeed journal`: reads a journal back, as the lines `npm start` prints (default) or as JSON
// lines; torn or corrupt records are reported on stderr and skipped.
import { EX_NOINPUT, EX_OK } from '../config/exit-codes.js';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDuration } from '../config/duration.js';
import { describeEvent } from '../runtime/format.js';
import { followJournal, scanJournal, type ReadFilter, type ReadProblem } from '../runtime/journal/reader.js';
import type { JournalRecord } from '../runtime/journal/record.js';

export interface JournalArgs {
  readonly dir: string | undefined;
  readonly since: string | undefined;
  readonly until: string | undefined;
  readonly type: string | undefined;
  readonly follow: boolean;
  readonly json: boolean;
}

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

/** An ISO date/time (`2026-12-01`, `2026-12-01T08:00:00Z`) or a time back from now (`2h`, `1d`). */
export function parseTime(text: string, nowMs: number): number | undefined {
  const back = parseDuration(text);
  if (back !== undefined) return nowMs - back;
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `2026-12-01T08:00:00.123Z  transfer.begin  from=A to=B reason=sourceFail` */
export function humanLine(r: JournalRecord): string {
  const { seq: _seq, at, mono: _mono, ...event } = r;
  return `${at}  ${describeEvent(event)}`;
}

/** DIR may be the stateDir or its journal/ folder. */
function journalDir(dir: string): string {
  const sub = join(dir, 'journal');
  return existsSync(sub) && statSync(sub).isDirectory() ? sub : dir;
}

export type Usage = (problem: string) => number;

export async function runJournal(a: JournalArgs, io: Io, usage: Usage, signal?: AbortSignal): Promise<number> {
  if (a.dir === undefined) return usage('journal needs --dir DIR (the runtime.stateDir, or its journal/ folder)');
  const now = Date.now();
  const filter: { sinceMs?: number; untilMs?: number; types?: string[] } = {};
  for (const [flag, text] of [
    ['since', a.since],
    ['until', a.until],
  ] as const) {
    if (text === undefined) continue;
    const ms = parseTime(text, now);
    if (ms === undefined)
      return usage(`--${flag} takes an ISO time ("2026-12-01", "2026-12-01T08:00:00Z") or a time back from now ("30m", "2h", "1d"), got "${text}"`);
    filter[flag === 'since' ? 'sinceMs' : 'untilMs'] = ms;
  }
  if (filter.sinceMs !== undefined && filter.untilMs !== undefined && filter.sinceMs > filter.untilMs) return usage('--since is after --until');
  if (a.type !== undefined) {
    const types = a.type.split(',').map((t) => t.trim());
    if (types.some((t) => !/^[a-z][a-zA-Z.]*$/.test(t)))
      return usage(`--type takes event types such as "transfer", "alarm" or "command" (comma-separated), got "${a.type}"`);
    filter.types = types;
  }
  if (!existsSync(a.dir) || !statSync(a.dir).isDirectory()) {
    io.err(`twinfeed journal: no such directory: ${a.dir}`);
    return EX_NOINPUT;
  }
  const dir = journalDir(a.dir);
  const print = (r: JournalRecord) => io.out(a.json ? JSON.stringify(r) : humanLine(r));
  const onProblem = (p: ReadProblem) => io.err(`twinfeed journal: ${p.segment} line ${p.line}: ${p.problem}; skipped`);
  const f: ReadFilter & { onProblem: typeof onProblem } = { ...filter, onProblem };
  try {
    if (a.follow) await followJournal(dir, { ...f, signal: signal ?? new AbortController().signal }, print);
    else await scanJournal(dir, f, print);
  } catch (e) {
    io.err(`twinfeed journal: cannot read ${dir}: ${(e as Error).message}`);
    return EX_NOINPUT;
  }
  return EX_OK;
}
