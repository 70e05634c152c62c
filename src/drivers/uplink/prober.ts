// Probe rounds in real time: every interval, each uplink probes all its targets at once. Results are
// collected as they finish and handed to the scan; the scan never waits for a probe.
import type { UplinksConfig } from '../../config/uplinks.js';
import type { ProbeResult } from '../../core/types.js';
import type { ProbeOutcome } from './probes.js';

/** Probes one target of one uplink (the driver binds it to that uplink's interface or source). */
export type ProbeFn = (uplinkIndex: number, target: string) => Promise<ProbeOutcome>;

export interface Prober {
  /** Starts the rounds that are due at `nowMs` and returns the results finished since the last call. */
  takeProbes(nowMs: number): readonly ProbeResult[];
  /** Probes still running (a stuck one is abandoned at its timeout by the probe itself). */
  inFlight(): number;
}

export function createProber(cfg: UplinksConfig, probe: ProbeFn): Prober {
  const { intervalMs } = cfg.probe;
  let nextRoundMs: number | undefined;
  let done: ProbeResult[] = [];
  let running = 0;
  // A target whose previous probe has not returned is skipped (and counted lost) rather than piled up.
  const busy = new Set<string>();

  const startRound = (atMs: number) => {
    cfg.links.forEach((link, i) => {
      for (const target of link.targets) {
        const key = `${i}\u0000${target}`;
        if (busy.has(key)) {
          done.push({ uplink: link.id, target, ok: false, rttMs: undefined, atMs });
          continue;
        }
        busy.add(key);
        running++;
        void probe(i, target)
          .catch((): ProbeOutcome => ({ ok: false, rttMs: undefined, why: 'probe crashed' }))
          .then((o) => {
            busy.delete(key);
            running--;
            done.push({ uplink: link.id, target, ok: o.ok, rttMs: o.rttMs, atMs });
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
  };
}
