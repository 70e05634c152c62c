// Anti-hunting: too many transfers inside the window suspend automatic retransfer (and alarm).
import type { PowerConfig } from '../../config/schema.js';

export interface AntiHuntingStep {
  /** Start times of transfers still inside the window (the same array when none left it). */
  readonly timesMs: readonly number[];
  readonly rateLimited: boolean;
  readonly deadlineMs: number | undefined;
}

export function stepAntiHunting(pc: PowerConfig, prevTimesMs: readonly number[], nowMs: number): AntiHuntingStep {
  const windowMs = pc.antiHunting.windowMs;
  const oldest = prevTimesMs[0];
  const timesMs = oldest !== undefined && !(oldest > nowMs - windowMs) ? prevTimesMs.filter((t) => t > nowMs - windowMs) : prevTimesMs;
  const first = timesMs[0];
  // The oldest transfer leaves the window exactly when `now - windowMs` reaches it (see the filter above).
  return { timesMs, rateLimited: timesMs.length >= pc.antiHunting.maxTransfers, deadlineMs: first === undefined ? undefined : first + windowMs };
}
