// Controller behaviour through step() in the simulated cabinet: operator commands, manual/test modes, retransfer policies, anti-hunting, evidence.
import { describe, expect, it } from 'vitest';
import { runScenario, type RunResult, type TimedEvent } from '../../sim/runner.js';
import { parseScenario } from '../../sim/scenario.js';

/** Runs a scenario with uplink control off (power only; the clock jumps between deadlines). */
function run(y: Record<string, unknown>): RunResult {
  const config = { uplinks: { enabled: false }, ...((y.config as Record<string, unknown> | undefined) ?? {}) };
  return runScenario(parseScenario({ name: 'controller', ...y, config }, 'test'));
}
const of = (r: RunResult, type: string, pred: (e: TimedEvent) => boolean = () => true) => r.events.filter((e) => e.type === type && pred(e));
const cmd = (r: RunResult, name: string) => of(r, 'command', (e) => e.name === name).map((e) => ({ t: e.t, accepted: e.accepted, reason: e.reason }));

describe('operator commands', () => {
  it('transferTo in auto mode is refused with a reason; in manual mode it moves the load and the plant follows', () => {
    const r = run({
      duration: '1m',
      steps: [
        { at: '1s', command: { name: 'transferTo', source: 'B' } },
        { at: '2s', command: { name: 'setMode', mode: 'manual' } },
        { at: '3s', command: { name: 'transferTo', source: 'B' } }, // generator not running: B not available
      ],
    });
    expect(cmd(r, 'transferTo')).toEqual([
      { t: 1000, accepted: false, reason: 'mode is auto: set mode manual first' },
      { t: 3000, accepted: false, reason: 'source B is not available' },
    ]);
    expect(cmd(r, 'setMode')).toEqual([{ t: 2000, accepted: true, reason: undefined }]);
    expect(r.finalStatus).toMatchObject({ mode: 'manual', source: 'A' });
  });

  it('manual mode: transferTo B once the generator runs (test), then the load moves to B', () => {
    const r = run({
      duration: '1m',
      steps: [
        { at: '1s', command: { name: 'startTest', onLoad: false, durationMs: '20s' } },
        { at: '15s', command: { name: 'setMode', mode: 'manual' } }, // ends the test; the generator cools down
        { at: '15s', command: { name: 'transferTo', source: 'B' } },
      ],
    });
    expect(cmd(r, 'transferTo')).toEqual([{ t: 15_000, accepted: true, reason: undefined }]);
    // The startTest command event says what was asked (a monthly report needs it, not a guess).
    expect(
      of(r, 'command')
        .filter((e) => e.name === 'startTest')
        .map((e) => e.onLoad),
    ).toEqual([false]);
    expect(of(r, 'transfer.begin').map((e) => [e.t, e.from, e.to, e.reason])).toEqual([[15_000, 'A', 'B', 'manual']]);
    expect(r.finalStatus).toMatchObject({ mode: 'manual', source: 'B' });
    expect(r.summary.interlockViolations).toBe(0);
  });

  it('manual mode reverts to auto when the output has been dead for 10 s, and auto restores the load', () => {
    const r = run({
      duration: '2m',
      steps: [
        { at: '1s', command: { name: 'setMode', mode: 'manual' } },
        { at: '5s', set: { 'feed.A.voltage': 0 } },
      ],
    });
    // A fails at 8 s (3 s dropout); 10 s later (18 s) manual gives way to auto.
    expect(of(r, 'mode').map((e) => [e.t, e.mode])).toEqual([
      [1000, 'manual'],
      [18_000, 'auto'],
    ]);
    expect(r.finalStatus).toMatchObject({ mode: 'auto', source: 'B' });
  });

  it('startTest on load moves the load to B and back to A at the end without the retransfer delay', () => {
    const r = run({ duration: '3m', steps: [{ at: '1s', command: { name: 'startTest', onLoad: true, durationMs: '1m' } }] });
    const begins = of(r, 'transfer.begin').map((e) => [e.from, e.to, e.reason]);
    expect(begins).toEqual([
      ['A', 'B', 'test'],
      ['B', 'A', 'testEnd'],
    ]);
    const back = of(r, 'transfer.begin', (e) => e.reason === 'testEnd')[0];
    expect(back?.t).toBe(61_000);
    expect(of(r, 'mode').map((e) => e.mode)).toEqual(['test', 'auto']);
    expect(of(r, 'generator').map((e) => e.state)).toEqual(['starting', 'running', 'cooldown']);
    expect(r.summary).toMatchObject({ interlockViolations: 0, transfers: 2 });
  });

  it('startTest is refused while the load is not on a healthy A; stopTest without a test is refused', () => {
    const r = run({
      duration: '1m',
      steps: [
        { at: '1s', set: { 'feed.A.voltage': 0 } },
        { at: '10s', command: { name: 'startTest', onLoad: true, durationMs: '1m' } },
        { at: '11s', command: { name: 'stopTest' } },
      ],
    });
    expect(cmd(r, 'startTest')).toEqual([{ t: 10_000, accepted: false, reason: 'the load must be on the healthy preferred source A' }]);
    expect(cmd(r, 'stopTest')).toEqual([{ t: 11_000, accepted: false, reason: 'no test is running' }]);
  });

  it('a failure of A during an off-load test ends the test at once and transfers to the running generator', () => {
    const r = run({
      duration: '1m',
      steps: [
        { at: '1s', command: { name: 'startTest', onLoad: false, durationMs: '10m' } },
        { at: '20s', set: { 'feed.A.voltage': 0 } },
      ],
    });
    expect(of(r, 'mode').map((e) => [e.t, e.mode])).toEqual([
      [1000, 'test'],
      [23_000, 'auto'],
    ]);
    expect(of(r, 'transfer.begin').map((e) => [e.t, e.reason])).toEqual([[23_000, 'sourceFail']]);
  });
});

describe('refused test commands say why', () => {
  it.each([
    ['in manual mode', [{ at: '1s', command: { name: 'setMode', mode: 'manual' } }], 'mode is manual: set mode auto first'],
    ['while a test runs', [{ at: '1s', command: { name: 'startTest', onLoad: false, durationMs: '1m' } }], 'a test is already running'],
  ])('startTest %s', (_what, before, reason) => {
    const r = run({ duration: '10s', steps: [...before, { at: '2s', command: { name: 'startTest', onLoad: true, durationMs: '1m' } }] });
    expect(cmd(r, 'startTest').at(-1)).toEqual({ t: 2000, accepted: false, reason });
  });

  it('startTest with a zero duration', () => {
    const r = run({ duration: '10s', steps: [{ at: '2s', command: { name: 'startTest', onLoad: true, durationMs: 0 } }] });
    expect(cmd(r, 'startTest')).toEqual([{ t: 2000, accepted: false, reason: 'durationMs must be above 0' }]);
  });

  it('startTest without a generator feed (two utility feeds)', () => {
    const r = run({
      duration: '10s',
      config: { power: { feeds: { B: { role: 'utility' } } } },
      steps: [{ at: '2s', command: { name: 'startTest', onLoad: true, durationMs: '1m' } }],
    });
    expect(cmd(r, 'startTest')).toEqual([{ t: 2000, accepted: false, reason: 'no generator feed is configured' }]);
  });
});

describe('generator failure and the operator reset', () => {
  it('after GEN_FAIL_TO_START, repairing the generator and resetLockout starts it again and the load goes to B', () => {
    const r = run({
      duration: '3m',
      steps: [
        { at: '10s', set: { 'generator.failToStart': true, 'feed.A.voltage': 0 } },
        { at: '1m', set: { 'generator.failToStart': false } },
        { at: '1m10s', command: { name: 'resetLockout' } },
      ],
    });
    expect(cmd(r, 'resetLockout')).toEqual([{ t: 70_000, accepted: true, reason: undefined }]);
    expect(of(r, 'generator').map((e) => [e.t, e.state])).toEqual([
      [13_000, 'starting'],
      [43_000, 'failed'],
      [70_000, 'starting'],
      [78_000, 'running'],
    ]);
    expect(of(r, 'alarm', (e) => e.code === 'GEN_FAIL_TO_START').map((e) => [e.t, e.active])).toEqual([
      [43_000, true],
      [70_000, false],
    ]);
    expect(r.finalStatus).toMatchObject({ source: 'B', generator: 'running' });
  });
});

describe('retransfer policies', () => {
  it('auto: back to A 5 min after A became available again', () => {
    const r = run({
      duration: '10m',
      steps: [
        { at: '10s', set: { 'feed.A.voltage': 0 } },
        { at: '1m', set: { 'feed.A.voltage': 230 } },
      ],
    });
    // A available again at 62 s (2 s pickup) → retransfer at 362 s.
    expect(of(r, 'transfer.begin', (e) => e.to === 'A').map((e) => [e.t, e.reason])).toEqual([[362_000, 'retransfer']]);
  });

  it('manual: waits for approveRetransfer (RETRANSFER_PENDING_APPROVAL), an early approval is refused', () => {
    const r = run({
      duration: '20m',
      config: { power: { retransfer: { policy: 'manual' } } },
      steps: [
        { at: '10s', set: { 'feed.A.voltage': 0 } },
        { at: '40s', command: { name: 'approveRetransfer' } },
        { at: '1m', set: { 'feed.A.voltage': 230 } },
        { at: '15m', command: { name: 'approveRetransfer' } },
      ],
    });
    expect(cmd(r, 'approveRetransfer')).toEqual([
      { t: 40_000, accepted: false, reason: 'no retransfer is pending' },
      { t: 900_000, accepted: true, reason: undefined },
    ]);
    expect(of(r, 'alarm', (e) => e.code === 'RETRANSFER_PENDING_APPROVAL').map((e) => [e.t, e.active])).toEqual([
      [62_000, true],
      [900_000, false],
    ]);
    expect(of(r, 'transfer.begin', (e) => e.to === 'A').map((e) => e.t)).toEqual([900_000]);
  });

  it('whatever the policy: B failing while A is available transfers at once', () => {
    const r = run({
      duration: '5m',
      config: { power: { retransfer: { policy: 'manual' } } },
      steps: [
        { at: '10s', set: { 'feed.A.voltage': 0 } },
        { at: '1m', set: { 'feed.A.voltage': 230 } },
        { at: '2m', set: { 'feed.B.voltage': 0 } },
      ],
    });
    expect(of(r, 'transfer.begin', (e) => e.to === 'A').map((e) => [e.t, e.reason])).toEqual([[123_000, 'sourceFail']]);
  });
});

describe('source alarms', () => {
  it('SOURCE_B_FAIL when the running generator drops out, never for a generator that is merely stopped', () => {
    const r = run({
      duration: '20m',
      steps: [
        { at: '10s', set: { 'feed.A.voltage': 0 } },
        { at: '1m', set: { 'feed.B.voltage': 0 } },
        { at: '2m', set: { 'feed.B.voltage': 230, 'feed.A.voltage': 230 } },
      ],
    });
    const alarms = of(r, 'alarm', (e) => e.code === 'SOURCE_B_FAIL').map((e) => [e.t, e.active]);
    expect(alarms).toHaveLength(2);
    expect(alarms[0]).toEqual([63_000, true]);
    // Cleared once B is back (voltage at 120 s; the load returned to A at 122 s).
    expect(alarms[1]?.[1]).toBe(false);
    expect(alarms[1]?.[0]).toBeGreaterThanOrEqual(120_000);
    expect(alarms[1]?.[0]).toBeLessThanOrEqual(125_000);
    // After the return to A the generator cools down and stops: B dead again, but no alarm.
    expect(r.finalStatus).toMatchObject({ source: 'A', generator: 'stopped' });
    expect(r.finalStatus.alarms).toEqual([]);
  });
});

describe('anti-hunting', () => {
  it('4 transfers within 15 min suspend automatic retransfer with TRANSFER_RATE_LIMIT', () => {
    const steps: Record<string, unknown>[] = [];
    // A fails and returns twice with a short retransfer delay: A→B, B→A, A→B, B→A = 4 transfers.
    for (const k of [0, 1, 2]) {
      steps.push({ at: 10_000 + k * 120_000, set: { 'feed.A.voltage': 0 } }, { at: 60_000 + k * 120_000, set: { 'feed.A.voltage': 230 } });
    }
    const r = run({ duration: '10m', config: { power: { retransfer: { delayMs: '10s' } } }, steps });
    const toA = of(r, 'transfer.begin', (e) => e.to === 'A').map((e) => e.t);
    expect(toA).toHaveLength(2);
    expect(of(r, 'alarm', (e) => e.code === 'TRANSFER_RATE_LIMIT' && e.active === true)).toHaveLength(1);
    expect(r.finalStatus).toMatchObject({ source: 'B', retransferPending: true });
  });
});

describe('evidence beats silence', () => {
  it("A's meter goes quiet and the UPS goes on battery: after the 3 s dropout delay the load moves to B", () => {
    const r = run({
      duration: '1m',
      steps: [
        { at: '5s', set: { 'meter.A.comm': false } },
        { at: '10s', set: { 'feed.A.voltage': 0 } },
      ],
    });
    // Dead output seen at 10 s with A unknown (stale since 10 s) → evidence at 13 s: the generator
    // starts then, and B (8 s start + 5 s pickup) takes the load at 26 s, as for a metered failure.
    // (The meter counts as stale 1 ms after its 5 s limit, hence 13.001 s.)
    const start = of(r, 'generator', (e) => e.state === 'starting').map((e) => e.t);
    expect(start).toHaveLength(1);
    expect(start[0]).toBeGreaterThanOrEqual(13_000);
    expect(start[0]).toBeLessThanOrEqual(13_001);
    const begin = of(r, 'transfer.begin')[0];
    expect(begin).toMatchObject({ from: 'A', to: 'B', reason: 'deadOutput' });
    expect(begin?.t).toBe((start[0] as number) + 13_000);
    expect(of(r, 'alarm', (e) => e.code === 'METER_COMM_LOST' && e.active === true)).not.toHaveLength(0);
  });

  it('a quiet meter alone (output alive) never transfers', () => {
    const r = run({ duration: '5m', steps: [{ at: '5s', set: { 'meter.A.comm': false } }] });
    expect(of(r, 'transfer.begin')).toEqual([]);
    expect(r.finalStatus.alarms).toContain('METER_COMM_LOST');
    expect(r.finalStatus.source).toBe('A');
  });
});

describe('retransfer delay after a period of unknown health', () => {
  // Regression: the retransfer delay counted from SourceHealth.sinceMs, which a meter outage did not reset.
  // A available at 62 s, A's meter silent 2m–6m (source A: available false, reason comm), fresh again
  // at 6 m: the load goes back to A at 6m02s (62 s + 5 min, counted through the outage), although the spec counts the 5 min delay "from A
  // becoming available" (the event stream shows A becoming available again at 6 m → retransfer ≥ 11 m).
  // Input: steps feed.A.voltage 0 @10s, 230 @1m, meter.A.comm false @2m, true @6m; duration 15m.
  it('A back from a meter outage waits the full retransfer delay again', () => {
    const r = run({
      duration: '15m',
      steps: [
        { at: '10s', set: { 'feed.A.voltage': 0 } },
        { at: '1m', set: { 'feed.A.voltage': 230 } },
        { at: '2m', set: { 'meter.A.comm': false } },
        { at: '6m', set: { 'meter.A.comm': true } },
      ],
    });
    const backAvailable = of(r, 'source', (e) => e.source === 'A' && e.available === true).at(-1)?.t as number;
    expect(backAvailable).toBeGreaterThanOrEqual(360_000);
    const toA = of(r, 'transfer.begin', (e) => e.to === 'A').map((e) => e.t);
    expect(toA).toHaveLength(1);
    expect(toA[0]).toBeGreaterThanOrEqual(backAvailable + 300_000);
  });
});
