// Policy → desire → transfer machine, for one scan: the retransfer policy decides where the load
// should be, and the machine takes a few transitions toward it (each a confirmed breaker step).
import type { PowerConfig } from '../../config/schema.js';
import { NO_EVENTS, sooner } from '../part.js';
import type { ControllerEvent, FeedId } from '../types.js';
import { decide } from './policy.js';
import type { Availability } from './source.js';
import type { PowerState } from './state.js';
import { position, stepTransfer, transferDeadline } from './transfer.js';
import { nextMinute } from './window.js';

export interface DriveStep {
  readonly state: PowerState;
  readonly events: readonly ControllerEvent[];
  readonly deadlineMs: number | undefined;
}

/** At most this many transitions in one scan (e.g. open → closing → closed with instant feedback). */
const MAX_TRANSITIONS = 4;

/** `x`: the position the policy sees; `inUseDead`: the feed in use is dead by evidence. */
export function drive(
  pc: PowerConfig,
  s: PowerState,
  x: FeedId | 'none',
  avail: Readonly<Record<FeedId, Availability>>,
  inUseDead: boolean,
  rateLimited: boolean,
  nowMs: number,
): DriveStep {
  const P = pc.preferred;
  const pAvailSince = avail[P] === 'available' ? Math.max(s.feeds[P].sinceMs, s.feeds[P].trustedSinceMs, s.autoSinceMs) : null;
  const pol = decide(
    pc,
    {
      mode: s.mode,
      position: x,
      avail,
      inUseDeadByEvidence: inUseDead,
      preferredStableSinceMs: pAvailSince,
      approved: s.approved,
      rateLimited,
      test: s.test,
      manualTarget: s.manualTarget,
      testReturn: s.testReturn,
    },
    nowMs,
  );
  let d = s;
  if (pol.retransferPending !== d.retransferPending || pol.retransferAtMs !== d.retransferAtMs) {
    d = { ...d, retransferPending: pol.retransferPending, retransferAtMs: pol.retransferAtMs };
  }
  let deadlineMs = sooner(nowMs, undefined, pol.retransferAtMs ?? undefined);
  if (pc.retransfer.policy === 'window' && pol.retransferPending) deadlineMs = sooner(nowMs, deadlineMs, nextMinute(nowMs));

  let events: ControllerEvent[] | undefined;
  let transfer = d.transfer;
  for (let i = 0; i < MAX_TRANSITIONS; i++) {
    const r = stepTransfer(transfer, d.feedback, pol.desire, pc, nowMs);
    if (r.events.length > 0) (events ??= []).push(...r.events);
    if (r.began && pol.desire) d = { ...d, transferTimesMs: [...d.transferTimesMs, nowMs], lastTransferReason: pol.desire.reason };
    if (r.completed) {
      const home = r.completed.to === P;
      d = { ...d, transferCount: d.transferCount + 1, manualTarget: null, approved: home ? false : d.approved, testReturn: home ? false : d.testReturn };
    }
    const changed = r.state !== transfer;
    transfer = r.state;
    if (!changed) break;
  }
  if (transfer !== d.transfer) {
    if (transfer.kind === 'lockout' && d.transfer.kind !== 'lockout') (events ??= []).push({ type: 'lockout', active: true, reason: transfer.detail });
    d = { ...d, transfer };
  }
  if (d.testReturn && position(transfer) === P) d = { ...d, testReturn: false };
  return { state: d, events: events ?? NO_EVENTS, deadlineMs: sooner(nowMs, deadlineMs, transferDeadline(transfer, pc)) };
}
