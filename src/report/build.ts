// The monthly record as a pure fold over journal records (oldest first): `add` each record, then
// `finish`. Only the month's results are kept, never the records, so a month of a busy cabinet
// streams through in constant memory beyond its tests and outages.
import { trackCounts } from './counters.js';
import { fmtMs } from './format.js';
import { iso, type Month } from './month.js';
import { trackOutages } from './outages.js';
import type { JournalRecord } from './record.js';
import { trackTests } from './tests.js';
import type { Criteria, Report } from './types.js';
import { trackUplinks } from './uplinks.js';

export const DEFAULT_CRITERIA: Criteria = { testMinOnLoadMs: 30 * 60_000, testMaxTimeToLoadMs: 10_000 };

/** Until a `config` record names it (journals before 0.2 do not), the preferred feed is taken as A. */
const ASSUMED_PREFERRED = 'A';

export interface ReportBuilder {
  add(r: JournalRecord): void;
  /** A record that could not be read (torn or corrupt). */
  unreadable(): void;
  finish(): Report;
}

export function createReportBuilder(month: Month, criteria: Criteria = DEFAULT_CRITERIA): ReportBuilder {
  const tests = trackTests(month, criteria);
  const outages = trackOutages(month);
  const uplinks = trackUplinks(month);
  const counts = trackCounts(month);
  let lastMs = month.fromMs;
  let unreadable = 0;
  let preferredSeen: string | undefined;
  let last: { at: string; ms: number } | undefined;
  return {
    add(r) {
      const ms = Date.parse(r.at);
      if (Number.isNaN(ms)) return;
      // A start with no stop before it: the controller died after its last record. Coverage, alarm and
      // uplink spans end there, not at the restart (nothing was watched in between).
      if (r.type === 'start' && last) {
        const died = { r: { at: last.at, type: 'stop', crashed: true }, ms: last.ms };
        counts.add(died);
        uplinks.add(died);
      }
      last = r.type === 'stop' ? undefined : { at: r.at, ms };
      lastMs = Math.max(lastMs, ms);
      const a = { r, ms };
      counts.add(a);
      if (r.type === 'config' && typeof r.preferred === 'string') preferredSeen = r.preferred;
      const preferred = preferredSeen ?? ASSUMED_PREFERRED;
      tests.add(a, preferred);
      outages.add(a, preferred);
      uplinks.add(a);
    },
    unreadable() {
      unreadable++;
    },
    finish() {
      const end = Math.min(lastMs, month.toMs);
      const { counts: c, alarms } = counts.finish(end);
      const report: Omit<Report, 'findings'> = {
        month: month.name,
        from: iso(month.fromMs),
        to: iso(month.toMs),
        criteria,
        preferred: preferredSeen ?? ASSUMED_PREFERRED,
        preferredFrom: preferredSeen ? 'journal' : 'assumed',
        observedMs: c.observedMs,
        coveragePct: Math.round((1000 * c.observedMs) / (month.toMs - month.fromMs)) / 10,
        tests: tests.finish(lastMs),
        outages: outages.finish(lastMs),
        uplinks: uplinks.finish(end, c.observedMs),
        uplinkSwitches: uplinks.switches(),
        relayOperations: c.relayOperations,
        transfers: c.transfers,
        alarms,
        restarts: c.restarts,
        configHashes: [...c.configHashes],
        recordsLost: c.recordsLost,
        recordsUnreadable: unreadable,
      };
      return { ...report, findings: findings(report) };
    },
  };
}

function findings(r: Omit<Report, 'findings'>): string[] {
  const out: string[] = [];
  if (r.tests.length === 0) out.push(`No generator test in ${r.month}: a missed monthly test (NFPA 110 8.4.2).`);
  else if (!r.tests.some((t) => t.pass))
    out.push(
      `No generator test in ${r.month} passed the criteria (${fmtMs(r.criteria.testMinOnLoadMs)} on load, load on the generator within ${fmtMs(r.criteria.testMaxTimeToLoadMs)}).`,
    );
  for (const t of r.tests) if (!t.pass) out.push(`Test of ${t.start} failed: ${t.why.join('; ')}.`);
  for (const o of r.outages) {
    if (o.loadLostMs > 0) out.push(`Outage of ${o.start}: the load was not powered for ${fmtMs(o.loadLostMs)} (DC supplies insufficient).`);
    if (o.transferMs === null && o.end !== null) out.push(`Outage of ${o.start}: the load did not go onto the alternate feed (${fmtMs(o.durationMs)} outage).`);
    if (o.retransfer && !o.retransfer.ok) out.push(`Outage of ${o.start}: the retransfer to ${r.preferred} did not complete.`);
  }
  if (r.recordsLost > 0) out.push(`${r.recordsLost} journal record(s) were lost (the controller could not write them): this record is incomplete.`);
  if (r.recordsUnreadable > 0) out.push(`${r.recordsUnreadable} journal record(s) could not be read (torn or corrupt) and were skipped.`);
  if (r.coveragePct < 99.9) out.push(`The journal covers ${r.coveragePct} % of the month (the controller was not running or journaling the rest).`);
  if (r.preferredFrom === 'assumed') out.push(`The journal does not name the preferred feed; outages are those of feed ${r.preferred}.`);
  return out;
}
