// Uplink health and selection (pure). STUB: replaced by the uplink work (issue 4); the signatures
// are the contract with controller.ts.
import type { UplinksConfig } from '../../config/uplinks.js';
import type { AlarmCode, Command, ControllerEvent, ProbeResult, Reading, SignalName, Status } from '../types.js';

export interface UplinkState {
  readonly active: string;
}

export interface UplinkInput {
  readonly nowMs: number;
  readonly carrier: (id: string) => Reading | undefined;
  readonly probes: readonly ProbeResult[];
  readonly commands: readonly Command[];
}

export interface UplinkStepResult {
  readonly state: UplinkState;
  readonly events: readonly ControllerEvent[];
  readonly alarms: ReadonlyMap<AlarmCode, string>;
  readonly outputs: ReadonlyMap<SignalName, boolean>;
  readonly nextDeadlineMs: number | undefined;
  readonly verdicts: readonly { accepted: boolean; reason?: string }[];
}

export function initialUplinkState(cfg: UplinksConfig): UplinkState {
  return { active: cfg.links[0]?.id ?? 'none' };
}

export function stepUplinks(cfg: UplinksConfig, prev: UplinkState, input: UplinkInput): UplinkStepResult {
  const outputs = new Map<SignalName, boolean>(cfg.links.map((l) => [`uplink.${l.id}.selected`, l.id === prev.active]));
  return {
    state: prev,
    events: [],
    alarms: new Map(),
    outputs,
    nextDeadlineMs: undefined,
    verdicts: input.commands.map(() => ({ accepted: false, reason: 'uplink control not implemented yet' })),
  };
}

export function uplinkStatus(cfg: UplinksConfig, state: UplinkState): Status['uplink'] {
  const out: Status['uplink'] = { active: state.active, manual: null };
  for (const l of cfg.links) out[l.id] = { up: true, reason: 'ok', lossPct: 0, latencyMs: null, heldDown: false };
  return out;
}
