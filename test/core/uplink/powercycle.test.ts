import { describe, expect, it } from 'vitest';
import { config, driver } from './helpers.js';

const pcConfig = () =>
  config({
    links: [
      { id: 'fiber', targets: ['a', 'b', 'c'] },
      { id: 'lte', targets: ['a', 'b', 'c'], powerCycle: { afterMs: '2m', pulseMs: '5s', maxPerHour: 2 } },
    ],
  });

/** Steps on deadlines only (the runtime would), for `untilMs`, with lte's carrier down. */
function runDown(untilMs: number) {
  const d = driver(pcConfig());
  d.carrier = { fiber: true, lte: false };
  d.step(0);
  let t = 0;
  // Fiber answers every round so only lte is down; the probes of lte fail fast (no carrier).
  while (t < untilMs) {
    t = Math.min(d.last.nextDeadlineMs ?? Infinity, Math.floor(t / 1000) * 1000 + 1000);
    const fiber =
      t % 1000 === 0
        ? [
            { uplink: 'fiber', target: 'a', ok: true, rttMs: 5, atMs: t },
            { uplink: 'fiber', target: 'b', ok: true, rttMs: 5, atMs: t },
            { uplink: 'fiber', target: 'c', ok: true, rttMs: 5, atMs: t },
          ]
        : [];
    d.step(t, fiber);
  }
  return d;
}

describe('modem power-cycle', () => {
  it('pulses the relay after the uplink has been down afterMs, for pulseMs, with an event', () => {
    const d = runDown(130_000);
    const pcs = d.events.filter((x) => x.e.type === 'uplink.powerCycle');
    expect(pcs).toEqual([{ t: 120_000, e: { type: 'uplink.powerCycle', id: 'lte', count: 1 } }]);
    expect(d.last.outputs.get('uplink.lte.powerCycle')).toBe(false);
    expect(d.last.outputs.has('uplink.fiber.powerCycle')).toBe(false);
  });

  it('holds the relay on for exactly pulseMs', () => {
    const d = runDown(122_000);
    expect(d.last.outputs.get('uplink.lte.powerCycle')).toBe(true);
    const d2 = runDown(125_000);
    expect(d2.last.outputs.get('uplink.lte.powerCycle')).toBe(false);
  });

  it('pulses at most maxPerHour times in any hour while the line stays dead', () => {
    const d = runDown(3 * 3_600_000);
    const times = d.events.filter((x) => x.e.type === 'uplink.powerCycle').map((x) => x.t);
    expect(times.slice(0, 3)).toEqual([120_000, 245_000, 3_720_000]);
    for (let i = 2; i < times.length; i++) expect((times[i] as number) - (times[i - 2] as number)).toBeGreaterThanOrEqual(3_600_000);
  });
});
