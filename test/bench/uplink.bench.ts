// Uplink figures: failover time after carrier loss and after silent total loss (p50/p99 over seeded
// runs), false failovers per 24 h under random loss, and the same for mwan3 and dpinger defaults;
// probe traffic of the standby uplink per 30 days, with and without the standby probe budget.
import { uplinksSchema, type UplinksConfig } from '../../src/config/uplinks.js';
import { runUplinks } from '../../sim/plant/uplink-harness.js';
import { dpinger, mwan3, type LinkModel, type Verdicts } from '../../sim/plant/uplink-baselines.js';
import { DEFAULT_LATENCY_MS } from '../../sim/plant/uplinks.js';
import { mulberry32, subSeed } from '../../sim/prng.js';

type Emit = (name: string, value: number, unit: string) => void;

const DAY_MS = 86_400_000;
const FAILOVER_RUNS = 1000;
const SCAN_MS = 100; // the real runtime's scan period: carrier is read once a scan
// After dpinger's 60 s window has filled, so no tracker is judged on a half-empty window.
const FAULT_AFTER_MS = 90_000;
const LOSS_LEVELS = [0.05, 0.1, 0.2] as const;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

/** Runs `f(i)` for at most `maxRuns` and at most `budgetMs` of wall time (at least `minRuns`). */
function bounded(maxRuns: number, minRuns: number, budgetMs: number, f: (i: number) => void): number {
  const t0 = performance.now();
  let i = 0;
  while (i < maxRuns && (i < minRuns || performance.now() - t0 < budgetMs)) f(i++);
  return i;
}

/** Our controller: ms from the fault to the switch away from the preferred uplink. */
function ourFailoverMs(cfg: UplinksConfig, seed: number, kind: 'carrier' | 'silent'): number {
  const rng = mulberry32(subSeed(seed, 'fault'));
  const faultMs = FAULT_AFTER_MS + Math.floor(rng() * 5000);
  let switchMs: number | undefined;
  runUplinks(cfg, {
    seed,
    durationMs: faultMs + 60_000,
    tickMs: SCAN_MS,
    stepWake: 'scan',
    steps: [{ atMs: faultMs, set: kind === 'carrier' ? { 'uplink.fiber.carrier': false } : { 'uplink.fiber.loss': 1 } }],
    onEvent: (t, e) => {
      if (e.type === 'uplink.switch' && e.from === 'fiber') switchMs = t;
      return switchMs !== undefined;
    },
  });
  return (switchMs ?? Infinity) - faultMs;
}

/** A baseline tracker: ms from the fault to its first down verdict. */
function baselineFailoverMs(tracker: (l: LinkModel, r: () => number, d: number) => Verdicts, seed: number, kind: 'carrier' | 'silent'): number {
  const rng = mulberry32(subSeed(seed, 'fault'));
  const faultMs = FAULT_AFTER_MS + Math.floor(rng() * 5000);
  const link: LinkModel = (t) =>
    t < faultMs
      ? { carrier: true, loss: 0, latencyMs: DEFAULT_LATENCY_MS.first }
      : { carrier: kind !== 'carrier', loss: 1, latencyMs: DEFAULT_LATENCY_MS.first };
  const v = tracker(link, mulberry32(seed), faultMs + 120_000);
  const d = v.downMs.find((t) => t >= faultMs);
  return (d ?? Infinity) - faultMs;
}

function failoverFigures(emit: Emit, who: string, f: (seed: number, kind: 'carrier' | 'silent') => number): void {
  for (const kind of ['carrier', 'silent'] as const) {
    const xs: number[] = [];
    const runs = bounded(FAILOVER_RUNS, FAILOVER_RUNS, 120_000, (i) => xs.push(f(1 + i, kind)));
    const what = kind === 'carrier' ? 'carrier loss' : 'silent total loss';
    emit(`uplink ${who}: failover after ${what}, p50`, pct(xs, 50), 'ms');
    emit(`uplink ${who}: failover after ${what}, p99`, pct(xs, 99), 'ms');
    emit(`uplink ${who}: failover after ${what}, runs`, runs, 'runs');
  }
}

function falseFailoverFigures(emit: Emit, who: string, maxRuns: number, budgetMs: number, downsPerDay: (seed: number, loss: number) => number): void {
  for (const loss of LOSS_LEVELS) {
    let downs = 0;
    const runs = bounded(maxRuns, 3, budgetMs, (i) => (downs += downsPerDay(1000 + i, loss)));
    emit(`uplink ${who}: false failovers per 24 h at ${loss * 100} % loss`, downs / runs, 'per day');
    emit(`uplink ${who}: false failovers at ${loss * 100} % loss, simulated days`, runs, 'days');
  }
}

/** IPv4 bytes of probes the standby (lte) carries in a simulated day at 10 % loss on both uplinks, × 30. */
function standbyMbPer30Days(cfg: UplinksConfig, seed: number): number {
  let bytes = 0;
  runUplinks(cfg, {
    seed,
    durationMs: DAY_MS,
    steps: [{ atMs: 0, set: { 'uplink.fiber.loss': 0.1, 'uplink.lte.loss': 0.1 } }],
    onPlant: (p) => (bytes = p.probeBytes('lte')),
  });
  return (30 * bytes) / 1e6;
}

export async function bench(emit: Emit): Promise<void> {
  const cfg = uplinksSchema.parse({});
  const fullRate = uplinksSchema.parse({ standbyProbe: { enabled: false } });
  emit('uplink twinfeed: standby probe traffic per 30 days (standby budget)', standbyMbPer30Days(cfg, 1), 'MB');
  emit('uplink twinfeed: standby probe traffic per 30 days (standbyProbe.enabled: false)', standbyMbPer30Days(fullRate, 1), 'MB');
  failoverFigures(emit, 'twinfeed', (seed, kind) => ourFailoverMs(cfg, seed, kind));
  failoverFigures(emit, 'twinfeed without standby budget', (seed, kind) => ourFailoverMs(fullRate, seed, kind));
  failoverFigures(emit, 'mwan3 defaults', (seed, kind) => baselineFailoverMs(mwan3, seed, kind));
  failoverFigures(emit, 'dpinger defaults', (seed, kind) => baselineFailoverMs(dpinger, seed, kind));

  falseFailoverFigures(emit, 'twinfeed', 20, 60_000, (seed, loss) => {
    let downs = 0;
    runUplinks(cfg, {
      seed,
      durationMs: DAY_MS,
      steps: [{ atMs: 0, set: { 'uplink.fiber.loss': loss } }],
      onEvent: (_t, e) => {
        if (e.type === 'uplink' && e.id === 'fiber' && !e.up) downs++;
      },
    });
    return downs;
  });
  // Too rare to see in simulated days: the chance that downRounds rounds in a row lose every echo to every target.
  const p = cfg.probe;
  const targets = cfg.links[0]?.targets.length ?? 1;
  for (const loss of LOSS_LEVELS) {
    const roundFails = Math.pow(loss, p.attempts * targets);
    emit(
      `uplink twinfeed: false failovers per 24 h at ${loss * 100} % loss, analytic`,
      (DAY_MS / p.intervalMs) * Math.pow(roundFails, cfg.downRounds),
      'per day',
    );
  }
  const lossy = (loss: number): LinkModel => {
    const at = { carrier: true, loss, latencyMs: DEFAULT_LATENCY_MS.first };
    return () => at;
  };
  falseFailoverFigures(emit, 'mwan3 defaults', 50, 30_000, (seed, loss) => mwan3(lossy(loss), mulberry32(seed), DAY_MS).downMs.length);
  falseFailoverFigures(emit, 'dpinger defaults', 50, 30_000, (seed, loss) => dpinger(lossy(loss), mulberry32(seed), DAY_MS).downMs.length);
}
