// Property tests of the uplink core against the simulated uplinks, over many seeds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runUplinks } from '../../../sim/plant/uplink-harness.js';
import { usable } from '../../../src/core/uplink/state.js';
import { config } from './helpers.js';

const DAY_MS = 86_400_000;
const targets = (n: number) => Array.from({ length: n }, (_, j) => `t${j + 1}`);
const twoLinks = (n: number) =>
  config({
    links: [
      { id: 'fiber', targets: targets(n) },
      { id: 'lte', targets: targets(n) },
    ],
  });

describe('uplink core properties', () => {
  it('with 2 or 3 targets and 10 % independent loss, no false failover in 24 simulated hours', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constantFrom(2, 3), (seed, n) => {
        const downs: number[] = [];
        const r = runUplinks(twoLinks(n), {
          seed,
          durationMs: DAY_MS,
          steps: [{ atMs: 0, set: { 'uplink.fiber.loss': 0.1, 'uplink.lte.loss': 0.1 } }],
          onEvent: (t, e) => {
            if (e.type === 'uplink' && !e.up) downs.push(t);
          },
        });
        expect(downs).toEqual([]);
        expect(r.summary.uplinkSwitches).toBe(0);
      }),
      { numRuns: 6 },
    );
  });

  it('total loss is always detected within the bound: carrier at once, silent loss within downRounds × interval + timeout', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.constantFrom('carrier', 'silent'),
        fc.integer({ min: 20_000, max: 30_000 }),
        fc.constantFrom(0, 0.05, 0.1),
        fc.integer({ min: 1, max: 5 }),
        (seed, kind, faultMs, lossBefore, downRounds) => {
          const cfg = config({ downRounds });
          let downAt: number | undefined;
          let switchAt: number | undefined;
          runUplinks(cfg, {
            seed,
            durationMs: faultMs + 30_000,
            steps: [
              { atMs: 0, set: { 'uplink.fiber.loss': lossBefore } },
              { atMs: faultMs, set: kind === 'carrier' ? { 'uplink.fiber.carrier': false } : { 'uplink.fiber.loss': 1 } },
            ],
            onEvent: (t, e) => {
              if (e.type === 'uplink' && e.id === 'fiber' && !e.up) downAt ??= t;
              if (e.type === 'uplink.switch' && e.to === 'lte') switchAt ??= t;
              return switchAt !== undefined;
            },
          });
          const boundMs = kind === 'carrier' ? 0 : downRounds * cfg.probe.intervalMs + cfg.probe.timeoutMs;
          expect(downAt).toBeDefined();
          expect((downAt as number) - faultMs).toBeLessThanOrEqual(boundMs);
          expect((downAt as number) - faultMs).toBeGreaterThanOrEqual(0);
          expect(switchAt).toBe(downAt);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('whatever happens, exactly one uplink is selected while one is usable, and it is up', () => {
    const change = fc.record({
      atMs: fc.integer({ min: 0, max: 600_000 }),
      knob: fc.constantFrom('uplink.fiber.carrier', 'uplink.lte.carrier', 'uplink.fiber.loss', 'uplink.lte.loss'),
      level: fc.constantFrom(0, 0.3, 1),
      command: fc.constantFrom(undefined, 'fiber', 'lte', 'release'),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.array(change, { maxLength: 30 }), (seed, changes) => {
        const cfg = config({ failbackDelayMs: '10s' });
        const steps = changes.map((c) => ({
          atMs: c.atMs,
          set: { [c.knob]: c.knob.endsWith('carrier') ? c.level !== 1 : c.level },
          ...(c.command === undefined
            ? {}
            : { command: c.command === 'release' ? ({ name: 'releaseUplink' } as const) : ({ name: 'selectUplink', id: c.command } as const) }),
        }));
        runUplinks(cfg, {
          seed,
          durationMs: 700_000,
          steps,
          onStep: (t, r) => {
            const on = [...r.outputs].filter(([k, v]) => k.endsWith('.selected') && v).map(([k]) => k.split('.')[1]);
            expect(on.length).toBeLessThanOrEqual(1);
            const i = cfg.links.findIndex((l) => l.id === r.state.active);
            if (r.state.links.some((l) => usable(l, t))) expect(on).toEqual([r.state.active]);
            if (i >= 0) expect(r.state.links[i]?.up).toBe(true);
            else expect(on).toEqual([]);
          },
        });
      }),
      { numRuns: 30 },
    );
  });
});
