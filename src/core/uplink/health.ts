// Health of one uplink: carrier (down at once), probe rounds with a quorum of targets, N bad rounds
// to go down and M good rounds to come up; a down feeds the hold-down (holddown.ts).
import type { UplinksConfig } from '../../config/uplinks.js';
import type { ControllerEvent, ProbeResult } from '../types.js';
import type { LinkReason, LinkState } from './state.js';
import { noteDown } from './holddown.js';
import { addRound, windowStats } from './window.js';

/** What a health update needs besides the link itself; events are appended to `events`. */
export interface HealthCtx {
  readonly cfg: UplinksConfig;
  readonly id: string;
  readonly targets: number;
  /** The longest the prober may leave this uplink without a round (longer for a slowly probed standby). */
  readonly cadenceMs: number;
  readonly nowMs: number;
  readonly events: ControllerEvent[];
}

/** A link being updated within one step: a private copy, mutated, then frozen into the new state. */
export type Draft = { -readonly [K in keyof LinkState]: LinkState[K] };

function transition(l: Draft, up: boolean, reason: LinkReason, c: HealthCtx): void {
  const { lossPct, latencyMs } = windowStats(l.win, c.cfg.healthWindowMs, c.nowMs);
  if (up) {
    c.events.push({ type: 'uplink', id: c.id, up: true, reason: l.heldUntilMs !== null ? 'heldDown' : 'ok', lossPct, latencyMs });
    l.up = true;
    l.reason = 'ok';
    l.upSinceMs = c.nowMs;
    l.downSinceMs = null;
    l.resumeOutageMs = null;
    return;
  }
  c.events.push({ type: 'uplink', id: c.id, up: false, reason, lossPct, latencyMs });
  l.up = false;
  l.reason = reason;
  l.goodRounds = 0;
  l.upSinceMs = null;
  // A restart in an outage: the outage goes on (the recovery ladder resumes), it is not a new one,
  // nor another down for the hold-down (its history already has it).
  l.downSinceMs = l.resumeOutageMs ?? c.nowMs;
  if (l.resumeOutageMs === null) noteDown(l, c.cfg.holdDown, c.nowMs);
  l.resumeOutageMs = null;
}

/** Applies a changed carrier reading; loss of carrier takes the uplink down at once. */
export function applyCarrier(l: Draft, carrier: boolean | null, c: HealthCtx): void {
  l.carrier = carrier;
  if (carrier !== false) return;
  l.goodRounds = 0;
  if (l.up) {
    l.badRounds = 0;
    transition(l, false, 'carrier', c);
  }
}

function decide(l: Draft, good: boolean, badReason: LinkReason, c: HealthCtx): void {
  if (good) {
    l.goodRounds++;
    l.badRounds = 0;
    if (l.carrier !== false && l.goodRounds >= c.cfg.upRounds) {
      if (!l.up) transition(l, true, 'ok', c);
      // Up as assumed at boot, and now shown: an outage remembered from before the restart is over.
      else if (l.resumeOutageMs !== null) l.resumeOutageMs = null;
    }
    return;
  }
  l.badRounds++;
  l.goodRounds = 0;
  l.lastBadMs = c.nowMs;
  if (l.up && l.badRounds >= c.cfg.downRounds) transition(l, false, badReason, c);
}

/** Decides the open round as soon as its outcome is certain (quorum reached, or no longer reachable). */
function maybeDecide(l: Draft, c: HealthCtx): void {
  if (l.roundDecided || l.roundAtMs === null) return;
  if (l.roundOk >= c.cfg.probe.quorum) {
    l.roundDecided = true;
    decide(l, true, 'ok', c);
  } else if (l.roundLost + l.roundSlow > l.roundTargets - c.cfg.probe.quorum) {
    l.roundDecided = true;
    decide(l, false, l.roundSlow > l.roundLost ? 'latency' : 'loss', c);
  }
}

/** Ends the open round: targets that never reported count as lost; the round enters the loss window. */
export function closeRound(l: Draft, c: HealthCtx): void {
  if (l.roundAtMs === null) return;
  l.roundLost += Math.max(0, l.roundTargets - (l.roundOk + l.roundLost + l.roundSlow));
  maybeDecide(l, c);
  l.win = addRound(l.win, c.cfg.healthWindowMs, l.roundAtMs, l.roundTargets, l.roundLost + l.roundSlow, l.roundRttSumMs, l.roundOk + l.roundSlow);
  l.roundAtMs = null;
  l.roundOk = 0;
  l.roundLost = 0;
  l.roundSlow = 0;
  l.roundRttSumMs = 0;
  l.roundDecided = false;
}

/** Adds one probe result; a result of a newer round closes the previous one. */
export function applyProbe(l: Draft, r: ProbeResult, c: HealthCtx): void {
  // Late results of a round that is already closed (or older) change nothing.
  if (l.lastRoundAtMs !== null && (r.atMs < l.lastRoundAtMs || (r.atMs === l.lastRoundAtMs && l.roundAtMs === null))) return;
  if (l.roundAtMs !== null && r.atMs > l.roundAtMs) closeRound(l, c);
  if (l.roundAtMs === null) {
    l.roundAtMs = r.atMs;
    l.lastRoundAtMs = r.atMs;
    l.roundTargets = Math.min(c.targets, r.roundSize ?? c.targets);
    l.expectRoundByMs = r.atMs + 2 * c.cadenceMs;
  }
  const inTime = r.ok && r.rttMs !== undefined && r.rttMs <= c.cfg.probe.latencyMaxMs;
  if (inTime) l.roundOk++;
  else if (r.ok) l.roundSlow++;
  else l.roundLost++;
  if (r.ok && r.rttMs !== undefined) l.roundRttSumMs += r.rttMs;
  maybeDecide(l, c);
  if (l.roundOk + l.roundLost + l.roundSlow >= l.roundTargets) closeRound(l, c);
}

/** True when `applyTimers` would change this link at `nowMs`. */
export function timersDue(l: LinkState, c: { cfg: UplinksConfig; nowMs: number }): boolean {
  const d = timersDeadline(l, c);
  return d === undefined ? l.expectRoundByMs === null : c.nowMs >= d;
}

/** Timers of one uplink: a round left open too long, a prober that went silent, a hold-down ending. */
export function applyTimers(l: Draft, c: HealthCtx): void {
  const interval = c.cfg.probe.intervalMs;
  if (l.expectRoundByMs === null) l.expectRoundByMs = c.nowMs + 2 * c.cadenceMs;
  if (l.roundAtMs !== null && c.nowMs >= l.roundAtMs + interval) closeRound(l, c);
  if (c.nowMs >= l.expectRoundByMs) {
    // The prober is silent (hung, crashed, misconfigured): that is no evidence of health.
    decide(l, false, 'noProbes', c);
    l.expectRoundByMs = c.nowMs + c.cadenceMs;
  }
  if (l.heldUntilMs !== null && c.nowMs >= l.heldUntilMs) l.heldUntilMs = null;
}

/**
 * The earliest time at which `applyTimers` would change this link. Without `watch`, leaves out the
 * silent-prober check (`expectRoundByMs`), which never fires while rounds keep coming.
 */
export function timersDeadline(l: LinkState, c: { cfg: UplinksConfig }, watch = true): number | undefined {
  let d = watch ? (l.expectRoundByMs ?? undefined) : undefined;
  if (l.roundAtMs !== null) d = Math.min(d ?? Infinity, l.roundAtMs + c.cfg.probe.intervalMs);
  if (l.heldUntilMs !== null) d = Math.min(d ?? Infinity, l.heldUntilMs);
  return d;
}

/**
 * True when a good round changes nothing but counters and the loss window here, whenever it is
 * delivered: the link is up with carrier and no round is open. Rounds stamped with their own send time
 * may then reach the step late and in a batch (a simulator's lazy prober) with the same outcome.
 */
export function roundsBatchable(l: LinkState): boolean {
  return l.up && l.carrier !== false && l.roundAtMs === null && l.expectRoundByMs !== null;
}
