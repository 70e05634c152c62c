// The recovery ladder's progress across a restart (with memory.ts): the outage it is climbing, the
// steps taken and when, and the recent resets and pulses that the hourly caps count. Without it a
// controller restarted mid-escalation would start at "reconnect" again, and restarts could exceed a cap.
import type { LinkState } from './state.js';

const HOUR_MS = 3_600_000;

export interface RememberedLadder {
  /** Start of the outage the link was in (null: it was up); the steps below belong to it. */
  readonly downSinceMs: number | null;
  readonly steps: number;
  readonly atMs: number | null;
  readonly resetTimesMs: readonly number[];
  readonly pulseTimesMs: readonly number[];
}

export function rememberLadder(l: LinkState): RememberedLadder {
  return {
    downSinceMs: l.up ? null : l.downSinceMs,
    steps: l.ladderSteps,
    atMs: l.ladderAtMs,
    resetTimesMs: l.resetTimesMs,
    pulseTimesMs: l.pulseTimesMs,
  };
}

/**
 * Puts the progress back. The link itself starts assumed up, as at any boot; if it is found down
 * before it is ever up again, that is the remembered outage going on (`resumeOutageMs`), so the
 * ladder continues with its next step. Only resets and pulses of the last hour still count.
 */
export function restoreLadder(l: LinkState, r: RememberedLadder, nowMs: number): LinkState {
  const inHour = (ts: readonly number[]) => ts.filter((t) => t > nowMs - HOUR_MS && t <= nowMs);
  return {
    ...l,
    ladderSteps: r.steps,
    ladderAtMs: r.atMs,
    resetTimesMs: inHour(r.resetTimesMs),
    pulseTimesMs: inHour(r.pulseTimesMs),
    resumeOutageMs: r.downSinceMs !== null && r.downSinceMs <= nowMs ? r.downSinceMs : null,
  };
}
