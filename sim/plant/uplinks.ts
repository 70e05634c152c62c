// Simulated uplinks: carrier, probe loss and latency per uplink, probe rounds in virtual time.
// Loss is drawn from the scenario's seed, so a run is reproducible bit for bit.
import type { UplinksConfig } from '../../src/config/uplinks.js';
import type { ProbeResult, SignalName } from '../../src/core/types.js';
import { mulberry32, subSeed } from '../prng.js';
import { createUplinkMeter } from './uplink-measure.js';

export interface UplinkPlant {
  /** Sets a knob `uplink.<id>.carrier|loss|latencyMs|deadTargets`; returns an error text when name or value is invalid. */
  set(knob: string, value: unknown): string | undefined;
  /** True when this plant owns the knob name (used to validate scenarios). */
  hasKnob(knob: string): boolean;
  carrier(id: string): boolean;
  /** Probe results that completed up to `nowMs` and were not taken yet. */
  takeProbes(nowMs: number): readonly ProbeResult[];
  /** The next virtual time at which something happens here (a probe round, an answer). */
  nextDeadlineMs(nowMs: number): number | undefined;
  /** Sees the output image (which uplink is selected) to measure the summary figures. */
  observe(outputs: ReadonlyMap<SignalName, boolean>, nowMs: number): void;
  summary(nowMs: number): { uplinkSwitches: number; uplinkDownMs: number };
}

/** One simulated uplink: what the knobs say, and the probe answers still in flight. */
interface SimLink {
  readonly id: string;
  readonly targets: readonly string[];
  carrier: boolean;
  /** Probability that one probe (or its answer) is lost, independently per probe. */
  loss: number;
  latencyMs: number;
  /** The first `deadTargets` targets never answer (a dead ping target, not a dead link). */
  deadTargets: number;
  inFlight: { doneMs: number; r: ProbeResult }[];
}

const KNOB = /^uplink\.([a-z][a-z0-9_-]*)\.(carrier|loss|latencyMs|deadTargets)$/;

/** Default round-trip times: the preferred uplink like fiber, the others like LTE. */
export const DEFAULT_LATENCY_MS = { first: 10, others: 40 } as const;

export function createUplinkPlant(cfg: UplinksConfig, seed: number): UplinkPlant {
  const rng = mulberry32(subSeed(seed, 'uplinks'));
  const { intervalMs, timeoutMs, attempts, attemptSpacingMs } = cfg.probe;
  const links: SimLink[] = cfg.links.map((l, i) => ({
    id: l.id,
    targets: l.targets,
    carrier: true,
    loss: 0,
    latencyMs: i === 0 ? DEFAULT_LATENCY_MS.first : DEFAULT_LATENCY_MS.others,
    deadTargets: 0,
    inFlight: [],
  }));
  const byId = new Map(links.map((l) => [l.id, l]));
  const meter = createUplinkMeter(links);
  // Rounds start at originMs + k * intervalMs for every uplink, like the real prober does.
  let nextRoundMs: number | undefined;

  const startRound = (atMs: number) => {
    for (const l of links) {
      l.targets.forEach((target, j) => {
        // The first attempt whose echo comes back in time answers for the target.
        let answeredAtMs: number | undefined;
        if (l.carrier && j >= l.deadTargets) {
          for (let k = 0; k < attempts && answeredAtMs === undefined; k++) {
            const back = k * attemptSpacingMs + l.latencyMs;
            if (rng() >= l.loss && back <= timeoutMs) answeredAtMs = atMs + back;
          }
        }
        const ok = answeredAtMs !== undefined;
        // Without carrier the kernel refuses to send (network unreachable): the failure is immediate.
        const doneMs = !l.carrier ? atMs : (answeredAtMs ?? atMs + timeoutMs);
        l.inFlight.push({ doneMs, r: { uplink: l.id, target, ok, rttMs: ok ? l.latencyMs : undefined, atMs } });
      });
    }
  };
  const advance = (nowMs: number) => {
    if (!cfg.enabled) return;
    nextRoundMs ??= nowMs + intervalMs;
    // Bounded: a huge jump in time only replays the rounds that still matter (older ones are stale).
    if (nowMs - nextRoundMs > 3 * intervalMs) nextRoundMs += Math.floor((nowMs - nextRoundMs) / intervalMs - 2) * intervalMs;
    while (nextRoundMs <= nowMs) {
      startRound(nextRoundMs);
      nextRoundMs += intervalMs;
    }
  };

  return {
    hasKnob: (knob) => {
      const m = KNOB.exec(knob);
      return m !== null && byId.has(m[1] as string);
    },
    set(knob, value) {
      const m = KNOB.exec(knob);
      const l = m ? byId.get(m[1] as string) : undefined;
      if (!m || !l) return `unknown knob "${knob}" (uplink knobs: ${links.map((x) => `uplink.${x.id}.carrier|loss|latencyMs|deadTargets`).join(', ')})`;
      const what = m[2];
      if (what === 'carrier') {
        if (typeof value !== 'boolean') return 'must be true or false';
        l.carrier = value;
      } else if (what === 'loss') {
        if (typeof value !== 'number' || !(value >= 0 && value <= 1)) return 'must be a probability from 0 to 1 (0.1 = 10 % loss)';
        l.loss = value;
      } else if (what === 'latencyMs') {
        if (typeof value !== 'number' || !(value >= 0)) return 'must be a number of ms, 0 or more';
        l.latencyMs = value;
      } else {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return 'must be a whole number of targets, 0 or more';
        l.deadTargets = value;
      }
      return undefined;
    },
    carrier: (id) => byId.get(id)?.carrier ?? false,
    takeProbes(nowMs) {
      advance(nowMs);
      let out: ProbeResult[] | undefined;
      for (const l of links) {
        if (l.inFlight.length === 0) continue;
        const keep: SimLink['inFlight'] = [];
        for (const f of l.inFlight) {
          if (f.doneMs <= nowMs) (out ??= []).push(f.r);
          else keep.push(f);
        }
        l.inFlight = keep;
      }
      return out ?? [];
    },
    nextDeadlineMs(nowMs) {
      advance(nowMs);
      // Wake at each round start too: the round's fate is drawn then, from the knobs as they are then.
      let d = cfg.enabled ? nextRoundMs : undefined;
      for (const l of links) for (const f of l.inFlight) if (d === undefined || f.doneMs < d) d = f.doneMs;
      return d;
    },
    observe: (outputs, nowMs) => meter.observe(outputs, nowMs),
    summary: (nowMs) => meter.summary(nowMs),
  };
}
