// Source health: dropout/pickup delays, the hysteresis gap, stale meters (comm, not failed) and digital sense.
import { describe, expect, it } from 'vitest';
import { availability, bootHealth, stepHealth, type SourceHealth, type SourceReadings } from '../../src/core/power/source.js';
import { cfgOf, DEFAULTS, fresh, rig, stale } from './fixtures.js';

const pc = DEFAULTS.power;
const feedA = pc.feeds.A;
const feedB = pc.feeds.B;

const meas = (voltageV: number, frequencyHz = 50, ageMs = 0): SourceReadings => ({
  voltage: fresh(voltageV, ageMs),
  frequency: fresh(frequencyHz, ageMs),
  available: undefined,
});

/** Steps health through (timeMs, readings) pairs; returns the health after each. */
function walk(start: SourceHealth, seq: readonly [number, SourceReadings][], feed = feedA, cfg = pc): SourceHealth[] {
  const out: SourceHealth[] = [];
  let h = start;
  for (const [t, r] of seq) {
    h = stepHealth(h, r, feed, cfg, t);
    out.push(h);
  }
  return out;
}

const healthyAt0 = bootHealth(meas(230), feedA, pc, 0);
const everyMs = (fromMs: number, toMs: number, periodMs: number, r: SourceReadings): [number, SourceReadings][] => {
  const s: [number, SourceReadings][] = [];
  for (let t = fromMs; t <= toMs; t += periodMs) s.push([t, r]);
  return s;
};

describe('dropout: 3 s continuously outside dropout limits → failed', () => {
  it('0 V from t=10 s: still available at 12.999 s, failed (undervoltage) at 13 s', () => {
    const hs = walk(healthyAt0, [
      [10_000, meas(0)],
      [12_999, meas(0)],
      [13_000, meas(0)],
    ]);
    expect(hs.map(availability)).toEqual(['available', 'available', 'failed']);
    expect(hs[2]?.reason).toBe('undervoltage');
  });

  it.each([
    ['undervoltage', 183, 50], // 79.6 % < 80 %
    ['overvoltage', 265, 50], // 115.2 % > 115 %
    ['underfrequency', 230, 46.9], // 93.8 % < 94 %
    ['overfrequency', 230, 53.1], // 106.2 % > 106 %
  ] as const)('%s (%d V, %d Hz) drops out after 3 s', (reason, v, hz) => {
    const hs = walk(healthyAt0, [
      [1000, meas(v, hz)],
      [3999, meas(v, hz)],
      [4000, meas(v, hz)],
    ]);
    expect(hs.map(availability)).toEqual(['available', 'available', 'failed']);
    expect(hs[2]?.reason).toBe(reason);
  });

  it('a dip of 2.9 s that recovers, repeated, never drops out (the 3 s must be continuous)', () => {
    const seq: [number, SourceReadings][] = [];
    for (let k = 0; k < 10; k++) {
      const t0 = k * 3000;
      seq.push([t0, meas(0)], [t0 + 2900, meas(0)], [t0 + 2950, meas(230)]);
    }
    expect(walk(healthyAt0, seq).every((h) => availability(h) === 'available')).toBe(true);
  });

  it('values exactly at the dropout limit (80 %, 115 %, 94 %, 106 %) do not drop out', () => {
    for (const [v, hz] of [
      [184, 50],
      [264.5, 50],
      [230, 47],
      [230, 53],
    ] as const) {
      const hs = walk(healthyAt0, everyMs(0, 20_000, 1000, meas(v, hz)));
      expect(availability(hs[hs.length - 1] as SourceHealth)).toBe('available');
    }
  });
});

describe('pickup: continuously inside pickup limits → available (A 2 s, B 5 s)', () => {
  const failedA = walk(healthyAt0, [
    [0, meas(0)],
    [3000, meas(0)],
  ])[1] as SourceHealth;

  it('feed A: back at 20 s, unavailable at 21.999 s, available at 22 s', () => {
    expect(availability(failedA)).toBe('failed');
    const hs = walk(failedA, [
      [20_000, meas(230)],
      [21_999, meas(230)],
      [22_000, meas(230)],
    ]);
    expect(hs.map(availability)).toEqual(['failed', 'failed', 'available']);
    expect(hs[2]?.reason).toBe('ok');
    expect(hs[2]?.sinceMs).toBe(22_000);
  });

  it('feed B: back at 20 s, available only at 25 s', () => {
    const failedB = bootHealth(meas(0), feedB, pc, 0);
    const hs = walk(
      failedB,
      [
        [20_000, meas(230)],
        [24_999, meas(230)],
        [25_000, meas(230)],
      ],
      feedB,
    );
    expect(hs.map(availability)).toEqual(['failed', 'failed', 'available']);
  });

  it('a pickup interrupted by a sag restarts its 2 s delay', () => {
    const hs = walk(failedA, [
      [20_000, meas(230)],
      [21_500, meas(150)],
      [21_600, meas(230)],
      [23_599, meas(230)],
      [23_600, meas(230)],
    ]);
    expect(hs.map(availability)).toEqual(['failed', 'failed', 'failed', 'failed', 'available']);
  });
});

describe('hysteresis: a source between the dropout and pickup limits does not chatter', () => {
  it('healthy at 85 % (between 80 % dropout and 90 % pickup) stays available for an hour', () => {
    const hs = walk(healthyAt0, everyMs(0, 3_600_000, 10_000, meas(195.5)));
    expect(hs.every((h) => availability(h) === 'available')).toBe(true);
  });

  it('failed, then back to 85 %, stays failed for an hour (needs 90 % to pick up)', () => {
    const failed = walk(healthyAt0, [
      [0, meas(100)],
      [3000, meas(100)],
    ])[1] as SourceHealth;
    const hs = walk(failed, everyMs(4000, 3_604_000, 10_000, meas(195.5)));
    expect(hs.every((h) => availability(h) === 'failed')).toBe(true);
  });

  it('a supply sagging between 79 % and 86 % for 10 min gives exactly one `source` unavailable event and no return', () => {
    const r = rig();
    r.scan(0);
    for (let t = 1000; t <= 600_000; t += 500) {
      // 4 s at 79 % then 4 s at 86 %: crosses the dropout limit, never the pickup limit.
      const v = Math.floor(t / 4000) % 2 === 0 ? 181.7 : 197.8;
      r.scan(t, { 'feed.A.voltage': v });
    }
    const srcA = r.of('source').filter((e) => e.source === 'A');
    expect(srcA.map((e) => [e.available, e.reason])).toEqual([
      [true, 'ok'],
      [false, 'undervoltage'],
    ]);
  });

  it('without a gap in behaviour: 90 % after a failure picks up after 2 s', () => {
    const failed = walk(healthyAt0, [
      [0, meas(100)],
      [3000, meas(100)],
    ])[1] as SourceHealth;
    const hs = walk(failed, [
      [4000, meas(207)],
      [6000, meas(207)],
    ]);
    expect(availability(hs[1] as SourceHealth)).toBe('available');
  });
});

describe('stale meter → comm (unknown), not failed', () => {
  it('a reading older than 5 s makes the feed unknown with reason comm; a fresh one restores it at once', () => {
    const hs = walk(healthyAt0, [
      [10_000, meas(230, 50, 5000)],
      [11_000, meas(230, 50, 5001)],
      [12_000, meas(230, 50, 0)],
    ]);
    expect(hs.map(availability)).toEqual(['available', 'unknown', 'available']);
    expect(hs[1]?.commLost).toBe(true);
  });

  it('a stale reading keeps the last verdict frozen: a failed feed stays failed-not-available, never picks up', () => {
    const failed = walk(healthyAt0, [
      [0, meas(0)],
      [3000, meas(0)],
    ])[1] as SourceHealth;
    const staleR: SourceReadings = { voltage: stale, frequency: stale, available: undefined };
    const hs = walk(failed, everyMs(4000, 60_000, 1000, staleR));
    expect(hs.every((h) => availability(h) === 'unknown' && !h.healthy)).toBe(true);
  });

  it('a stale meter during a pending dropout cancels the dropout (no transfer on silence)', () => {
    const staleR: SourceReadings = { voltage: stale, frequency: stale, available: undefined };
    const hs = walk(healthyAt0, [
      [1000, meas(0)],
      [2000, staleR],
      [4000, staleR],
      [60_000, staleR],
    ]);
    expect(hs.map(availability)).toEqual(['available', 'unknown', 'unknown', 'unknown']);
  });

  it('via step(): meter A silent for a minute → METER_COMM_LOST, source event reason comm, no transfer', () => {
    // The meter stops answering at 10 s: its readings go stale.
    const r2 = rig();
    r2.run(0, 10_000, {}, 1000);
    let alarm = false;
    for (let t = 11_000; t <= 70_000; t += 1000) {
      r2.scan(t, { 'feed.A.voltage': null, 'feed.A.frequency': null });
      alarm ||= r2.state.alarms.METER_COMM_LOST !== undefined;
    }
    expect(alarm).toBe(true);
    const lastA = r2
      .of('source')
      .filter((e) => e.source === 'A')
      .at(-1);
    expect(lastA).toMatchObject({ available: false, reason: 'comm' });
    expect(r2.of('transfer.begin')).toEqual([]);
    expect(r2.state.alarms.SOURCE_A_FAIL).toBeUndefined();
    expect(r2.last?.outputs.get('breaker.A.closeCmd')).toBe(true);
  });
});

describe('digital sense: a "source available" contact', () => {
  const cfg = cfgOf({ power: { feeds: { A: { sense: 'digital' } } } });
  const dA = cfg.power.feeds.A;
  const contact = (on: boolean, ageMs = 0): SourceReadings => ({ voltage: undefined, frequency: undefined, available: fresh(on, ageMs) });
  const start = bootHealth(contact(true), dA, cfg.power, 0);

  it('contact true at boot → available; voltage readings are ignored', () => {
    expect(availability(start)).toBe('available');
  });
  it('contact open for 3 s → failed; closed again for 2 s → available', () => {
    const hs = walk(
      start,
      [
        [1000, contact(false)],
        [3999, contact(false)],
        [4000, contact(false)],
        [10_000, contact(true)],
        [11_999, contact(true)],
        [12_000, contact(true)],
      ],
      dA,
      cfg.power,
    );
    expect(hs.map(availability)).toEqual(['available', 'available', 'failed', 'failed', 'failed', 'available']);
  });
  it('a stale contact is unknown, not failed', () => {
    const hs = walk(
      start,
      [
        [1000, contact(false, 6000)],
        [10_000, contact(false, 15_000)],
      ],
      dA,
      cfg.power,
    );
    expect(hs.map(availability)).toEqual(['unknown', 'unknown']);
  });
});
