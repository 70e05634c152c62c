// Reference trackers for the benchmark: OpenWrt mwan3 (mwan3track) and pfSense's dpinger at their
// shipped defaults, driven by the same link model and seeded loss as our simulated uplinks.
import type { Rng } from '../prng.js';

/** What the simulated link does at a time: the plant's knobs. */
export interface LinkAt {
  readonly carrier: boolean;
  readonly loss: number;
  readonly latencyMs: number;
}
export type LinkModel = (tMs: number) => LinkAt;

/** Times at which the tracker declared the link down (failover) and up again (failback). */
export interface Verdicts {
  readonly downMs: number[];
  readonly upMs: number[];
}

/**
 * mwan3 defaults as shipped in /etc/config/mwan3: interval 5 s, timeout 2 s, count 1, down 3, up 8,
 * reliability 1 of 2 track IPs. mwan3track pings the targets one after another until `reliability`
 * answered, then sleeps `interval`. Carrier loss reaches mwan3 as an ifdown hotplug event at once.
 */
export const MWAN3 = { intervalMs: 5000, timeoutMs: 2000, down: 3, up: 8, reliability: 1, targets: 2 } as const;

export function mwan3(link: LinkModel, rng: Rng, durationMs: number): Verdicts {
  const v: Verdicts = { downMs: [], upMs: [] };
  const p = MWAN3;
  let score = p.down + p.up;
  let online = true;
  let t = 0;
  let carrierWas = true;
  // The ifdown hotplug event: netifd reports carrier loss at once, before any ping fails.
  const hotplug = () => {
    const c = link(t).carrier;
    if (!c && carrierWas && online) {
      online = false;
      score = 0;
      v.downMs.push(t);
    }
    carrierWas = c;
  };
  while (t < durationMs) {
    hotplug();
    let answered = 0;
    for (let j = 0; j < p.targets && answered < p.reliability; j++) {
      const now = link(t);
      const ok = now.carrier && rng() >= now.loss && now.latencyMs <= p.timeoutMs;
      t += ok ? now.latencyMs : now.carrier ? p.timeoutMs : 0;
      if (ok) answered++;
    }
    if (answered < p.reliability) {
      score--;
      if (score < p.up) score = 0;
      else if (score === p.up) {
        if (online) v.downMs.push(t);
        online = false;
        score = 0;
      }
    } else {
      score++;
      if (score > p.up) score = p.down + p.up;
      if (score === p.up && !online) {
        online = true;
        score = p.down + p.up;
        v.upMs.push(t);
      }
    }
    // Sleep, but an ifdown hotplug event (carrier loss) is acted on as it happens.
    for (const end = t + p.intervalMs; t < end; t += 100) hotplug();
  }
  return v;
}

/**
 * pfSense gateway monitoring defaults (dpinger): one monitor IP, a probe every 500 ms, a probe is lost
 * after 2 s, loss averaged over 60 s, alarm checked every 1 s at 20 % loss (the "high" threshold),
 * cleared below it. dpinger has no carrier sense: a dead link shows up as loss.
 */
export const DPINGER = { sendIntervalMs: 500, lossIntervalMs: 2000, timePeriodMs: 60_000, alertIntervalMs: 1000, lossAlarmPct: 20 } as const;

export function dpinger(link: LinkModel, rng: Rng, durationMs: number): Verdicts {
  const v: Verdicts = { downMs: [], upMs: [] };
  const p = DPINGER;
  const n = p.timePeriodMs / p.sendIntervalMs;
  // Ring of the last `n` probes: 1 = lost, 0 = answered; the answer's fate is drawn when it is sent.
  const lost = new Uint8Array(n);
  const sentAt = new Float64Array(n).fill(-Infinity);
  let seq = 0;
  let alarm = false;
  for (let t = 0; t < durationMs; t += p.sendIntervalMs) {
    const at = link(t);
    lost[seq % n] = at.carrier && rng() >= at.loss && at.latencyMs < p.lossIntervalMs ? 0 : 1;
    sentAt[seq % n] = t;
    seq++;
    if (t % p.alertIntervalMs !== 0) continue;
    // Only probes whose fate is known count: answered ones, and lost ones older than the loss interval.
    let known = 0;
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const age = t - (sentAt[i] as number);
      if (!(age >= 0 && age < p.timePeriodMs)) continue;
      if (lost[i] === 0) known++;
      else if (age >= p.lossIntervalMs) {
        known++;
        missing++;
      }
    }
    const lossPct = known === 0 ? 0 : (100 * missing) / known;
    if (!alarm && lossPct >= p.lossAlarmPct) {
      alarm = true;
      v.downMs.push(t);
    } else if (alarm && lossPct < p.lossAlarmPct) {
      alarm = false;
      v.upMs.push(t);
    }
  }
  return v;
}
