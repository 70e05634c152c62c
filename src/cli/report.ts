// `twinfeed report --dir DIR --month YYYY-MM`: the monthly record from the journal alone (tests,
// outages, uplinks, relay operations, alarms), as Markdown, JSON or one self-contained HTML file.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigInvalid } from '../config/errors.js';
import { DURATION_HINT, parseDuration } from '../config/duration.js';
import { EX_CONFIG, EX_NOINPUT, EX_OK } from '../config/exit-codes.js';
import { loadConfig } from '../config/load.js';
import { scanJournal } from '../runtime/journal/reader.js';
import { createReportBuilder, DEFAULT_CRITERIA } from '../report/build.js';
import { renderHtml } from '../report/html.js';
import { renderMarkdown } from '../report/markdown.js';
import { parseMonth } from '../report/month.js';
import type { Criteria } from '../report/types.js';
import type { Io, Usage } from './journal.js';

export interface ReportArgs {
  readonly dir: string | undefined;
  readonly month: string | undefined;
  readonly format: string;
  readonly config: string | undefined;
  readonly minOnLoad: string | undefined;
  readonly maxTimeToLoad: string | undefined;
}

/** The state at the start of the month (uplinks down, an outage under way) is rebuilt from this far back. */
export const LOOKBACK_MS = 31 * 86_400_000;
/** A test or outage that begins in the month is followed this far into the next (its retransfer, cool-down). */
export const FOLLOW_MS = 86_400_000;

export async function runReport(a: ReportArgs, io: Io, usage: Usage): Promise<number> {
  if (a.dir === undefined) return usage('report needs --dir DIR (the runtime.stateDir, or its journal/ folder)');
  if (a.month === undefined) return usage('report needs --month YYYY-MM (a month in UTC, e.g. 2026-12)');
  const month = parseMonth(a.month);
  if (!month) return usage(`--month is YYYY-MM (e.g. 2026-12), got "${a.month}"`);
  const format = a.format;
  if (format !== 'md' && format !== 'json' && format !== 'html') return usage(`--format is md, json or html, got "${format}"`);
  let criteria: Criteria = DEFAULT_CRITERIA;
  if (a.config !== undefined) {
    try {
      criteria = loadConfig(a.config).config.report;
    } catch (e) {
      if (!(e instanceof ConfigInvalid)) throw e;
      io.err(e.message);
      return EX_CONFIG;
    }
  }
  for (const [flag, text, key] of [
    ['min-on-load', a.minOnLoad, 'testMinOnLoadMs'],
    ['max-time-to-load', a.maxTimeToLoad, 'testMaxTimeToLoadMs'],
  ] as const) {
    if (text === undefined) continue;
    const ms = parseDuration(text);
    if (ms === undefined || ms < 0) return usage(`--${flag} takes a duration, ${DURATION_HINT}; got "${text}"`);
    criteria = { ...criteria, [key]: ms };
  }
  if (!existsSync(a.dir) || !statSync(a.dir).isDirectory()) {
    io.err(`twinfeed report: no such directory: ${a.dir}`);
    return EX_NOINPUT;
  }
  const sub = join(a.dir, 'journal');
  const dir = existsSync(sub) && statSync(sub).isDirectory() ? sub : a.dir;
  const b = createReportBuilder(month, criteria);
  try {
    await scanJournal(dir, { sinceMs: month.fromMs - LOOKBACK_MS, untilMs: month.toMs + FOLLOW_MS, onProblem: () => b.unreadable() }, (r) => b.add(r));
  } catch (e) {
    io.err(`twinfeed report: cannot read ${dir}: ${(e as Error).message}`);
    return EX_NOINPUT;
  }
  const report = b.finish();
  io.out(format === 'json' ? JSON.stringify(report, null, 2) : format === 'html' ? renderHtml(report) : renderMarkdown(report));
  return EX_OK;
}
