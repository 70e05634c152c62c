// Evidence beats silence: when the feed in use has a quiet meter and independent evidence (the UPS
// on battery, a dead-output contact) says the switch output is dead for the feed's dropout delay,
// that feed counts as failed rather than the controller waiting blind.
import type { PowerConfig } from '../../config/schema.js';
import type { FeedId } from '../types.js';
import type { Availability } from './source.js';

export interface EvidenceStep {
  /** Since when the evidence has held (null: it does not). */
  readonly sinceMs: number | null;
  /** The feed in use is dead by evidence. */
  readonly inUseDead: boolean;
  readonly deadlineMs: number | undefined;
}

export function stepEvidence(
  pc: PowerConfig,
  prevSinceMs: number | null,
  position: FeedId | 'none',
  avail: Readonly<Record<FeedId, Availability>>,
  outputDead: boolean,
  nowMs: number,
): EvidenceStep {
  if (position === 'none' || avail[position] !== 'unknown' || !outputDead) return { sinceMs: null, inUseDead: false, deadlineMs: undefined };
  const sinceMs = prevSinceMs ?? nowMs;
  const delayMs = pc.feeds[position].dropoutDelayMs;
  return nowMs - sinceMs >= delayMs ? { sinceMs, inUseDead: true, deadlineMs: undefined } : { sinceMs, inUseDead: false, deadlineMs: sinceMs + delayMs };
}
