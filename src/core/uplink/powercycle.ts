// Modem power-cycle: after an uplink has been down a while, cut the modem's power for a pulse
// (a hung LTE modem often only recovers that way), at most maxPerHour times an hour.
import type { UplinkConfig } from '../../config/uplinks.js';
import type { ControllerEvent } from '../types.js';
import type { Draft } from './health.js';
import { hasLadder, ladderDoneMs } from './ladder.js';
import type { LinkState } from './state.js';

const HOUR_MS = 3_600_000;

/** When the next pulse may start, or undefined when none is wanted. */
function pulseDueMs(l: LinkState, link: UplinkConfig, pc: NonNullable<UplinkConfig['powerCycle']>, nowMs: number): number | undefined {
  if (l.up || l.downSinceMs === null || l.pulseUntilMs !== null) return undefined;
  const last = l.pulseTimesMs[l.pulseTimesMs.length - 1];
  // After a pulse the modem needs the full wait again to boot and register before we judge it.
  const waitFrom = last !== undefined && last >= l.downSinceMs ? last + pc.pulseMs : l.downSinceMs;
  // With a modem ladder, the relay is the last resort: only after the ladder's steps have had their wait.
  let due = Math.max(waitFrom + pc.afterMs, ladderDoneMs(l, link) ?? -Infinity);
  if (due === Infinity) return undefined;
  const inHour = l.pulseTimesMs.filter((t) => nowMs - t < HOUR_MS);
  const oldest = inHour[0];
  if (inHour.length >= pc.maxPerHour && oldest !== undefined) due = Math.max(due, oldest + HOUR_MS);
  return due;
}

/** Ends a finished pulse or starts a due one; call only when `powerCycleDeadline` has passed. */
export function applyPowerCycle(l: Draft, link: UplinkConfig, nowMs: number, events: ControllerEvent[]): void {
  const pc = link.powerCycle;
  if (!pc) return;
  if (l.pulseUntilMs !== null) {
    if (nowMs >= l.pulseUntilMs) l.pulseUntilMs = null;
    return;
  }
  const due = pulseDueMs(l, link, pc, nowMs);
  if (due === undefined || nowMs < due) return;
  l.pulses++;
  events.push({ type: 'uplink.powerCycle', id: link.id, count: l.pulses });
  if (hasLadder(link)) events.push({ type: 'uplink.recovery', id: link.id, step: 'powerCycle', attempt: l.pulses });
  l.pulseUntilMs = nowMs + pc.pulseMs;
  l.pulseTimesMs = [...l.pulseTimesMs, nowMs].slice(-pc.maxPerHour);
}

export function powerCycleDeadline(l: LinkState, link: UplinkConfig, nowMs: number): number | undefined {
  const pc = link.powerCycle;
  if (!pc) return undefined;
  if (l.pulseUntilMs !== null) return l.pulseUntilMs;
  return pulseDueMs(l, link, pc, nowMs);
}
