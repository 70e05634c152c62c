// DC PSU redundancy (N+1): redundant with a spare, degraded with exactly the required count,
// insufficient below it. A missing or stale DC-OK reading counts as not OK.
import type { Config } from '../config/schema.js';
import { psuOkSignal } from './signals.js';
import type { ControllerEvent, PsuStateName, Reading, SignalName } from './types.js';

export interface PsuState {
  readonly okIds: readonly string[];
  readonly state: PsuStateName;
}

export const psuStateFor = (ok: number, required: number): PsuStateName => (ok > required ? 'redundant' : ok === required ? 'degraded' : 'insufficient');

export function stepPsu(prev: PsuState | null, inputs: ReadonlyMap<SignalName, Reading>, cfg: Config['psu']): { state: PsuState; events: ControllerEvent[] } {
  const okIds = cfg.ids.filter((id) => inputs.get(psuOkSignal(id))?.value === true);
  const state = psuStateFor(okIds.length, cfg.required);
  if (prev && prev.state === state && prev.okIds.length === okIds.length && prev.okIds.every((id, i) => okIds[i] === id)) {
    return { state: prev, events: [] };
  }
  const events: ControllerEvent[] =
    prev === null || prev.okIds.length !== okIds.length || prev.state !== state ? [{ type: 'psu', ok: okIds.length, required: cfg.required, state }] : [];
  return { state: { okIds, state }, events };
}
