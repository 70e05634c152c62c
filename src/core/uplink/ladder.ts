// Modem recovery ladder (pure): on a dead uplink with a ModemManager modem, decide when to reconnect
// the bearer, then reset the modem, each step with its wait and cap; the power cycle comes after.
import type { UplinkConfig } from '../../config/uplinks.js';
import type { ControllerEvent } from '../types.js';
import type { Draft } from './health.js';
import type { LinkState } from './state.js';

export type LadderStep = 'reconnect' | 'reset';

const HOUR_MS = 3_600_000;
/** How long a step's request output stays on: the driver acts on its rising edge. */
export const STEP_ASSERT_MS = 1000;

/** True when this uplink climbs the ladder (a modem is named and the ladder is not switched off). */
export const hasLadder = (link: UplinkConfig): boolean => link.modem !== undefined && link.recovery.enabled;

/** Steps already taken in the present outage (a step before the outage began belongs to an older one). */
function stepsThisOutage(l: LinkState): number {
  return l.ladderAtMs !== null && l.downSinceMs !== null && l.ladderAtMs >= l.downSinceMs ? l.ladderSteps : 0;
}

const kindAt = (link: UplinkConfig, n: number): LadderStep => (n < link.recovery.reconnects ? 'reconnect' : 'reset');
const waitOf = (link: UplinkConfig, k: LadderStep): number => (k === 'reconnect' ? link.recovery.reconnectWaitMs : link.recovery.resetWaitMs);
const totalSteps = (link: UplinkConfig): number => link.recovery.reconnects + link.recovery.resets;

/** When the next step is due, or undefined when none is wanted (up, asserting, or the ladder is climbed). */
function stepDueMs(l: LinkState, link: UplinkConfig, nowMs: number): number | undefined {
  if (!hasLadder(link) || l.up || l.downSinceMs === null || l.stepUntilMs !== null) return undefined;
  const n = stepsThisOutage(l);
  if (n >= totalSteps(link)) return undefined;
  const due = n === 0 || l.ladderAtMs === null ? l.downSinceMs + link.recovery.afterMs : l.ladderAtMs + waitOf(link, kindAt(link, n - 1));
  if (kindAt(link, n) === 'reconnect') return due;
  // A reset over the hourly cap waits for the oldest one in the hour to age out.
  const inHour = l.resetTimesMs.filter((t) => nowMs - t < HOUR_MS);
  const oldest = inHour[0];
  return inHour.length >= link.recovery.resetsPerHour && oldest !== undefined ? Math.max(due, oldest + HOUR_MS) : due;
}

/**
 * When the power cycle may follow: never while the ladder has steps left in this outage, else the end
 * of the last step's wait. Undefined: no ladder, the power cycle keeps its own timing.
 */
export function ladderDoneMs(l: LinkState, link: UplinkConfig): number | undefined {
  if (!hasLadder(link) || l.downSinceMs === null) return undefined;
  const n = stepsThisOutage(l);
  if (n < totalSteps(link)) return Infinity;
  if (n === 0 || l.ladderAtMs === null) return l.downSinceMs + link.recovery.afterMs;
  return l.ladderAtMs + waitOf(link, kindAt(link, n - 1));
}

/** Ends a finished request or takes a due step; call only when `ladderDeadline` has passed. */
export function applyLadder(l: Draft, link: UplinkConfig, nowMs: number, events: ControllerEvent[]): void {
  if (l.stepUntilMs !== null) {
    if (nowMs >= l.stepUntilMs) {
      l.stepUntilMs = null;
      l.stepKind = null;
    }
    return;
  }
  const due = stepDueMs(l, link, nowMs);
  if (due === undefined || nowMs < due) return;
  const n = stepsThisOutage(l);
  const kind = kindAt(link, n);
  l.ladderSteps = n + 1;
  l.ladderAtMs = nowMs;
  l.stepKind = kind;
  l.stepUntilMs = nowMs + STEP_ASSERT_MS;
  if (kind === 'reset') l.resetTimesMs = [...l.resetTimesMs, nowMs].slice(-link.recovery.resetsPerHour);
  const attempt = kind === 'reconnect' ? n + 1 : n + 1 - link.recovery.reconnects;
  events.push({ type: 'uplink.recovery', id: link.id, step: kind, attempt });
}

export function ladderDeadline(l: LinkState, link: UplinkConfig, nowMs: number): number | undefined {
  if (l.stepUntilMs !== null) return l.stepUntilMs;
  return stepDueMs(l, link, nowMs);
}
