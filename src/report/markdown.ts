// The monthly record as Markdown (the default): what a maintainer prints and a surveyor reads.
import { fmtMs } from './format.js';
import type { Report, Retransfer } from './types.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const row = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
const table = (head: readonly string[], rows: readonly (readonly string[])[]) => [row(head), row(head.map(() => '---')), ...rows.map(row)];
const rt = (r: Retransfer | null) => (r ? `${r.ok ? '' : 'FAILED '}${r.at} (${r.reason}, ${fmtMs(r.durationMs)})` : '—');

export function renderMarkdown(r: Report): string {
  const lines: string[] = [
    `# Monthly record ${r.month}`,
    '',
    `${r.from} to ${r.to} (UTC). Journal coverage ${r.coveragePct} % (${fmtMs(r.observedMs)}), ${r.restarts} controller start(s).`,
    '',
  ];
  lines.push('## Findings', '', ...(r.findings.length ? r.findings.map((f) => `- ${f}`) : ['- None.']), '');
  lines.push(
    '## Generator tests',
    '',
    `Criteria: at least ${fmtMs(r.criteria.testMinOnLoadMs)} on load; load on the generator within ${fmtMs(r.criteria.testMaxTimeToLoadMs)} of the start signal.`,
    '',
  );
  if (r.tests.length === 0) lines.push(`**No generator test in ${r.month}.**`, '');
  else {
    lines.push(
      ...table(
        ['Start', 'End', 'Load', 'Started by', 'Ended by', 'Time to load', 'On load', 'Retransfer', 'Cool-down', 'Alarms', 'Result', 'Why'],
        r.tests.map((t) => [
          t.start,
          t.end ?? '—',
          t.onLoad ? 'on load' : t.requestedOnLoad === true ? 'never on load (asked on load)' : 'off load',
          t.startedBy,
          t.endedBy,
          fmtMs(t.timeToLoadMs),
          fmtMs(t.timeOnLoadMs),
          rt(t.retransfer),
          fmtMs(t.cooldownMs),
          t.alarms.join(', ') || '—',
          t.pass ? 'PASS' : 'FAIL',
          t.why.join('; '),
        ]),
      ),
      '',
    );
  }
  lines.push(`## Outages of the preferred feed (${r.preferred})`, '');
  if (r.outages.length === 0) lines.push('None.', '');
  else {
    lines.push(
      ...table(
        ['Start', 'End', 'Duration', 'Cause', 'Load on alternate after', 'UPS ride-through', 'Load lost', 'Retransfer', 'Alarms'],
        r.outages.map((o) => [
          o.start,
          o.end ?? 'still out',
          fmtMs(o.durationMs),
          o.reason,
          fmtMs(o.transferMs),
          fmtMs(o.upsRideThroughMs),
          o.loadLostMs > 0 ? fmtMs(o.loadLostMs) : 'none',
          rt(o.retransfer),
          o.alarms.join(', ') || '—',
        ]),
      ),
      '',
    );
  }
  lines.push('## Uplinks', '', `${r.uplinkSwitches} switch(es) of the active uplink.`, '');
  if (r.uplinks.length)
    lines.push(
      ...table(
        ['Uplink', 'Availability', 'Outages', 'Longest outage', 'Down', 'Failovers'],
        r.uplinks.map((u) => [u.id, `${u.availabilityPct} %`, String(u.outages), fmtMs(u.longestOutageMs), fmtMs(u.downMs), String(u.failovers)]),
      ),
      '',
    );
  else lines.push('No uplinks named in the journal.', '');
  lines.push('## Relay operations', '', `${r.transfers} completed transfer(s).`, '');
  const relays = Object.entries(r.relayOperations).sort(([a], [b]) => a.localeCompare(b));
  lines.push(
    ...(relays.length
      ? table(
          ['Output', 'Operations'],
          relays.map(([k, v]) => [k, String(v)]),
        )
      : ['None.']),
    '',
  );
  lines.push('## Alarms', '');
  lines.push(
    ...(r.alarms.length
      ? table(
          ['Alarm', 'Raised', 'Active', 'Longest'],
          r.alarms.map((a) => [a.code, String(a.raised), fmtMs(a.activeMs), fmtMs(a.longestMs)]),
        )
      : ['None.']),
    '',
  );
  lines.push(
    '## Journal',
    '',
    `Config hash(es): ${r.configHashes.join(', ') || '—'}. Records lost: ${r.recordsLost}. Unreadable records: ${r.recordsUnreadable}.`,
  );
  return lines.join('\n');
}
