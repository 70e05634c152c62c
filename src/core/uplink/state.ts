// The uplink part of the controller's memory: plain, flat data per uplink so a step can copy just
// the uplink that changed (copy-on-write) and leave everything else shared.
import type { UplinksConfig } from '../../config/uplinks.js';
import { NO_MEASURES } from './radio.js';
import { emptyWindow } from './window.js';

/** Why an uplink is up or down, as `uplink` events and status show it. */
export type LinkReason = 'ok' | 'carrier' | 'loss' | 'latency' | 'noProbes';

export interface LinkState {
  readonly up: boolean;
  readonly reason: LinkReason;
  /** Last carrier reading (null: no carrier sense, or stale). */
  readonly carrier: boolean | null;
  /** Consecutive good / bad probe rounds. */
  readonly goodRounds: number;
  readonly badRounds: number;
  /** When it last came up (null: assumed up since boot, counts as stable). */
  readonly upSinceMs: number | null;
  readonly downSinceMs: number | null;
  /** The probe round being collected: its send time, answers, losses (timeouts), slow answers. */
  readonly roundAtMs: number | null;
  /** Targets probed in the open round (a standby's slow round probes fewer than all). */
  readonly roundTargets: number;
  readonly roundOk: number;
  readonly roundLost: number;
  readonly roundSlow: number;
  readonly roundRttSumMs: number;
  readonly roundDecided: boolean;
  /** Send time of the newest round seen (later results of older rounds are ignored). */
  readonly lastRoundAtMs: number | null;
  /** If no new round has started by then, the prober is dead: count a failed round (reason noProbes). */
  readonly expectRoundByMs: number | null;
  /** Last failed round: failback waits for the preferred uplink to be clean for the whole delay. */
  readonly lastBadMs: number | null;
  /** Bucketed sliding window for loss % and latency (see window.ts). */
  readonly win: readonly number[];
  /**
   * Hold-down history (see holddown.ts; kept across restarts): times of recent up→down transitions (at
   * most holdDown.downs of them), the end of the current hold, the doublings of the next hold as of the
   * last down, and the time of that down (from which quiet periods forgive doublings).
   */
  readonly downTimesMs: readonly number[];
  readonly heldUntilMs: number | null;
  readonly holdLevel: number;
  readonly lastDownMs: number | null;
  /** Modem power-cycle: pulse end (while energized), recent pulse times, total pulses. */
  readonly pulseUntilMs: number | null;
  readonly pulseTimesMs: readonly number[];
  readonly pulses: number;
  /**
   * Modem recovery ladder (ladder.ts): steps taken in the outage of `ladderAtMs` and the time of the last,
   * the request output on until `stepUntilMs` (`stepKind`), recent reset times for the hourly cap.
   */
  readonly ladderSteps: number;
  readonly ladderAtMs: number | null;
  readonly stepUntilMs: number | null;
  readonly stepKind: 'reconnect' | 'reset' | null;
  readonly resetTimesMs: readonly number[];
  /**
   * Restored after a restart that came in an outage (ladder-memory.ts): the next down, if it comes before
   * any up, continues that outage (its `downSinceMs`), so the ladder resumes instead of starting over.
   */
  readonly resumeOutageMs: number | null;
  /** The driver's last readings of this uplink, in UPLINK_MEASURES order (radio.ts); null: not read. */
  readonly measures: readonly (number | null)[];
}

export interface UplinkState {
  /** The selected uplink id, or 'none'. */
  readonly active: string;
  /** Operator override (selectUplink), or null in automatic selection. */
  readonly manual: string | null;
  /** Per uplink, in config (priority) order. */
  readonly links: readonly LinkState[];
  /** Time of the last step (status computes the loss window at this time). */
  readonly atMs: number;
  /** Earliest time at which this state changes with no new input (fast path for idle steps). */
  readonly deadlineMs: number | undefined;
}

export function initialLink(): LinkState {
  return {
    // Assumed up at boot (like mwan3's initial_state online): a dead link is found within downRounds.
    up: true,
    reason: 'ok',
    carrier: null,
    goodRounds: 0,
    badRounds: 0,
    upSinceMs: null,
    downSinceMs: null,
    roundAtMs: null,
    roundTargets: 0,
    roundOk: 0,
    roundLost: 0,
    roundSlow: 0,
    roundRttSumMs: 0,
    roundDecided: false,
    lastRoundAtMs: null,
    expectRoundByMs: null,
    lastBadMs: null,
    win: emptyWindow(),
    downTimesMs: [],
    heldUntilMs: null,
    holdLevel: 0,
    lastDownMs: null,
    pulseUntilMs: null,
    pulseTimesMs: [],
    pulses: 0,
    ladderSteps: 0,
    ladderAtMs: null,
    stepUntilMs: null,
    stepKind: null,
    resetTimesMs: [],
    resumeOutageMs: null,
    measures: NO_MEASURES,
  };
}

export function initialState(cfg: UplinksConfig): UplinkState {
  return {
    active: cfg.enabled ? (cfg.links[0]?.id ?? 'none') : 'none',
    manual: null,
    links: cfg.links.map(() => initialLink()),
    atMs: 0,
    deadlineMs: undefined,
  };
}

export const isHeld = (l: LinkState, nowMs: number): boolean => l.heldUntilMs !== null && nowMs < l.heldUntilMs;
export const usable = (l: LinkState, nowMs: number): boolean => l.up && !isHeld(l, nowMs);
