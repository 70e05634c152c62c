// The whole memory of the controller, as plain data: copyable, comparable, replayable. One field per
// sub-machine, plus what the composing step itself keeps (boot, the gate's verdict, the last image).
//
// What a restart should not forget (issue 11) lives in plain fields: `power.mode`, the lockout
// (`power.transfer` of kind 'lockout', with `reason` and `detail`), `power.approved`,
// `power.transferTimesMs` (anti-hunting), `power.transferCount` and `lastTransferReason`, the latched
// generator failure (`power.generator.kind === 'failed'`), alarm acknowledgements (`alarms[code].acked`),
// the uplink pin (`uplink.manual`) and hold-down history (`uplink.links[i].downTimesMs`, `heldUntilMs`, `holdLevel`, `lastDownMs`),
// and `relayOperations`. src/core/memory.ts picks them out and puts them back.
import type { Config } from '../config/schema.js';
import type { AlarmState } from './alarms.js';
import { GENSET_UNKNOWN, type GensetReadings } from './genset.js';
import { initialPowerState, type PowerState } from './power/index.js';
import type { PsuState } from './psu.js';
import { UPS_UNKNOWN, type UpsState } from './ups.js';
import { initialUplinkState, type UplinkState } from './uplink/index.js';
import type { AlarmCode, SignalName } from './types.js';

export interface ControllerState {
  /** False until the first scan has adopted the present position (bumpless boot). */
  readonly booted: boolean;
  readonly power: PowerState;
  readonly ups: UpsState;
  readonly psu: PsuState | null;
  readonly uplink: UplinkState;
  /** The genset controller's readings (all null where the board maps none). */
  readonly genset: GensetReadings;
  readonly alarms: AlarmState;
  /** Why the interlock gate refused a close command in the last scan, or null. */
  readonly interlockBlocked: string | null;
  /** The last output image written (after the interlock gate). */
  readonly outputs: ReadonlyMap<SignalName, boolean>;
  /** Changes of each output's written value over the controller's life (relay wear; remembered). */
  readonly relayOperations: Readonly<Record<string, number>>;
  /** Acknowledgements remembered across a restart, for alarms that come back soon after start. */
  readonly restoredAcks: { readonly codes: readonly AlarmCode[]; readonly untilMs: number } | null;
}

export function initialState(cfg: Config, nowMs: number): ControllerState {
  return {
    booted: false,
    power: initialPowerState(nowMs),
    ups: UPS_UNKNOWN,
    psu: null,
    uplink: initialUplinkState(cfg.uplinks),
    genset: GENSET_UNKNOWN,
    alarms: {},
    interlockBlocked: null,
    outputs: new Map(),
    relayOperations: {},
    restoredAcks: null,
  };
}
