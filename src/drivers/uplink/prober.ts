// Probe rounds in real time: every interval, each uplink probes its targets at once (a standby within
// its probe budget, see core/uplink/budget.ts). Results are collected as they finish and handed to the
// scan; the scan never waits for a probe.
import type { UplinksConfig } from '../../config/uplinks.js';
import { budgetCarrier, budgetRound, budgetSelect, initialBudget, planRound, type Budget } from '../../core/uplink/budget.js';
import type { ProbeResult } from '../../core/types.js';
import type { ProbeOutcome } from './probes.js';

/** Probes one target of one uplink (the driver binds it to that uplink's interface or source). */
export type ProbeFn = (uplinkIndex: number, target: string) => Promise<ProbeOutcome>;

export interface Prober {
  /** Starts the rounds that are due at `nowMs` and returns the results finished since the last call. */
  takeProbes(nowMs: number): readonly ProbeResult[];
  /** Probes still running (a stuck one is abandoned at its timeout by the probe itself). */
  inFlight(): number;
  /** The selected uplink's index (-1: none); standbys below it are probed within their budget. */
  select(index: number): void;
  /** Uplink `index`'s carrier changed: it is probed at full rate until its verdict settles. */
  carrierChanged(index: number): void;
}

export function createProber(cfg: UplinksConfig, probe: ProbeFn): Prober {
  const { intervalMs } = cfg.probe;
  let nextRoundMs: number | undefined;
  let done: ProbeResult[] = [];
  let running = 0;
  // A target whose previous probe has not returned is skipped (and counted lost) rather than piled up.
  const busy = new Set<string>();
  let budget: Budget = initialBudget(cfg);
  // Open rounds per uplink and round time: answers in time and results so far.
  const tally = new Map<string, { ok: number; seen: number; size: number }>();

  const finished = (i: number, r: ProbeResult, size: number) => {
    done.push(r);
    const key = `${i}@${r.atMs}`;
    const t = tally.get(key) ?? { ok: 0, seen: 0, size };
    t.seen++;
    if (r.ok && r.rttMs !== undefined && r.rttMs <= cfg.probe.latencyMaxMs) t.ok++;
    tally.set(key, t);
    if (t.seen < t.size) return;
    tally.delete(key);
    budget = budgetRound(budget, i, t.ok >= cfg.probe.quorum);
  };

  const startRound = (atMs: number) => {
    cfg.links.forEach((link, i) => {
      const plan = planRound(cfg, budget, i, atMs);
      budget = plan.budget;
      const size = plan.targets.length;
      // Only a partial round says its size; a full one keeps the plain result shape.
      const extra = size < link.targets.length ? { roundSize: size } : {};
      for (const target of plan.targets) {
        const key = `${i}\u0000${target}`;
        if (busy.has(key)) {
          finished(i, { uplink: link.id, target, ok: false, rttMs: undefined, atMs, ...extra }, size);
          continue;
        }
        busy.add(key);
        running++;
        void probe(i, target)
          .catch((): ProbeOutcome => ({ ok: false, rttMs: undefined, why: 'probe crashed' }))
          .then((o) => {
            busy.delete(key);
            running--;
            finished(i, { uplink: link.id, target, ok: o.ok, rttMs: o.rttMs, atMs, ...extra }, size);
          });
      }
    });
  };

  return {
    takeProbes(nowMs) {
      if (cfg.enabled) {
        nextRoundMs ??= nowMs;
        if (nowMs >= nextRoundMs) {
          // Round times stay on the interval grid; after a stall (suspend, overload) skip, don't burst.
          startRound(nowMs);
          nextRoundMs += intervalMs;
          if (nextRoundMs <= nowMs) nextRoundMs = nowMs + intervalMs;
        }
      }
      if (done.length === 0) return [];
      const out = done;
      done = [];
      return out;
    },
    inFlight: () => running,
    select(index) {
      budget = budgetSelect(budget, index);
    },
    carrierChanged(index) {
      budget = budgetCarrier(budget, index);
    },
  };
}
