import { describe, expect, it } from 'vitest';
import { uplinksSchema } from '../../src/config/uplinks.js';
import type { ProbeResult } from '../../src/core/types.js';
import { createUplinkPlant } from '../../sim/plant/uplinks.js';

const cfg = uplinksSchema.parse({});

/** Collects every probe result over `rounds` rounds, stepping the plant on its own deadlines. */
function collect(seed: number, rounds: number, knobs: Record<string, unknown> = {}): ProbeResult[] {
  const p = createUplinkPlant(cfg, seed);
  for (const [k, v] of Object.entries(knobs)) expect(p.set(k, v)).toBeUndefined();
  const out: ProbeResult[] = [];
  let t = 0;
  p.takeProbes(0);
  while (t <= rounds * cfg.probe.intervalMs) {
    t = p.nextDeadlineMs(t) ?? Infinity;
    out.push(...p.takeProbes(t));
  }
  return out;
}

describe('simulated uplinks', () => {
  it('knows its knobs and explains bad values', () => {
    const p = createUplinkPlant(cfg, 1);
    expect(p.hasKnob('uplink.fiber.loss')).toBe(true);
    expect(p.hasKnob('uplink.wifi.loss')).toBe(false);
    expect(p.hasKnob('uplink.fiber.jitter')).toBe(false);
    expect(p.set('uplink.fiber.loss', 1.5)).toMatch(/probability from 0 to 1/);
    expect(p.set('uplink.fiber.carrier', 'yes')).toMatch(/true or false/);
    expect(p.set('uplink.lte.latencyMs', -1)).toMatch(/ms, 0 or more/);
    expect(p.set('uplink.wifi.carrier', false)).toMatch(/unknown knob/);
    expect(p.set('uplink.fiber.carrier', false)).toBeUndefined();
    expect(p.carrier('fiber')).toBe(false);
  });

  it('is reproducible from the seed, and a different seed draws different losses', () => {
    const a = collect(42, 200, { 'uplink.fiber.loss': 0.3 });
    expect(collect(42, 200, { 'uplink.fiber.loss': 0.3 })).toEqual(a);
    expect(collect(43, 200, { 'uplink.fiber.loss': 0.3 })).not.toEqual(a);
  });

  it('draws loss per echo: with 2 attempts, 30 % loss loses about 9 % of targets', () => {
    const fiber = collect(7, 2000, { 'uplink.fiber.loss': 0.3 }).filter((r) => r.uplink === 'fiber');
    const lost = fiber.filter((r) => !r.ok).length / fiber.length;
    expect(lost).toBeGreaterThan(0.07);
    expect(lost).toBeLessThan(0.11);
  });

  it('answers after latencyMs; lost probes report at the timeout; no carrier fails at once', () => {
    const p = createUplinkPlant(cfg, 1);
    p.set('uplink.lte.carrier', false);
    p.set('uplink.fiber.loss', 0);
    p.takeProbes(0);
    expect(p.nextDeadlineMs(0)).toBe(1000);
    const atStart = p.takeProbes(1000);
    expect(atStart.filter((r) => r.uplink === 'lte').map((r) => r.ok)).toEqual([false, false, false]);
    expect(p.nextDeadlineMs(1000)).toBe(1010);
    expect(p.takeProbes(1010).map((r) => [r.uplink, r.ok, r.rttMs, r.atMs])).toEqual([
      ['fiber', true, 10, 1000],
      ['fiber', true, 10, 1000],
      ['fiber', true, 10, 1000],
    ]);
    p.set('uplink.fiber.loss', 1);
    p.takeProbes(2000);
    expect(p.nextDeadlineMs(2000)).toBe(2800);
    expect(p.takeProbes(2800).filter((r) => r.uplink === 'fiber').map((r) => r.ok)).toEqual([false, false, false]);
  });

  it('measures switches and time without a working uplink from the outputs it sees', () => {
    const p = createUplinkPlant(cfg, 1);
    const img = (f: boolean, l: boolean) => new Map([['uplink.fiber.selected', f], ['uplink.lte.selected', l]]);
    p.observe(img(true, false), 0);
    p.set('uplink.fiber.carrier', false);
    p.observe(img(true, false), 1000);
    p.observe(img(false, true), 1500);
    p.observe(img(false, false), 2000);
    p.observe(img(true, false), 3000);
    p.set('uplink.fiber.carrier', true);
    p.observe(img(true, false), 3200);
    expect(p.summary(4000)).toEqual({ uplinkSwitches: 2, uplinkDownMs: 500 + 1000 + 200 });
  });
});
