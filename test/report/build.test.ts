// The monthly record as a pure fold over records: cases a simulated cabinet does not easily give —
// a generator that never starts, a restart mid-test, load lost, month boundaries, lost records.
import { describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/runtime/journal/record.js';
import { createReportBuilder } from '../../src/report/build.js';
import { parseMonth } from '../../src/report/month.js';
import type { Report } from '../../src/report/types.js';

const MARCH = parseMonth('2026-03') as NonNullable<ReturnType<typeof parseMonth>>;
const T0 = Date.parse('2026-03-10T10:00:00Z');
const s = (n: number) => n * 1000;

/** Records at T0 + ms, numbered in order; a run's start and config come first. */
function build(events: [number, string, Record<string, unknown>][], withConfig = true): Report {
  const b = createReportBuilder(MARCH);
  const all: [number, string, Record<string, unknown>][] = [
    [Date.parse('2026-03-01T00:00:00Z') - T0, 'start', {}],
    ...(withConfig
      ? [
          [Date.parse('2026-03-01T00:00:00Z') - T0, 'config', { hash: 'h', preferred: 'A', generator: 'B', uplinks: [] }] as [
            number,
            string,
            Record<string, unknown>,
          ],
        ]
      : []),
    ...events,
  ];
  all.forEach(([ms, type, f], i) => b.add({ seq: i + 1, at: new Date(T0 + ms).toISOString(), mono: ms, type, ...f } as JournalRecord));
  return b.finish();
}

const testStart: [number, string, Record<string, unknown>][] = [
  [0, 'command', { name: 'startTest', accepted: true, origin: 'http:10.0.0.7' }],
  [0, 'mode', { mode: 'test' }],
  [0, 'generator', { state: 'starting' }],
];

describe('report fold: tests', () => {
  it('an on-load test whose generator never starts fails, and says so', () => {
    const r = build([
      ...testStart,
      [s(15), 'alarm', { code: 'GEN_FAIL_TO_START', active: true }],
      [s(15), 'generator', { state: 'failed' }],
      [s(15), 'mode', { mode: 'auto' }],
    ]);
    expect(r.tests).toHaveLength(1);
    expect(r.tests[0]).toMatchObject({
      onLoad: false,
      pass: false,
      timeToLoadMs: null,
      startedBy: 'http:10.0.0.7',
      alarms: ['GEN_FAIL_TO_START'],
    });
    expect(r.tests[0]?.why).toContain('the generator failed to start (GEN_FAIL_TO_START)');
    expect(r.tests[0]?.endedBy).toMatch(/^failure: /);
    expect(r.findings.some((f) => f.startsWith('No generator test in 2026-03 passed'))).toBe(true);
  });

  it('says whether the test was asked to carry the load, from the startTest command event', () => {
    const stopped = (onLoad: boolean) =>
      build([
        [0, 'command', { name: 'startTest', accepted: true, origin: 'scada:10.0.0.9:502', onLoad }],
        [0, 'mode', { mode: 'test' }],
        [0, 'generator', { state: 'starting' }],
        [s(12), 'generator', { state: 'running' }],
        [s(60), 'command', { name: 'stopTest', accepted: true, origin: 'scada:10.0.0.9:502' }],
        [s(60), 'mode', { mode: 'auto' }],
      ]).tests[0];
    // Neither moved the load; only the command says which one was meant to.
    expect(stopped(false)).toMatchObject({ onLoad: false, requestedOnLoad: false, pass: false });
    expect(stopped(false)?.why[0]).toMatch(/^off-load/);
    expect(stopped(true)).toMatchObject({ onLoad: false, requestedOnLoad: true, pass: false });
    expect(stopped(true)?.why[0]).toBe('an on-load test, but the load never reached the generator');
  });

  it('a restart during the test ends it: time on load counts up to the restart, and it fails', () => {
    const r = build([
      ...testStart,
      [s(9), 'transfer.begin', { from: 'A', to: 'B', reason: 'test' }],
      [s(9.6), 'transfer.end', { to: 'B', durationMs: 600 }],
      [s(2000), 'start', {}],
    ]);
    expect(r.tests[0]).toMatchObject({ onLoad: true, timeToLoadMs: 9600, timeOnLoadMs: s(2000) - 9600, pass: false, endedBy: 'restart' });
    expect(r.tests[0]?.why).toContain('the controller restarted during the test');
    expect(r.restarts).toBe(2);
  });

  it('a test that starts in the month is reported whole, even when its retransfer is after the month', () => {
    const end = Date.parse('2026-04-01T00:10:00Z') - T0;
    const start = Date.parse('2026-03-31T23:20:00Z') - T0;
    const r = build([
      [start, 'command', { name: 'startTest', accepted: true, origin: 'scada:10.0.0.9' }],
      [start, 'mode', { mode: 'test' }],
      [start + 8000, 'transfer.begin', { from: 'A', to: 'B', reason: 'test' }],
      [start + 8600, 'transfer.end', { to: 'B', durationMs: 600 }],
      [end, 'mode', { mode: 'auto' }],
      [end, 'transfer.begin', { from: 'B', to: 'A', reason: 'testEnd' }],
      [end + 600, 'transfer.end', { to: 'A', durationMs: 600 }],
    ]);
    expect(r.tests[0]).toMatchObject({
      pass: true,
      timeToLoadMs: 8600,
      timeOnLoadMs: end - start - 8600,
      retransfer: { ok: true, durationMs: 600 },
    });
    // The transfer.end after the month is not one of March's transfers.
    expect(r.transfers).toBe(1);
  });
});

describe('report fold: outages and counts', () => {
  it('load lost: the time the DC supplies were insufficient during the outage, as a finding', () => {
    const r = build([
      [0, 'ups', { onBattery: true }],
      [s(3), 'source', { source: 'A', available: false, reason: 'undervoltage' }],
      [s(24), 'psu', { state: 'insufficient' }],
      [s(28), 'transfer.end', { to: 'B', durationMs: 600 }],
      [s(28), 'psu', { state: 'redundant' }],
      [s(28), 'ups', { onBattery: false }],
      [s(600), 'source', { source: 'A', available: true, reason: 'ok' }],
    ]);
    expect(r.outages[0]).toMatchObject({
      durationMs: s(597),
      transferMs: s(25),
      upsRideThroughMs: s(28),
      loadLostMs: s(4),
      retransfer: null,
    });
    expect(r.findings).toContain(`Outage of ${new Date(T0 + s(3)).toISOString()}: the load was not powered for 4.0 s (DC supplies insufficient).`);
  });

  it('an alarm active across the end of the month counts only its March part; lost records are a finding', () => {
    const end = Date.parse('2026-04-01T00:00:00Z') - T0;
    const r = build([
      [end - s(60), 'alarm', { code: 'UPS_FAULT', active: true }],
      [end - s(30), 'journal.dropped', { count: 7 }],
      [end + s(60), 'alarm', { code: 'UPS_FAULT', active: false }],
    ]);
    expect(r.alarms).toEqual([{ code: 'UPS_FAULT', raised: 1, activeMs: s(60), longestMs: s(120) }]);
    expect(r.recordsLost).toBe(7);
    expect(r.findings).toContain('7 journal record(s) were lost (the controller could not write them): this record is incomplete.');
  });

  it('the output image a restart writes first is not a relay operation; a change is', () => {
    const r = build([
      [0, 'output', { name: 'breaker.A.closeCmd', on: false }],
      [s(10), 'start', {}],
      [s(10), 'output', { name: 'breaker.A.closeCmd', on: true }],
      [s(20), 'output', { name: 'breaker.A.closeCmd', on: false }],
    ]);
    expect(r.relayOperations).toEqual({ 'breaker.A.closeCmd': 1 });
  });

  it('a modem recovery request is a software request, not a relay operation; the power-cycle relay is one', () => {
    const r = build([
      [0, 'output', { name: 'uplink.lte.modemReconnect', on: false }],
      [0, 'output', { name: 'uplink.lte.powerCycle', on: false }],
      [s(10), 'output', { name: 'uplink.lte.modemReconnect', on: true }],
      [s(11), 'output', { name: 'uplink.lte.modemReconnect', on: false }],
      [s(20), 'output', { name: 'uplink.lte.powerCycle', on: true }],
      [s(25), 'output', { name: 'uplink.lte.powerCycle', on: false }],
    ]);
    expect(r.relayOperations).toEqual({ 'uplink.lte.powerCycle': 2 });
  });

  it('without a config record naming it, the preferred feed is assumed to be A, and the report says so', () => {
    const r = build([], false);
    expect(r).toMatchObject({ preferred: 'A', preferredFrom: 'assumed' });
    expect(r.findings).toContain('The journal does not name the preferred feed; outages are those of feed A.');
  });
});

describe('report fold: a controller that died', () => {
  it('coverage and alarm time end at its last record, not at the restart', () => {
    const r = build([
      [0, 'stop', {}],
      [s(100), 'start', {}],
      [s(100), 'alarm', { code: 'UPS_FAULT', active: true }],
      [s(160), 'output', { name: 'alarm.common', on: true }],
      [s(3700), 'start', {}],
      [s(3700), 'stop', {}],
    ]);
    const beforeT0 = T0 - Date.parse('2026-03-01T00:00:00Z');
    // Watched: from the month's start to T0, then 100 s → 160 s; the hour until the restart was not.
    expect(r.observedMs).toBe(beforeT0 + s(60));
    expect(r.alarms).toEqual([{ code: 'UPS_FAULT', raised: 1, activeMs: s(60), longestMs: s(60) }]);
    expect(r.restarts).toBe(3);
  });
});
