import { describe, expect, it } from 'vitest';
import { uplinksSchema } from '../../src/config/uplinks.js';
import type { ProbeResult } from '../../src/core/types.js';
import { createUplinkPlant } from '../../sim/plant/uplinks.js';
import { LAZY_DRAIN_MS, runScenario } from '../../sim/runner.js';
import { parseScenario } from '../../sim/scenario.js';
import type { SignalName } from '../../src/core/signals.js';

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
    expect(
      p
        .takeProbes(2800)
        .filter((r) => r.uplink === 'fiber')
        .map((r) => r.ok),
    ).toEqual([false, false, false]);
  });

  it('measures switches and time without a working uplink from the outputs it sees', () => {
    const p = createUplinkPlant(cfg, 1);
    const img = (f: boolean, l: boolean) =>
      new Map<SignalName, boolean>([
        ['uplink.fiber.selected', f],
        ['uplink.lte.selected', l],
      ]);
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

  it('applies a knob from its time: rounds sent before keep the knobs they were sent with', () => {
    const p = createUplinkPlant(cfg, 1);
    p.takeProbes(0);
    // Nobody looked between 0 and 3500: the rounds at 1000, 2000 and 3000 are drawn now, with loss 0.
    p.set('uplink.fiber.loss', 1, 3500);
    const fiber = p.takeProbes(4000).filter((r) => r.uplink === 'fiber');
    expect(fiber.map((r) => [r.atMs, r.ok])).toEqual(
      [1000, 2000, 3000].flatMap((at) => [
        [at, true],
        [at, true],
        [at, true],
      ]),
    );
    expect(
      p
        .takeProbes(4800)
        .filter((r) => r.uplink === 'fiber')
        .map((r) => [r.atMs, r.ok]),
    ).toEqual([
      [4000, false],
      [4000, false],
      [4000, false],
    ]);
  });

  it('a steady plant needs no wake-up when allowed; taken late, results are those of per-round wake-ups', () => {
    const eager = collect(5, 52);
    const p = createUplinkPlant(cfg, 5);
    p.takeProbes(0);
    expect(p.steady(0)).toBe(true);
    expect(p.nextDeadlineMs(0)).toBe(1000);
    // Allowed to be lazy (the last word before the jump), it replays every round, none skipped.
    expect(p.nextDeadlineMs(0, true)).toBeUndefined();
    // The latest answer before 50 500: lte's of the round at 50 000 (40 ms).
    expect(p.lastDoneBeforeMs(0, 50_500)).toBe(50_040);
    expect(p.lastDoneBeforeMs(0, 50_040)).toBe(50_010);
    const lazy = p.takeProbes(50_040);
    const key = (r: ProbeResult) => `${r.uplink} ${r.atMs} ${r.target}`;
    const sorted = (rs: readonly ProbeResult[]) => [...rs].sort((a, b) => (key(a) < key(b) ? -1 : 1));
    expect(sorted(lazy)).toEqual(sorted(eager.filter((r) => r.atMs <= 50_000)));
    p.set('uplink.lte.loss', 0.2, 50_040);
    expect(p.steady(50_040)).toBe(false);
    expect(p.nextDeadlineMs(50_040, true)).toBe(51_000);
  });

  it('the runner gives the same events with lazy probe delivery as with a wake-up at every round', () => {
    const s = parseScenario(
      {
        name: 'lazy probes',
        duration: '3h',
        steps: [
          { at: '20m', set: { 'feed.A.voltage': 0 } },
          { at: '50m', set: { 'feed.A.voltage': 230 } },
          { at: '70m', set: { 'uplink.fiber.carrier': false } },
          { at: '72m', set: { 'uplink.fiber.carrier': true } },
          { at: '90m', set: { 'uplink.fiber.loss': 0.5 } },
          { at: '95m', set: { 'uplink.fiber.loss': 0 } },
          { at: '100m', set: { 'uplink.lte.latencyMs': 900 } },
          { at: '101m', set: { 'uplink.lte.latencyMs': 40 } },
          { at: '110m', command: { name: 'selectUplink', id: 'lte' } },
          { at: '120m', command: { name: 'releaseUplink' } },
        ],
        expect: [{ at: '71m', status: { 'uplink.active': 'lte' } }],
      },
      'test',
    );
    const lazy = runScenario(s);
    const eager = runScenario(s, { lazyProbes: false });
    expect(lazy.events).toEqual(eager.events);
    expect(lazy.ok).toBe(true);
    expect(lazy.scans).toBeLessThan(eager.scans / 5);
  });

  it('a quiet stretch with lazy delivery still scans every 10 min, so waiting results stay bounded', () => {
    // Before, a quiet day was one scan taking a day of rounds (~260 000 results) at once.
    const s = parseScenario({ name: 'quiet', duration: '26h', steps: [{ at: '25h', set: { 'uplink.fiber.carrier': false } }] }, 'test');
    const times: number[] = [];
    const r = runScenario(s, { keepEvents: true, onState: (_st, nowMs) => times.push(nowMs) });
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(LAZY_DRAIN_MS);
    // Still lazy: a few hundred scans for the quiet 25 h (at every round it would be some 90 000).
    expect(times.filter((t) => t < (times[0] as number) + 25 * 3_600_000).length).toBeLessThan(500);
    // Nothing lost on the way: the cut at 25 h is seen at once.
    expect(r.events.find((e) => e.type === 'uplink.switch')?.t).toBe(25 * 3_600_000);
  });
});
