// The modem recovery ladder: reconnect → reset → power cycle on a dead LTE uplink with a modem,
// each step at its time, requested through its output for a second, every step an event.
import { describe, expect, it } from 'vitest';
import type { ControllerEvent } from '../../../src/core/types.js';
import { config, driver } from './helpers.js';

const lte = (over: Record<string, unknown> = {}) => ({
  id: 'lte',
  targets: ['a', 'b', 'c'],
  modem: 'any',
  powerCycle: { afterMs: '2m', pulseMs: '5s', maxPerHour: 2 },
  ...over,
});

/** Steps on deadlines (as the runtime would) and every second, with lte's carrier as `lteCarrier(t)`. */
function run(untilMs: number, link: Record<string, unknown> = lte(), lteCarrier: (t: number) => boolean = () => false) {
  const d = driver(config({ links: [{ id: 'fiber', targets: ['a', 'b', 'c'] }, link] }));
  d.carrier = { fiber: true, lte: lteCarrier(0) };
  d.step(0);
  let t = 0;
  const images: { t: number; reconnect: boolean | undefined; reset: boolean | undefined }[] = [];
  while (t < untilMs) {
    t = Math.min(d.last.nextDeadlineMs ?? Infinity, Math.floor(t / 1000) * 1000 + 1000);
    d.carrier = { fiber: true, lte: lteCarrier(t) };
    const fiber = t % 1000 === 0 ? ['a', 'b', 'c'].map((target) => ({ uplink: 'fiber', target, ok: true, rttMs: 5, atMs: t })) : [];
    const ok = lteCarrier(t) && t % 1000 === 0 ? ['a', 'b', 'c'].map((target) => ({ uplink: 'lte', target, ok: true, rttMs: 40, atMs: t })) : [];
    d.step(t, [...fiber, ...ok]);
    images.push({ t, reconnect: d.last.outputs.get('uplink.lte.modemReconnect'), reset: d.last.outputs.get('uplink.lte.modemReset') });
  }
  const recovery = d.events.filter((x) => x.e.type === 'uplink.recovery' || x.e.type === 'uplink.powerCycle');
  return { d, images, recovery };
}

const ev = (t: number, e: ControllerEvent) => ({ t, e });

describe('modem recovery ladder', () => {
  it('reconnects twice, resets once, then power-cycles, each after the previous step’s wait', () => {
    const { recovery } = run(400_000);
    expect(recovery).toEqual([
      ev(30_000, { type: 'uplink.recovery', id: 'lte', step: 'reconnect', attempt: 1 }),
      ev(90_000, { type: 'uplink.recovery', id: 'lte', step: 'reconnect', attempt: 2 }),
      ev(150_000, { type: 'uplink.recovery', id: 'lte', step: 'reset', attempt: 1 }),
      ev(330_000, { type: 'uplink.powerCycle', id: 'lte', count: 1 }),
      ev(330_000, { type: 'uplink.recovery', id: 'lte', step: 'powerCycle', attempt: 1 }),
    ]);
  });

  it('requests each step through its output for one second', () => {
    const { images } = run(160_000);
    const on = (k: 'reconnect' | 'reset') => images.filter((x) => x[k] === true).map((x) => x.t);
    expect(on('reconnect')).toEqual([30_000, 90_000]);
    expect(on('reset')).toEqual([150_000]);
    expect(images.at(-1)).toMatchObject({ reconnect: false, reset: false });
  });

  it('stops climbing when the link comes back, and starts from the bottom at the next outage', () => {
    // Down from the start, back at 100 s (after the second reconnect), down again at 200 s.
    const { recovery } = run(260_000, lte(), (t) => t >= 100_000 && t < 200_000);
    const steps = recovery.map((x) => [x.t > 0 ? Math.round(x.t / 1000) : 0, x.e.type === 'uplink.recovery' ? x.e.step : 'pc']);
    expect(steps.slice(0, 2)).toEqual([
      [30, 'reconnect'],
      [90, 'reconnect'],
    ]);
    // The second outage begins with a reconnect again, 30 s after the link was called down.
    expect(steps[2]?.[1]).toBe('reconnect');
    expect(steps[2]?.[0]).toBeGreaterThanOrEqual(230);
    expect(steps).toHaveLength(3);
  });

  it('keeps the reset cap across outages: at most resetsPerHour resets in any hour', () => {
    // Outages of 3 min every 5 min; without reconnects each outage wants a reset at 30 s.
    const link = lte({ recovery: { reconnects: 0, resetsPerHour: 2 }, powerCycle: undefined });
    const { recovery } = run(3_600_000, link, (t) => t % 300_000 >= 180_000);
    const resets = recovery.filter((x) => x.e.type === 'uplink.recovery' && x.e.step === 'reset').map((x) => x.t);
    expect(resets.length).toBe(2);
  });

  it('does nothing without a modem, or with recovery switched off: the power cycle keeps its own timing', () => {
    for (const link of [lte({ modem: undefined }), lte({ recovery: { enabled: false } })]) {
      const { recovery, images } = run(130_000, link);
      expect(recovery).toEqual([ev(120_000, { type: 'uplink.powerCycle', id: 'lte', count: 1 })]);
      expect(images.every((x) => x.reconnect === undefined && x.reset === undefined)).toBe(true);
    }
  });
});
