// UPS evaluation: on battery, low battery (flag, charge or runtime), fault, and comm lost when its
// values stop refreshing. While comm is lost the last known values are held (conservative).
import type { Config } from '../config/schema.js';
import { sooner } from './part.js';
import { upsSignal } from './signals.js';
import type { ControllerEvent, Reading, SignalName } from './types.js';

export interface UpsState {
  readonly comm: boolean;
  readonly onBattery: boolean;
  readonly lowBattery: boolean;
  readonly fault: boolean;
  readonly chargePct: number | null;
  readonly runtimeS: number | null;
}

export const UPS_UNKNOWN: UpsState = { comm: false, onBattery: false, lowBattery: false, fault: false, chargePct: null, runtimeS: null };

const SIGNALS = [upsSignal('onBattery'), upsSignal('lowBattery'), upsSignal('fault'), upsSignal('chargePct'), upsSignal('runtimeS')] as const;

function freshValue(r: Reading | undefined, staleMs: number): number | boolean | undefined {
  return r !== undefined && r.value !== undefined && r.ageMs <= staleMs ? r.value : undefined;
}

/** The freshness signals whose going stale changes the verdict: wake up just after they would. */
const FRESH_SIGNALS = [upsSignal('onBattery'), upsSignal('chargePct')] as const;

function freshnessDeadline(inputs: ReadonlyMap<SignalName, Reading>, cfg: Config['ups'], nowMs: number): number | undefined {
  let due: number | undefined;
  for (const s of FRESH_SIGNALS) {
    const rd = inputs.get(s);
    if (rd && rd.value !== undefined && rd.ageMs > 0 && rd.ageMs <= cfg.staleMs) due = sooner(nowMs, due, nowMs + cfg.staleMs - rd.ageMs + 1);
  }
  return due;
}

/** `nowMs` (for the deadline) may be left out by callers that only want the evaluation. */
export function stepUps(
  prev: UpsState,
  inputs: ReadonlyMap<SignalName, Reading>,
  cfg: Config['ups'],
  nowMs?: number,
): { state: UpsState; events: ControllerEvent[]; deadlineMs: number | undefined } {
  const deadlineMs = nowMs === undefined ? undefined : freshnessDeadline(inputs, cfg, nowMs);
  if (!cfg.enabled) return { state: prev, events: [], deadlineMs };
  const v = SIGNALS.map((s) => freshValue(inputs.get(s), cfg.staleMs));
  const [onBattery, lowFlag, fault, charge, runtime] = v;
  // Comm is good while every UPS signal the board provides is fresh, and at least one is provided.
  const provided = SIGNALS.filter((s) => inputs.has(s));
  const comm = provided.length > 0 && provided.every((s) => v[SIGNALS.indexOf(s)] !== undefined);
  let next: UpsState;
  if (!comm) {
    next = prev.comm ? { ...prev, comm: false } : prev;
  } else {
    const chargePct = typeof charge === 'number' ? charge : null;
    const runtimeS = typeof runtime === 'number' ? runtime : null;
    const low = lowFlag === true || (chargePct !== null && chargePct < cfg.lowBatteryPct) || (runtimeS !== null && runtimeS < cfg.lowRuntimeS);
    next = { comm: true, onBattery: onBattery === true, lowBattery: low, fault: fault === true, chargePct, runtimeS };
  }
  const changed = next.comm !== prev.comm || next.onBattery !== prev.onBattery || next.lowBattery !== prev.lowBattery || next.fault !== prev.fault;
  const events: ControllerEvent[] = changed
    ? [{ type: 'ups', onBattery: next.onBattery, lowBattery: next.lowBattery, chargePct: next.chargePct, comm: next.comm }]
    : [];
  return { state: next, events, deadlineMs };
}
