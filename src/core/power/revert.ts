// Manual mode reverts to auto when the load has been left dead too long (UL 1008: an inhibit mode
// must not keep the load unpowered).
import type { PowerConfig } from '../../config/schema.js';
import { NO_EVENTS } from '../part.js';
import type { ControllerEvent, FeedId } from '../types.js';
import type { Availability } from './source.js';
import type { PowerState } from './state.js';
import { position } from './transfer.js';

export interface RevertStep {
  readonly state: PowerState;
  readonly events: readonly ControllerEvent[];
  readonly deadlineMs: number | undefined;
}

export function stepRevert(pc: PowerConfig, s: PowerState, avail: Readonly<Record<FeedId, Availability>>, nowMs: number): RevertStep {
  const x = position(s.transfer);
  const outputDead = x === 'none' || avail[x] === 'failed';
  const deadSinceMs = outputDead ? (s.deadSinceMs ?? nowMs) : null;
  const d = deadSinceMs === s.deadSinceMs ? s : { ...s, deadSinceMs };
  if (d.mode !== 'manual' || deadSinceMs === null) return { state: d, events: NO_EVENTS, deadlineMs: undefined };
  if (nowMs - deadSinceMs >= pc.manualRevertMs) {
    return { state: { ...d, mode: 'auto', autoSinceMs: nowMs, manualTarget: null }, events: [{ type: 'mode', mode: 'auto' }], deadlineMs: undefined };
  }
  return { state: d, events: NO_EVENTS, deadlineMs: deadSinceMs + pc.manualRevertMs };
}
