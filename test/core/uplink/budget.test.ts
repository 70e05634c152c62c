// The standby probe budget: what a metered standby SIM carries, and that failover stays as fast.
import { describe, expect, it } from 'vitest';
import { runUplinks } from '../../../sim/plant/uplink-harness.js';
import { budgetRound, budgetSelect, initialBudget, planRound, type Budget } from '../../../src/core/uplink/budget.js';
import { config } from './helpers.js';

const DAY_MS = 86_400_000;
const MB = 1e6;

/** Plans rounds every interval from `fromMs` up to `toMs`; returns how many targets each uplink probed. */
function plan(
  cfg: ReturnType<typeof config>,
  b: Budget,
  fromMs: number,
  toMs: number,
  good: (i: number, atMs: number) => boolean,
): { b: Budget; sent: number[][] } {
  const sent: number[][] = cfg.links.map(() => []);
  for (let t = fromMs; t <= toMs; t += cfg.probe.intervalMs) {
    const outcomes: [number, boolean][] = [];
    cfg.links.forEach((_, i) => {
      const p = planRound(cfg, b, i, t);
      b = p.budget;
      sent[i]?.push(p.targets.length);
      if (p.targets.length > 0) outcomes.push([i, good(i, t)]);
    });
    for (const [i, g] of outcomes) b = budgetRound(b, i, g);
  }
  return { b, sent };
}

describe('standby probe budget', () => {
  it('probes the standby with one target every 30 s once the selected uplink is healthy, in turn over its targets', () => {
    const cfg = config();
    const p = planRound(cfg, budgetSelect(initialBudget(cfg), 0), 1, 0);
    expect(p.targets).toEqual(['t1', 't2', 't3']);
    const { b, sent } = plan(cfg, budgetSelect(initialBudget(cfg), 0), 0, 120_000, () => true);
    // Fiber: every round, all targets. LTE: full until both are settled (5 good rounds), then 1 per 30 s.
    expect(sent[0]?.every((n) => n === 3)).toBe(true);
    expect(sent[1]?.slice(0, 5)).toEqual([3, 3, 3, 3, 3]);
    // The last full round at 4 s, then slow rounds at 34, 64 and 94 s.
    expect(sent[1]?.slice(5).filter((n) => n > 0)).toEqual([1, 1, 1]);
    const seen: string[] = [];
    let x = b;
    for (let t = 150_000; t <= 240_000; t += 30_000) {
      const r = planRound(cfg, x, 1, t);
      x = r.budget;
      seen.push(...r.targets);
    }
    expect(new Set(seen)).toEqual(new Set(['t1', 't2', 't3']));
  });

  it('a failed round of the selected uplink puts the standby at full rate at the next round', () => {
    const cfg = config();
    const { b } = plan(cfg, budgetSelect(initialBudget(cfg), 0), 0, 60_000, () => true);
    const after = budgetRound(b, 0, false);
    expect(planRound(cfg, after, 1, 61_000).targets).toHaveLength(3);
    expect(planRound(cfg, after, 1, 62_000).targets).toHaveLength(3);
  });

  it('a standby whose slow round fails is probed at full rate until it is settled down', () => {
    const cfg = config();
    const { b } = plan(cfg, budgetSelect(initialBudget(cfg), 0), 0, 60_000, () => true);
    const { sent } = plan(cfg, b, 61_000, 120_000, (i) => i === 0);
    const lte = sent[1] ?? [];
    const first = lte.findIndex((n) => n > 0);
    // The failed slow round, then full rounds until downRounds failed in a row, then slow again.
    expect(lte.slice(first, first + 3)).toEqual([1, 3, 3]);
    expect(lte.slice(first + 3, first + 30).every((n) => n === 0)).toBe(true);
  });

  it('with the defaults the standby carries at most 20 MB of probes in 30 days, and stays up', () => {
    const cfg = config();
    let bytes = 0;
    let downs = 0;
    runUplinks(cfg, {
      seed: 7,
      durationMs: DAY_MS,
      steps: [{ atMs: 0, set: { 'uplink.fiber.loss': 0.1, 'uplink.lte.loss': 0.1 } }],
      onEvent: (_t, e) => {
        if (e.type === 'uplink' && !e.up) downs++;
      },
      onPlant: (p) => (bytes = p.probeBytes('lte')),
    });
    expect(downs).toBe(0);
    expect((30 * bytes) / MB).toBeLessThanOrEqual(20);
    expect((30 * bytes) / MB).toBeGreaterThan(1);
  });

  it('without the budget the standby would carry far more (what the README compares against)', () => {
    const cfg = config({ standbyProbe: { enabled: false } });
    let bytes = 0;
    runUplinks(cfg, { seed: 7, durationMs: DAY_MS / 24, onPlant: (p) => (bytes = p.probeBytes('lte')) });
    expect((30 * 24 * bytes) / MB).toBeGreaterThan(100);
  });
});
