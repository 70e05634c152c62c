// Retransfer maintenance windows in a time zone: Europe/Berlin, windows over midnight, DST change days; the policy that uses them.
import { describe, expect, it } from 'vitest';
import { decide, type PolicyInput } from '../../src/core/power/policy.js';
import { insideWindow, nextMinute } from '../../src/core/power/window.js';
import { runScenario } from '../../sim/runner.js';
import { parseScenario } from '../../sim/scenario.js';
import { cfgOf } from './fixtures.js';

type Win = ReturnType<typeof cfgOf>['power']['retransfer']['window'];
const win = (w: Record<string, unknown>): Win => cfgOf({ power: { retransfer: { policy: 'window', window: w } } }).power.retransfer.window;
const at = (iso: string) => Date.parse(iso);

describe('insideWindow', () => {
  const sunBerlin = win({ days: ['sun'], start: '02:00', end: '04:00', timeZone: 'Europe/Berlin' });

  it('Sunday 02:00–04:00 Berlin in winter (UTC+1): 01:00Z in, 00:59Z out, 03:00Z (04:00 local) out', () => {
    // 2026-01-11 is a Sunday.
    expect(insideWindow(sunBerlin, at('2026-01-11T00:59:59Z'))).toBe(false);
    expect(insideWindow(sunBerlin, at('2026-01-11T01:00:00Z'))).toBe(true);
    expect(insideWindow(sunBerlin, at('2026-01-11T02:59:59Z'))).toBe(true);
    expect(insideWindow(sunBerlin, at('2026-01-11T03:00:00Z'))).toBe(false);
  });

  it('the same window in summer (UTC+2): 00:00Z is 02:00 local', () => {
    // 2026-07-05 is a Sunday.
    expect(insideWindow(sunBerlin, at('2026-07-04T23:59:00Z'))).toBe(false);
    expect(insideWindow(sunBerlin, at('2026-07-05T00:00:00Z'))).toBe(true);
    expect(insideWindow(sunBerlin, at('2026-07-05T02:00:00Z'))).toBe(false);
  });

  it('not on another weekday at the same local time', () => {
    expect(insideWindow(sunBerlin, at('2026-01-12T01:30:00Z'))).toBe(false); // Monday 02:30 Berlin
  });

  it('spring DST day (2026-03-29, 02:00 local does not exist): the window opens at 03:00 CEST = 01:00Z and ends 04:00 CEST = 02:00Z', () => {
    expect(insideWindow(sunBerlin, at('2026-03-29T00:59:00Z'))).toBe(false); // 01:59 CET
    expect(insideWindow(sunBerlin, at('2026-03-29T01:00:00Z'))).toBe(true); // 03:00 CEST
    expect(insideWindow(sunBerlin, at('2026-03-29T01:59:00Z'))).toBe(true); // 03:59 CEST
    expect(insideWindow(sunBerlin, at('2026-03-29T02:00:00Z'))).toBe(false); // 04:00 CEST
  });

  it('autumn DST day (2026-10-25, 02:00–03:00 happens twice): the window lasts 3 h of real time', () => {
    expect(insideWindow(sunBerlin, at('2026-10-24T23:59:00Z'))).toBe(false); // 01:59 CEST
    expect(insideWindow(sunBerlin, at('2026-10-25T00:00:00Z'))).toBe(true); // 02:00 CEST
    expect(insideWindow(sunBerlin, at('2026-10-25T01:30:00Z'))).toBe(true); // 02:30 CET (second time)
    expect(insideWindow(sunBerlin, at('2026-10-25T02:59:00Z'))).toBe(true); // 03:59 CET
    expect(insideWindow(sunBerlin, at('2026-10-25T03:00:00Z'))).toBe(false); // 04:00 CET
    let minutes = 0;
    for (let t = at('2026-10-24T20:00:00Z'); t < at('2026-10-25T08:00:00Z'); t += 60_000) if (insideWindow(sunBerlin, t)) minutes++;
    expect(minutes).toBe(180);
  });

  it('a window over midnight (Sat 23:00 → 01:00 Berlin) covers Saturday late and Sunday early, not Sunday late', () => {
    const w = win({ days: ['sat'], start: '23:00', end: '01:00', timeZone: 'Europe/Berlin' });
    // 2026-01-10 is a Saturday; Berlin is UTC+1.
    expect(insideWindow(w, at('2026-01-10T21:59:00Z'))).toBe(false); // Sat 22:59
    expect(insideWindow(w, at('2026-01-10T22:00:00Z'))).toBe(true); // Sat 23:00
    expect(insideWindow(w, at('2026-01-10T23:30:00Z'))).toBe(true); // Sun 00:30 (window began Saturday)
    expect(insideWindow(w, at('2026-01-11T00:00:00Z'))).toBe(false); // Sun 01:00
    expect(insideWindow(w, at('2026-01-11T22:30:00Z'))).toBe(false); // Sun 23:30
    expect(insideWindow(w, at('2026-01-09T23:30:00Z'))).toBe(false); // Sat 00:30 (Friday not listed)
  });

  it('start equal to end means the whole listed day', () => {
    const w = win({ days: ['mon'], start: '00:00', end: '00:00', timeZone: 'UTC' });
    expect(insideWindow(w, at('2026-01-12T23:59:00Z'))).toBe(true);
    expect(insideWindow(w, at('2026-01-13T00:00:00Z'))).toBe(false);
  });

  it('nextMinute is the next whole minute', () => {
    expect(nextMinute(at('2026-01-11T00:59:30Z'))).toBe(at('2026-01-11T01:00:00Z'));
    expect(nextMinute(at('2026-01-11T01:00:00Z'))).toBe(at('2026-01-11T01:01:00Z'));
  });
});

describe('window policy (decide)', () => {
  const cfg = cfgOf({ power: { retransfer: { policy: 'window', window: { days: ['sun'], start: '02:00', end: '04:00', timeZone: 'Europe/Berlin' } } } }).power;
  const onB = (nowMs: number, over: Partial<PolicyInput> = {}) =>
    decide(
      cfg,
      {
        mode: 'auto',
        position: 'B',
        avail: { A: 'available', B: 'available' },
        inUseDeadByEvidence: false,
        preferredStableSinceMs: nowMs - 3_600_000,
        approved: false,
        rateLimited: false,
        test: null,
        manualTarget: null,
        testReturn: false,
        ...over,
      },
      nowMs,
    );

  it('outside the window: pending, no wish', () => {
    expect(onB(at('2026-01-10T23:00:00Z'))).toMatchObject({ desire: null, retransferPending: true });
  });
  it('inside the window after the delay: retransfer to A', () => {
    expect(onB(at('2026-01-11T01:00:00Z')).desire).toEqual({ to: 'A', reason: 'retransfer' });
  });
  it('inside the window but A back for less than the retransfer delay: still waits', () => {
    expect(onB(at('2026-01-11T01:00:00Z'), { preferredStableSinceMs: at('2026-01-11T00:58:00Z') }).desire).toBeNull();
  });
  it('outside the window but B failed with A available: transfer at once (any policy)', () => {
    expect(onB(at('2026-01-10T23:00:00Z'), { avail: { A: 'available', B: 'failed' } }).desire).toEqual({ to: 'A', reason: 'sourceFail' });
  });
});

describe('window policy end to end on the spring DST day', () => {
  it('the load returns to A at 03:00 CEST (01:00Z), the first minute of the shortened window', () => {
    const s = parseScenario(
      {
        name: 'dst',
        start: '2026-03-28T22:00:00Z', // Saturday 23:00 CET
        duration: '4h',
        // Uplinks off: nothing to probe, so the virtual clock jumps from deadline to deadline.
        config: {
          uplinks: { enabled: false },
          power: { retransfer: { policy: 'window', window: { days: ['sun'], start: '02:00', end: '04:00', timeZone: 'Europe/Berlin' } } },
        },
        steps: [
          { at: 0, set: { 'feed.A.voltage': 0 } },
          { at: '30m', set: { 'feed.A.voltage': 230 } },
        ],
      },
      'test',
    );
    const r = runScenario(s);
    const back = r.events.filter((e) => e.type === 'transfer.begin' && e.to === 'A');
    // 01:00Z is 3 h after the start.
    expect(back.map((e) => e.t)).toEqual([3 * 3_600_000]);
    expect(r.summary.interlockViolations).toBe(0);
  });
});
