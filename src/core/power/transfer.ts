// The open-transition transfer machine: open the source breaker, confirm open by feedback, wait the
// neutral delay, close the other, confirm closed. Timeouts and unexpected feedback lock out.
import type { PowerConfig } from '../../config/schema.js';
import { other, type ControllerEvent, type FeedId, type TransferReason } from '../types.js';

export type Feedback = Readonly<Record<FeedId, boolean | null>>;

export type TransferState =
  | { readonly kind: 'closed'; readonly on: FeedId }
  | { readonly kind: 'open'; readonly sinceMs: number }
  | {
      readonly kind: 'opening';
      readonly from: FeedId;
      readonly to: FeedId | 'none';
      readonly sinceMs: number;
      readonly beganMs: number;
      readonly reason: TransferReason;
    }
  | { readonly kind: 'neutral'; readonly to: FeedId | 'none'; readonly sinceMs: number; readonly beganMs: number; readonly reason: TransferReason }
  | { readonly kind: 'closing'; readonly to: FeedId; readonly sinceMs: number; readonly beganMs: number; readonly reason: TransferReason }
  | {
      readonly kind: 'lockout';
      readonly reason: LockoutReason;
      readonly detail: string;
      readonly sinceMs: number;
      /** Breakers kept commanded closed in lockout: the load stays where it is. */
      readonly hold: Readonly<Record<FeedId, boolean>>;
    };

export type LockoutReason = 'FAIL_TO_OPEN' | 'FAIL_TO_CLOSE' | 'POSITION_MISMATCH';

/** What the policy wants: a feed to be on, or null for "stay as you are". */
export type Desire = { readonly to: FeedId; readonly reason: TransferReason } | null;

export interface MachineResult {
  readonly state: TransferState;
  readonly events: readonly ControllerEvent[];
  /** Set when a transfer completed in this scan. */
  readonly completed?: { to: FeedId; reason: TransferReason };
  readonly began?: boolean;
}

/** Adopts the present position from feedback (boot, lockout reset). Both closed → lockout. */
export function adoptPosition(fb: Feedback, nowMs: number): TransferState {
  if (fb.A === true && fb.B === true) return lockout('POSITION_MISMATCH', 'both breakers show closed', nowMs, { A: false, B: false });
  if (fb.A === true) return { kind: 'closed', on: 'A' };
  if (fb.B === true) return { kind: 'closed', on: 'B' };
  return { kind: 'open', sinceMs: -Infinity };
}

function lockout(reason: LockoutReason, detail: string, nowMs: number, hold: Record<FeedId, boolean>): TransferState {
  return { kind: 'lockout', reason, detail, sinceMs: nowMs, hold };
}

/** Close commands the machine asks for in this state (before the interlock gate). */
export function commands(s: TransferState): Record<FeedId, boolean> {
  switch (s.kind) {
    case 'closed':
      return { A: s.on === 'A', B: s.on === 'B' };
    case 'closing':
      return { A: s.to === 'A', B: s.to === 'B' };
    case 'lockout':
      return { ...s.hold };
    default:
      return { A: false, B: false };
  }
}

/** The feed feeding the load as the controller believes it (confirmed closed). */
export function position(s: TransferState): FeedId | 'none' {
  if (s.kind === 'closed') return s.on;
  if (s.kind === 'lockout') return s.hold.A ? 'A' : s.hold.B ? 'B' : 'none';
  return 'none';
}

const mismatch = (detail: string, nowMs: number, hold: Record<FeedId, boolean>, events: ControllerEvent[]): MachineResult => ({
  state: lockout('POSITION_MISMATCH', detail, nowMs, hold),
  events,
});

/** One transition at most; the controller calls it again while the state keeps changing. */
export function stepTransfer(s: TransferState, fb: Feedback, desire: Desire, cfg: PowerConfig, nowMs: number): MachineResult {
  const t = cfg.transfer;
  switch (s.kind) {
    case 'closed': {
      const x = s.on;
      if (fb[other(x)] === true) return mismatch(`breaker ${other(x)} shows closed without a command`, nowMs, { A: x === 'A', B: x === 'B' }, []);
      if (fb[x] === false) return mismatch(`breaker ${x} opened without a command`, nowMs, { A: false, B: false }, []);
      // Unknown is not failed: an unreadable contact (its I/O module silent) keeps the load where it
      // is, and no transfer begins until both positions can be seen again (BREAKER_FEEDBACK_LOST).
      if (fb.A === null || fb.B === null) return { state: s, events: [] };
      if (desire && desire.to !== x) {
        return {
          state: { kind: 'opening', from: x, to: desire.to, sinceMs: nowMs, beganMs: nowMs, reason: desire.reason },
          events: [{ type: 'transfer.begin', from: x, to: desire.to, reason: desire.reason }],
          began: true,
        };
      }
      return { state: s, events: [] };
    }
    case 'open': {
      const closedOne = fb.A === true ? 'A' : fb.B === true ? 'B' : null;
      if (closedOne) return mismatch(`breaker ${closedOne} shows closed without a command`, nowMs, { A: false, B: false }, []);
      // As when closed: nothing closes while a position cannot be seen.
      if (!desire || fb.A === null || fb.B === null) return { state: s, events: [] };
      const begin: ControllerEvent = { type: 'transfer.begin', from: 'none', to: desire.to, reason: desire.reason };
      // Residual voltage from motor loads decays during the neutral delay, also after a dead period.
      const next: TransferState =
        nowMs - s.sinceMs >= t.neutralDelayMs
          ? { kind: 'closing', to: desire.to, sinceMs: nowMs, beganMs: nowMs, reason: desire.reason }
          : { kind: 'neutral', to: desire.to, sinceMs: s.sinceMs, beganMs: nowMs, reason: desire.reason };
      return { state: next, events: [begin], began: true };
    }
    case 'opening': {
      if (s.to !== 'none' && fb[s.to] === true) return mismatch(`breaker ${s.to} shows closed while ${s.from} is opening`, nowMs, { A: false, B: false }, []);
      if (fb[s.from] === false) {
        return { state: { kind: 'neutral', to: s.to, sinceMs: nowMs, beganMs: s.beganMs, reason: s.reason }, events: [] };
      }
      if (nowMs - s.sinceMs >= t.operateTimeoutMs) {
        const to = s.to === 'none' ? other(s.from) : s.to;
        return {
          state: lockout('FAIL_TO_OPEN', `breaker ${s.from} did not open within ${t.operateTimeoutMs} ms`, nowMs, { A: false, B: false }),
          events: [{ type: 'transfer.fail', to, reason: 'FAIL_TO_OPEN' }],
        };
      }
      return { state: s, events: [] };
    }
    case 'neutral': {
      const closedOne = fb.A === true ? 'A' : fb.B === true ? 'B' : null;
      if (closedOne) return mismatch(`breaker ${closedOne} shows closed during the neutral delay`, nowMs, { A: false, B: false }, []);
      if (nowMs - s.sinceMs < t.neutralDelayMs) return { state: s, events: [] };
      // Re-target at the end of the neutral delay: the wish may have changed while we were open.
      const to = desire?.to ?? (s.to === 'none' ? null : s.to);
      if (!to) return { state: { kind: 'open', sinceMs: s.sinceMs }, events: [] };
      return { state: { kind: 'closing', to, sinceMs: nowMs, beganMs: s.beganMs, reason: desire?.reason ?? s.reason }, events: [] };
    }
    case 'closing': {
      if (fb[other(s.to)] === true) return mismatch(`breaker ${other(s.to)} shows closed while ${s.to} is closing`, nowMs, { A: false, B: false }, []);
      if (fb[s.to] === true) {
        return {
          state: { kind: 'closed', on: s.to },
          events: [{ type: 'transfer.end', to: s.to, durationMs: nowMs - s.beganMs }],
          completed: { to: s.to, reason: s.reason },
        };
      }
      if (nowMs - s.sinceMs >= t.operateTimeoutMs) {
        return {
          state: lockout('FAIL_TO_CLOSE', `breaker ${s.to} did not close within ${t.operateTimeoutMs} ms`, nowMs, { A: false, B: false }),
          events: [{ type: 'transfer.fail', to: s.to, reason: 'FAIL_TO_CLOSE' }],
        };
      }
      return { state: s, events: [] };
    }
    case 'lockout': {
      // Lockout never closes anything: a held breaker that has opened (gate, trip) stays open. One
      // whose contact cannot be read is still held: unknown is not open.
      const keep = { A: s.hold.A && fb.A !== false, B: s.hold.B && fb.B !== false };
      return keep.A === s.hold.A && keep.B === s.hold.B ? { state: s, events: [] } : { state: { ...s, hold: keep }, events: [] };
    }
  }
}

/** When the machine would act with no input change. */
export function transferDeadline(s: TransferState, cfg: PowerConfig): number | undefined {
  switch (s.kind) {
    case 'opening':
    case 'closing':
      return s.sinceMs + cfg.transfer.operateTimeoutMs;
    case 'neutral':
      return s.sinceMs + cfg.transfer.neutralDelayMs;
    default:
      return undefined;
  }
}

/** Operator reset: leave lockout by adopting the present position, unless feedback is contradictory. */
export function resetLockout(s: TransferState, fb: Feedback, nowMs: number): { state: TransferState; refused?: string } {
  if (s.kind !== 'lockout') return { state: s, refused: 'not locked out' };
  if (fb.A === true && fb.B === true) return { state: s, refused: 'both breakers show closed: check the breakers and their aux contacts' };
  if (fb.A === null || fb.B === null) return { state: s, refused: 'breaker position feedback is missing' };
  const adopted = adoptPosition(fb, nowMs);
  return { state: adopted.kind === 'open' ? { kind: 'open', sinceMs: nowMs } : adopted };
}
