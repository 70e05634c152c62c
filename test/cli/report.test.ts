// `twinfeed sim --journal` then `twinfeed report`, as a maintainer would run them: the figures a
// surveyor reads (pass/fail and why, time to load, minutes on load, outage durations) against what
// the scenario did, a month without a test, the HTML file, and usage errors.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { cli, ensureBuilt, files } from './cli-helpers.js';

beforeAll(() => ensureBuilt(), 300_000);

const SCENARIOS = 'sim/scenarios';
const newDir = () => join(mkdtempSync(join(tmpdir(), 'twinfeed-report-')), 'state');

async function simulate(dir: string, ...scenarios: string[]): Promise<Record<string, unknown>[]> {
  const r = await cli(['sim', ...scenarios.map((s) => (s.includes('/') ? s : join(SCENARIOS, s))), '--journal', dir, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function report(dir: string, month: string, ...extra: string[]): Promise<Report> {
  const r = await cli(['report', '--dir', dir, '--month', month, '--format', 'json', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

describe('a simulated month, reported', () => {
  const dir = newDir();
  let summary: Record<string, unknown>;
  let rep: Report;
  beforeAll(async () => {
    const lines = await simulate(dir, 'month-test-and-outage.yaml');
    summary = lines.find((l) => l.type === 'summary') as Record<string, unknown>;
    rep = await report(dir, '2026-03');
  }, 120_000);

  it('the monthly test passes: load on the generator 5.62 s after the start signal, 40 min test, on load until the retransfer', () => {
    expect(rep.tests).toHaveLength(1);
    const t = rep.tests[0];
    // 3 s generator start + 2 s pickup of feed B + 620 ms transfer; the test runs 40 min from 10:00.
    expect(t).toMatchObject({
      start: '2026-03-10T10:00:00.000Z',
      end: '2026-03-10T10:40:00.000Z',
      onLoad: true,
      durationMs: 2_400_000,
      timeToLoadMs: 5620,
      timeOnLoadMs: 2_400_000 - 5620,
      pass: true,
      startedBy: 'scenario',
      endedBy: 'timer',
    });
    expect(t?.retransfer).toMatchObject({ at: '2026-03-10T10:40:00.000Z', durationMs: 620, ok: true, reason: 'testEnd' });
    expect(t?.cooldownMs).toBe(300_000);
    expect(t?.why.join('; ')).toMatch(/5\.6 s after the start signal \(limit 10\.0 s\); 39\.9 min on load \(at least 30\.0 min\)/);
  });

  it('the 2 h outage of feed A: as long as A was unavailable, load on B after 5.62 s, retransfer 5 min after A returned', () => {
    expect(rep.outages).toHaveLength(1);
    // A fails at 20d (declared after its 3 s dropout delay), returns at 20d2h (declared after its 2 s pickup delay).
    expect(rep.outages[0]).toMatchObject({
      start: '2026-03-21T00:00:03.000Z',
      end: '2026-03-21T02:00:02.000Z',
      durationMs: 7_199_000,
      transferMs: 5620,
      loadLostMs: 0,
      reason: 'undervoltage',
    });
    // The UPS carried the load from the loss of A until B was closed (8.62 s).
    expect(rep.outages[0]?.upsRideThroughMs).toBe(8620);
    expect(rep.outages[0]?.retransfer).toMatchObject({ at: '2026-03-21T02:05:02.000Z', ok: true, reason: 'retransfer', durationMs: 620 });
  });

  it('uplinks, relay operations and transfers agree with what the simulated plant counted', () => {
    const fiber = rep.uplinks.find((u) => u.id === 'fiber');
    expect(fiber).toMatchObject({ outages: 1, failovers: 1 });
    expect(fiber?.downMs).toBeGreaterThanOrEqual(3_600_000);
    expect(fiber?.downMs).toBeLessThan(3_600_000 + 60_000);
    expect(fiber?.availabilityPct).toBeCloseTo(100 * (1 - (fiber?.downMs ?? 0) / (31 * 86_400_000)), 2);
    expect(rep.uplinks.find((u) => u.id === 'lte')).toMatchObject({ availabilityPct: 100, outages: 0 });
    expect(rep.relayOperations).toEqual(summary.relayOperations);
    expect(rep.transfers).toBe(summary.transfers);
    expect(rep.coveragePct).toBe(100);
    expect(rep.findings).toEqual([]);
    expect(rep.alarms.find((a) => a.code === 'SOURCE_A_FAIL')).toMatchObject({ raised: 1, activeMs: 7_199_000 });
  });

  it('the other months of that journal have no test, and say so', async () => {
    const april = await report(dir, '2026-04');
    expect(april.tests).toEqual([]);
    expect(april.findings[0]).toBe('No generator test in 2026-04: a missed monthly test (NFPA 110 8.4.2).');
  });

  it('Markdown by default: the test result, the outage and the finding a surveyor looks for', async () => {
    const r = await cli(['report', '--dir', dir, '--month', '2026-03']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^# Monthly record 2026-03/);
    expect(r.stdout).toMatch(/\| 2026-03-10T10:00:00\.000Z \| 2026-03-10T10:40:00\.000Z \| on load \| scenario \| timer \| 5\.6 s \| 39\.9 min \|.*\| PASS \|/);
    expect(r.stdout).toMatch(/\| 2026-03-21T00:00:03\.000Z \| 2026-03-21T02:00:02\.000Z \| 2 h 00 min \| undervoltage \| 5\.6 s \|/);
  });

  it('HTML is one self-contained file: no script, no external asset', async () => {
    const r = await cli(['report', '--dir', dir, '--month', '2026-03', '--format', 'html']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^<!DOCTYPE html>/);
    expect(r.stdout).toMatch(/<td class="PASS">PASS<\/td>/);
    expect(r.stdout).not.toMatch(/<script|<link|src=|href=|url\(|@import/i);
  });

  it('twinfeed journal reads the simulated journal back like a real one: start, config, events, stop', async () => {
    const r = await cli(['journal', '--dir', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const recs = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(recs[0]).toMatchObject({ seq: 1, type: 'start', board: 'sim', at: '2026-03-01T00:00:00.000Z' });
    expect(recs[1]).toMatchObject({ type: 'config', preferred: 'A', generator: 'B', uplinks: ['fiber', 'lte'] });
    expect(recs.at(-1)).toMatchObject({ type: 'stop', at: '2026-04-01T00:00:00.000Z' });
    expect(recs.map((x) => x.seq)).toEqual(recs.map((_, i) => i + 1));
    expect(recs.find((x) => x.type === 'command')).toMatchObject({
      name: 'startTest',
      accepted: true,
      origin: 'scenario',
      at: '2026-03-10T10:00:00.000Z',
    });
  });
});

describe('tests judged against the criteria', () => {
  const dir = newDir();
  beforeAll(() => simulate(dir, 'test-on-load.yaml'), 60_000);

  it('the default cabinet fails: 13.6 s to load (8 s start + 5 s pickup) is over the Type 10 limit, and 5 min is under 30 min', async () => {
    const t = (await report(dir, '2026-01')).tests[0];
    expect(t).toMatchObject({ onLoad: true, pass: false, timeToLoadMs: 13_620, timeOnLoadMs: 300_000 - 13_620, durationMs: 300_000 });
    expect(t?.why).toEqual(['load on the generator 13.6 s after the start signal, over the 10.0 s limit', 'only 4.8 min on load, under the 30.0 min required']);
  });

  it('criteria from flags, or from the report section of a config file', async () => {
    expect((await report(dir, '2026-01', '--max-time-to-load', '15s', '--min-on-load', '4m')).tests[0]?.pass).toBe(true);
    const cfg = files({ 'c.yaml': 'report:\n  testMaxTimeToLoadMs: 15s\n  testMinOnLoadMs: 4m\n' })['c.yaml'] as string;
    const rep = await report(dir, '2026-01', '--config', cfg);
    expect(rep.criteria).toEqual({ testMinOnLoadMs: 240_000, testMaxTimeToLoadMs: 15_000 });
    expect(rep.tests[0]?.pass).toBe(true);
  });

  it('an off-load test stopped by the operator fails, saying why and who stopped it', async () => {
    const d = newDir();
    await simulate(d, 'test-off-load-stopped.yaml');
    const t = (await report(d, '2026-01')).tests[0];
    expect(t).toMatchObject({
      onLoad: false,
      pass: false,
      timeToLoadMs: null,
      timeOnLoadMs: 0,
      endedBy: 'stopTest (scenario)',
      durationMs: 180_000,
    });
    expect(t?.why[0]).toMatch(/^off-load: the load never went onto the generator/);
  });
});

describe('a month with an outage and no test', () => {
  it('reports the outage and the missed test', async () => {
    const dir = newDir();
    await simulate(dir, 'utility-outage-auto-return.yaml');
    const rep = await report(dir, '2026-01');
    expect(rep.tests).toEqual([]);
    expect(rep.findings).toContain('No generator test in 2026-01: a missed monthly test (NFPA 110 8.4.2).');
    // A lost at 10 s, declared at 13 s; back at 5 min, declared at 302 s; load on B at 26.62 s.
    expect(rep.outages).toEqual([expect.objectContaining({ durationMs: 289_000, transferMs: 13_620, loadLostMs: 0 })]);
  });
});

describe('several files with --journal: one journal, one run after another', () => {
  const later = files({
    'later.yaml': 'name: later quiet day\nstart: 2026-01-06T00:00:00Z\nduration: 1h\nconfig: { uplinks: { enabled: false } }\n',
  })['later.yaml'] as string;

  it('writes them in order, each bracketed by start and stop', async () => {
    const dir = newDir();
    await simulate(dir, 'test-on-load.yaml', later);
    const rep = await report(dir, '2026-01');
    expect(rep.restarts).toBe(2);
    expect(rep.tests).toHaveLength(1);
  });

  it('refuses files whose times overlap (exit 2), and a directory that already holds a journal', async () => {
    const dir = newDir();
    const r = await cli(['sim', join(SCENARIOS, 'test-on-load.yaml'), join(SCENARIOS, 'utility-outage-auto-return.yaml'), '--journal', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/each must start after the previous one ends/);
    await simulate(dir, 'test-on-load.yaml');
    const again = await cli(['sim', join(SCENARIOS, 'test-on-load.yaml'), '--journal', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds a journal/);
    expect(
      readFileSync(join(dir, 'journal', '0000000001.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean).length,
    ).toBeGreaterThan(10);
  });
});

describe('twinfeed report: usage errors', () => {
  const dir = newDir();
  it.each([
    [['report', '--month', '2026-03'], /report needs --dir DIR/],
    [['report', '--dir', '.'], /report needs --month YYYY-MM/],
    [['report', '--dir', '.', '--month', '2026-13'], /--month is YYYY-MM/],
    [['report', '--dir', '.', '--month', 'March'], /--month is YYYY-MM/],
    [['report', '--dir', '.', '--month', '2026-03', '--format', 'pdf'], /--format is md, json or html, got "pdf"/],
    [['report', '--dir', '.', '--month', '2026-03', '--min-on-load', 'long'], /--min-on-load takes a duration/],
    [['report', 'extra', '--dir', '.', '--month', '2026-03'], /report takes no positional arguments/],
  ])('%j exits 2 with a clear message', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('a missing directory exits 66', async () => {
    const r = await cli(['report', '--dir', join(dir, 'nowhere'), '--month', '2026-03']);
    expect(r.code).toBe(66);
    expect(r.stderr).toMatch(/no such directory/);
  });
});
