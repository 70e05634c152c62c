// Simulated uplinks: carrier, probe loss and latency per uplink, probe rounds in virtual time.
// Loss is drawn from the scenario's seed, so a run is reproducible bit for bit.
import type { UplinksConfig } from '../../src/config/uplinks.js';
import type { ProbeResult, SignalName } from '../../src/core/types.js';
import { budgetCarrier, budgetRound, budgetSelect, ICMP_PACKET_BYTES, initialBudget, planRound, type Budget } from '../../src/core/uplink/budget.js';
import { modemReconnectSignal, modemResetSignal, powerCycleSignal } from '../../src/core/signals.js';
import { mulberry32, subSeed } from '../prng.js';
import { createUplinkMeter } from './uplink-measure.js';

export interface UplinkPlant {
  /**
   * Sets a knob `uplink.<id>.carrier|loss|latencyMs|deadTargets|modemStuck` from `nowMs` on (rounds that started
   * before `nowMs` keep the knobs they started with; without `nowMs`, from the last time seen);
   * returns an error text when name or value is invalid.
   */
  set(knob: string, value: unknown, nowMs?: number): string | undefined;
  /** True when this plant owns the knob name (used to validate scenarios). */
  hasKnob(knob: string): boolean;
  /** A knob's current value (the dashboard's fault-injection panel shows it), undefined for no such knob. */
  knob(knob: string): unknown;
  carrier(id: string): boolean;
  /** Probe results that completed up to `nowMs` and were not taken yet. */
  takeProbes(nowMs: number): readonly ProbeResult[];
  /**
   * True when every round up to `nowMs` and from now on (until a knob changes) is a clean, good round:
   * carrier up, no loss, no dead target, answers in time — and every result still in flight is one too.
   */
  steady(nowMs: number): boolean;
  /**
   * The next virtual time at which something happens here (a probe round, an answer). With `lazy` and a
   * steady plant, none: rounds are generated when taken, each result stamped with its own round's time.
   */
  nextDeadlineMs(nowMs: number, lazy?: boolean): number | undefined;
  /**
   * For a steady plant: the latest time before `beforeMs` at which a probe result completes (with the
   * knobs as they are now), or undefined. A lazy runner scans there so that results reach the core
   * no later than per-round wake-ups would have delivered them before anything else happens.
   */
  lastDoneBeforeMs(nowMs: number, beforeMs: number): number | undefined;
  /** Sees the output image: which uplink is selected (summary figures), the modem recovery steps (modemStuck). */
  observe(outputs: ReadonlyMap<SignalName, boolean>, nowMs: number): void;
  summary(nowMs: number): { uplinkSwitches: number; uplinkDownMs: number };
  /** IPv4 bytes of probe traffic (echoes and answers, ping's sizes) this uplink has carried so far. */
  probeBytes(id: string): number;
  /**
   * What the uplink's interface counters would show at `nowMs`: probe echoes sent and answers received,
   * plus the `trafficBps` knob's user traffic while it is the selected uplink (received; a quarter as much sent).
   */
  bytes(id: string, nowMs: number): { rxBytes: number; txBytes: number };
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
  /** Results not taken yet, in send order, and when each completes (parallel arrays). */
  inFlight: ProbeResult[];
  doneMs: number[];
  probeBytes: number;
  /** The received part of `probeBytes` (answers). */
  probeRxBytes: number;
  /** User traffic received while selected, bytes/s (knob), and what it has come to so far. */
  trafficBps: number;
  trafficRxBytes: number;
  /** A hung modem (carrier up, nothing passes) until a recovery step at least this strong, or false. */
  stuck: Cure | false;
  /** Last seen recovery request outputs, to act on their rising edges. */
  requests: Record<Cure, boolean>;
}

/** Recovery steps from weakest to strongest: a stronger one cures what a weaker one does. */
const CURES = ['reconnect', 'reset', 'powerCycle'] as const;
type Cure = (typeof CURES)[number];
const REQUEST: Record<Cure, (id: string) => SignalName> = { reconnect: modemReconnectSignal, reset: modemResetSignal, powerCycle: powerCycleSignal };

/** Each uplink's knobs `uplink.<id>.<knob>` and what they take (the dashboard's panel is built from this). */
export const UPLINK_KNOBS = {
  carrier: { type: 'bool' },
  loss: { type: 'number', min: 0, max: 1 },
  latencyMs: { type: 'number', min: 0 },
  deadTargets: { type: 'number', min: 0 },
  // false, or the recovery step that frees the modem ('false' as text is how a form sends it).
  modemStuck: { type: 'enum', values: ['false', ...CURES] },
  trafficBps: { type: 'number', min: 0 },
} as const;
const KNOB = new RegExp(`^uplink\\.([a-z][a-z0-9_-]*)\\.(${Object.keys(UPLINK_KNOBS).join('|')})$`);
/** User traffic sends this share of what it receives (requests, acknowledgements). */
const TX_SHARE = 0.25;

/** Default round-trip times: the preferred uplink like fiber, the others like LTE. */
export const DEFAULT_LATENCY_MS = { first: 10, others: 40 } as const;

function checkValue(what: string, value: unknown): string | undefined {
  if (what === 'carrier') return typeof value !== 'boolean' ? 'must be true or false' : undefined;
  if (what === 'loss') return typeof value !== 'number' || !(value >= 0 && value <= 1) ? 'must be a probability from 0 to 1 (0.1 = 10 % loss)' : undefined;
  if (what === 'modemStuck')
    return value !== false && !CURES.includes(value as Cure) ? `must be false or the step that frees it: ${CURES.join(', ')}` : undefined;
  if (what === 'trafficBps') return typeof value !== 'number' || !(value >= 0) ? 'must be bytes per second, 0 or more' : undefined;
  if (what === 'latencyMs') return typeof value !== 'number' || !(value >= 0) ? 'must be a number of ms, 0 or more' : undefined;
  return typeof value !== 'number' || !Number.isInteger(value) || value < 0 ? 'must be a whole number of targets, 0 or more' : undefined;
}

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
    doneMs: [],
    probeBytes: 0,
    probeRxBytes: 0,
    trafficBps: 0,
    trafficRxBytes: 0,
    stuck: false,
    requests: { reconnect: false, reset: false, powerCycle: false },
  }));
  const byId = new Map(links.map((l) => [l.id, l]));
  const meter = createUplinkMeter(links);
  // Rounds start at originMs + k * intervalMs for every uplink, like the real prober does.
  let nextRoundMs: number | undefined;
  // Set while the runner lets results wait for its next scan: every round is replayed then (none skipped).
  let lazy = false;
  const latencyOk = Math.min(cfg.probe.latencyMaxMs, timeoutMs, intervalMs - 1);

  // The probe budget, as the real prober keeps it: a standby is probed slowly while the selected uplink is healthy.
  let budget: Budget = initialBudget(cfg);
  const startRound = (atMs: number) => {
    const good: boolean[] = [];
    links.forEach((l, i) => {
      const plan = planRound(cfg, budget, i, atMs);
      budget = plan.budget;
      const extra = plan.targets.length < l.targets.length ? { roundSize: plan.targets.length } : {};
      let ok = 0;
      for (const target of plan.targets) {
        const j = l.targets.indexOf(target);
        // The first attempt whose echo comes back in time answers for the target.
        let answeredAtMs: number | undefined;
        let lost = 0;
        if (l.carrier && j >= l.deadTargets && l.stuck === false) {
          for (let k = 0; k < attempts && answeredAtMs === undefined; k++) {
            const back = k * attemptSpacingMs + l.latencyMs;
            if (rng() >= l.loss && back <= timeoutMs) answeredAtMs = atMs + back;
            else lost++;
          }
        } else lost = attempts;
        // ping sends every attempt; attempts after the answer are counted as answered too (the worst case).
        if (l.carrier) {
          l.probeBytes += (2 * attempts - lost) * ICMP_PACKET_BYTES;
          l.probeRxBytes += (attempts - lost) * ICMP_PACKET_BYTES;
        }
        const answered = answeredAtMs !== undefined;
        if (answered && l.latencyMs <= cfg.probe.latencyMaxMs) ok++;
        // Without carrier the kernel refuses to send (network unreachable): the failure is immediate.
        l.doneMs.push(!l.carrier ? atMs : (answeredAtMs ?? atMs + timeoutMs));
        l.inFlight.push({ uplink: l.id, target, ok: answered, rttMs: answered ? l.latencyMs : undefined, atMs, ...extra });
      }
      if (plan.targets.length > 0) good[i] = ok >= cfg.probe.quorum;
    });
    // Like the real prober, the next rounds are planned knowing this round's outcome (known within the timeout).
    good.forEach((g, i) => (budget = budgetRound(budget, i, g)));
  };
  /** Starts the rounds due up to `nowMs` (with `before`: only those that started before it). */
  const advance = (nowMs: number, before = false) => {
    if (!cfg.enabled) return;
    nextRoundMs ??= nowMs + intervalMs;
    // Bounded: a huge jump in time only replays the rounds that still matter (older ones are stale).
    if (!lazy && nowMs - nextRoundMs > 3 * intervalMs) nextRoundMs += Math.floor((nowMs - nextRoundMs) / intervalMs - 2) * intervalMs;
    while (before ? nextRoundMs < nowMs : nextRoundMs <= nowMs) {
      startRound(nextRoundMs);
      nextRoundMs += intervalMs;
    }
  };

  const steady = (nowMs: number): boolean => {
    if (!cfg.enabled) return false;
    advance(nowMs);
    for (const l of links) {
      if (!(l.carrier && l.stuck === false && l.loss === 0 && l.deadTargets === 0 && l.latencyMs <= latencyOk)) return false;
      for (const r of l.inFlight) if (!r.ok || r.rttMs === undefined || r.rttMs > latencyOk) return false;
    }
    return true;
  };

  // User traffic flows on the selected uplink while it passes anything; accrued up to `nowMs` before any change.
  let selected = -1;
  let trafficAtMs: number | undefined;
  const accrueTraffic = (nowMs: number) => {
    const l = links[selected];
    if (l && trafficAtMs !== undefined && nowMs > trafficAtMs && l.carrier && l.stuck === false && l.loss < 1)
      l.trafficRxBytes += (l.trafficBps * (nowMs - trafficAtMs)) / 1000;
    if (trafficAtMs === undefined || nowMs > trafficAtMs) trafficAtMs = nowMs;
  };

  // A recovery request's rising edge frees a modem stuck for that step or a weaker one.
  const freeModem = (l: SimLink, outputs: ReadonlyMap<SignalName, boolean>, nowMs: number) => {
    for (const cure of CURES) {
      const on = outputs.get(REQUEST[cure](l.id)) === true;
      if (on && !l.requests[cure] && l.stuck !== false && CURES.indexOf(cure) >= CURES.indexOf(l.stuck)) {
        advance(nowMs, true);
        l.stuck = false;
      }
      l.requests[cure] = on;
    }
  };

  return {
    hasKnob: (knob) => {
      const m = KNOB.exec(knob);
      return m !== null && byId.has(m[1] as string);
    },
    set(knob, value, nowMs) {
      const m = KNOB.exec(knob);
      const l = m ? byId.get(m[1] as string) : undefined;
      if (!m || !l)
        return `unknown knob "${knob}" (uplink knobs: ${links.map((x) => `uplink.${x.id}.carrier|loss|latencyMs|deadTargets|modemStuck`).join(', ')})`;
      const bad = checkValue(m[2] as string, value);
      if (bad !== undefined) return bad;
      // Rounds that started before the change were drawn with the knobs as they were then.
      if (nowMs !== undefined) {
        advance(nowMs, true);
        accrueTraffic(nowMs);
      }
      const what = m[2];
      if (what === 'carrier') {
        if (l.carrier !== value) budget = budgetCarrier(budget, links.indexOf(l));
        l.carrier = value as boolean;
      } else if (what === 'loss') l.loss = value as number;
      else if (what === 'latencyMs') l.latencyMs = value as number;
      else if (what === 'modemStuck') l.stuck = value as Cure | false;
      else if (what === 'trafficBps') l.trafficBps = value as number;
      else l.deadTargets = value as number;
      return undefined;
    },
    knob(knob) {
      const m = KNOB.exec(knob);
      const l = m ? byId.get(m[1] as string) : undefined;
      if (!l) return undefined;
      // Typed by UPLINK_KNOBS, so a knob added there and not read back here does not compile.
      const now: Record<keyof typeof UPLINK_KNOBS, unknown> = {
        carrier: l.carrier,
        loss: l.loss,
        latencyMs: l.latencyMs,
        deadTargets: l.deadTargets,
        modemStuck: l.stuck,
        trafficBps: l.trafficBps,
      };
      return now[m?.[2] as keyof typeof UPLINK_KNOBS];
    },
    carrier: (id) => byId.get(id)?.carrier ?? false,
    takeProbes(nowMs) {
      advance(nowMs);
      let out: ProbeResult[] | undefined;
      for (const l of links) {
        const n = l.inFlight.length;
        if (n === 0) continue;
        // Usually a done prefix (send order is completion order at a steady latency), then a few in flight.
        let j = 0;
        while (j < n && (l.doneMs[j] as number) <= nowMs) j++;
        let more = false;
        for (let i = j; i < n && !more; i++) more = (l.doneMs[i] as number) <= nowMs;
        if (j === 0 && !more) continue;
        if (!more) {
          // The common case: a done prefix; the rest stays in flight.
          const done = j === n ? l.inFlight : l.inFlight.slice(0, j);
          out = out === undefined ? done : out.concat(done);
          l.inFlight = j === n ? [] : l.inFlight.slice(j);
          l.doneMs = j === n ? [] : l.doneMs.slice(j);
          continue;
        }
        if (out === undefined) out = l.inFlight.slice(0, j);
        else for (let i = 0; i < j; i++) out.push(l.inFlight[i] as ProbeResult);
        const keep: ProbeResult[] = [];
        const keepDone: number[] = [];
        for (let i = j; i < n; i++) {
          const d = l.doneMs[i] as number;
          if (d <= nowMs) out.push(l.inFlight[i] as ProbeResult);
          else {
            keep.push(l.inFlight[i] as ProbeResult);
            keepDone.push(d);
          }
        }
        l.inFlight = keep;
        l.doneMs = keepDone;
      }
      return out ?? [];
    },
    steady,
    nextDeadlineMs(nowMs, lazyOk = false) {
      advance(nowMs);
      lazy = lazyOk && steady(nowMs);
      if (lazy) return undefined;
      // Wake at each round start too: the round's fate is drawn then, from the knobs as they are then.
      let d = cfg.enabled ? nextRoundMs : undefined;
      for (const l of links) for (const t of l.doneMs) if (d === undefined || t < d) d = t;
      return d;
    },
    lastDoneBeforeMs(nowMs, beforeMs) {
      advance(nowMs);
      let d: number | undefined;
      const later = (t: number) => {
        if (t < beforeMs && (d === undefined || t > d)) d = t;
      };
      for (const l of links) {
        for (const t of l.doneMs) later(t);
        if (nextRoundMs === undefined || l.targets.length === 0) continue;
        // Future rounds of a steady link answer `latencyMs` after they start.
        const k = Math.ceil((beforeMs - l.latencyMs - nextRoundMs) / intervalMs) - 1;
        if (k >= 0) later(nextRoundMs + k * intervalMs + l.latencyMs);
      }
      return d;
    },
    observe(outputs, nowMs) {
      meter.observe(outputs, nowMs);
      accrueTraffic(nowMs);
      selected = cfg.links.findIndex((l) => outputs.get(`uplink.${l.id}.selected`) === true);
      for (const l of links) freeModem(l, outputs, nowMs);
      budget = budgetSelect(budget, selected);
    },
    probeBytes: (id) => byId.get(id)?.probeBytes ?? 0,
    bytes(id, nowMs) {
      const l = byId.get(id);
      if (!l) return { rxBytes: 0, txBytes: 0 };
      advance(nowMs, true);
      accrueTraffic(nowMs);
      const rx = l.probeRxBytes + l.trafficRxBytes;
      return { rxBytes: Math.floor(rx), txBytes: Math.floor(l.probeBytes - l.probeRxBytes + TX_SHARE * l.trafficRxBytes) };
    },
    summary: (nowMs) => meter.summary(nowMs),
  };
}
