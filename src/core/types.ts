// The core's vocabulary: inputs (readings with age), operator requests, events and status.
// Everything here is plain data so that a state can be copied, compared and replayed.
import type { SignalName } from './signals.js';
export type { InputSignal, OutputSignal, SignalName } from './signals.js';

export type FeedId = 'A' | 'B';
export const FEEDS: readonly FeedId[] = ['A', 'B'];
export const other = (f: FeedId): FeedId => (f === 'A' ? 'B' : 'A');

/** A value as the drivers last saw it, with its age; `undefined` when there is none to trust. */
export type Reading = { readonly value: boolean | number; readonly ageMs: number } | { readonly value: undefined; readonly reason: 'stale' | 'absent' };

/** One completed probe of an uplink target (arrives once, in the scan after it finished). */
export interface ProbeResult {
  readonly uplink: string;
  /** `atMs` is the time the probe ROUND was sent (the uplink core groups results into rounds by it). */
  readonly target: string;
  readonly ok: boolean;
  readonly rttMs: number | undefined;
  readonly atMs: number;
  /** Targets probed in this round (a standby's slow round probes fewer); absent: all of the uplink's. */
  readonly roundSize?: number;
}

export interface Snapshot {
  readonly nowMs: number;
  readonly inputs: ReadonlyMap<SignalName, Reading>;
  /** Probe results completed since the previous scan (the uplink part of the core consumes them). */
  readonly probes?: readonly ProbeResult[];
}

export type Mode = 'auto' | 'manual' | 'test';

/** Operator commands, identical whether they come from a scenario, the CLI, HTTP or SCADA. */
export type Command =
  | { readonly name: 'transferTo'; readonly source: FeedId }
  | { readonly name: 'setMode'; readonly mode: 'auto' | 'manual' }
  | { readonly name: 'startTest'; readonly onLoad: boolean; readonly durationMs: number }
  | { readonly name: 'stopTest' }
  | { readonly name: 'approveRetransfer' }
  | { readonly name: 'resetLockout' }
  | { readonly name: 'ackAlarms' }
  | { readonly name: 'selectUplink'; readonly id: string }
  | { readonly name: 'releaseUplink' };

/** A command plus where it came from (journal, `command` event). */
export interface Request {
  readonly command: Command;
  readonly origin?: string;
}

/** The answer to one request: accepted, or refused with the reason its `command` event gives. */
export interface CommandVerdict {
  readonly accepted: boolean;
  readonly reason?: string;
}

export type SourceReason = 'undervoltage' | 'overvoltage' | 'underfrequency' | 'overfrequency' | 'comm' | 'ok';
export type TransferStateName = 'closed' | 'opening' | 'neutral' | 'closing' | 'open' | 'lockout';
export type GeneratorStateName = 'stopped' | 'starting' | 'running' | 'cooldown' | 'failed';
export type TransferReason = 'sourceFail' | 'retransfer' | 'test' | 'testEnd' | 'manual' | 'restore' | 'deadOutput';
export type PsuStateName = 'redundant' | 'degraded' | 'insufficient';

export const ALARM_CODES = [
  'SOURCE_A_FAIL',
  'SOURCE_B_FAIL',
  'FAIL_TO_OPEN',
  'FAIL_TO_CLOSE',
  'POSITION_MISMATCH',
  'INTERLOCK_BLOCKED',
  'GEN_FAIL_TO_START',
  'TRANSFER_RATE_LIMIT',
  'UPS_ON_BATTERY',
  'UPS_LOW_BATTERY',
  'UPS_FAULT',
  'UPS_COMM_LOST',
  'METER_COMM_LOST',
  'PSU_REDUNDANCY_LOST',
  'PSU_CAPACITY_LOST',
  'UPLINK_DOWN',
  'NO_UPLINK',
  'RETRANSFER_PENDING_APPROVAL',
  // Beyond the spec's minimum set (appended, so SCADA alarm bits of the codes above never move):
  'UPLINK_ROUTE_FAULT',
  'STORAGE_FAULT',
  'GEN_NOT_IN_AUTO',
  'GEN_SHUTDOWN',
  'SPARKPLUG_FAULT',
  'BREAKER_FEEDBACK_LOST',
] as const;
export type AlarmCode = (typeof ALARM_CODES)[number];

/** Events, as the spec's event stream has them (the runner adds `t`). */
export type ControllerEvent =
  | { type: 'command'; name: string; accepted: boolean; reason?: string; origin?: string; onLoad?: boolean }
  | { type: 'mode'; mode: Mode }
  | { type: 'source'; source: FeedId; available: boolean; reason: SourceReason }
  | { type: 'generator'; state: GeneratorStateName }
  | { type: 'transfer.begin'; from: FeedId | 'none'; to: FeedId; reason: TransferReason }
  | { type: 'transfer.end'; to: FeedId; durationMs: number }
  | { type: 'transfer.fail'; to: FeedId; reason: string }
  | { type: 'output'; name: SignalName; on: boolean }
  | { type: 'alarm'; code: AlarmCode; active: boolean; message: string }
  | { type: 'lockout'; active: boolean; reason: string }
  | { type: 'ups'; onBattery: boolean; lowBattery: boolean; chargePct: number | null; comm: boolean }
  | { type: 'psu'; ok: number; required: number; state: PsuStateName }
  | { type: 'uplink'; id: string; up: boolean; reason: string; lossPct: number; latencyMs: number | null }
  | { type: 'uplink.switch'; from: string; to: string; reason: string }
  | { type: 'uplink.powerCycle'; id: string; count: number }
  | { type: 'uplink.recovery'; id: string; step: 'reconnect' | 'reset' | 'powerCycle'; attempt: number };

/** The timer the controller is counting down now (SCADA register 13/14). */
export const TIMER_NAMES = [
  'none',
  'sourceADropout',
  'sourceAPickup',
  'sourceBDropout',
  'sourceBPickup',
  'neutral',
  'operate',
  'retransfer',
  'generatorStart',
  'cooldown',
  'test',
  'manualRevert',
] as const;
export type TimerName = (typeof TIMER_NAMES)[number];

export interface FeedStatus {
  available: boolean;
  reason: SourceReason;
  voltageV: number | null;
  frequencyHz: number | null;
}

export interface UplinkStatus {
  up: boolean;
  reason: string;
  lossPct: number;
  latencyMs: number | null;
  heldDown: boolean;
  /** Bytes the uplink's interface received / sent (kernel counters); null when not read (no interface). */
  rxBytes?: number | null;
  txBytes?: number | null;
  /** The modem's radio (ModemManager), null without a modem reading. */
  radio?: UplinkRadio | null;
}

export interface UplinkRadio {
  /** ModemManager's access technology (`lte`, `5gnr`, `umts` …), or 'unknown'. */
  tech: string;
  /** MCC+MNC of the operator (e.g. "26201"); null when unknown. */
  operatorCode: string | null;
  /** The operator's name as the modem reports it (e.g. "Telekom.de"); null when unknown. Text, so the
   * core never sees it: the runtime fills it in from the driver (src/runtime/drivertexts.ts). */
  operatorName: string | null;
  qualityPct: number | null;
  rsrpDbm: number | null;
  rsrqDb: number | null;
  sinrDb: number | null;
  rssiDbm: number | null;
}

/** The published status: `GET /status`, scenario `status` expectations, the SCADA map. */
export interface Status {
  mode: Mode;
  source: FeedId | 'none';
  transfer: TransferStateName;
  generator: GeneratorStateName;
  lockout: boolean;
  lockoutReason: string | null;
  alarms: AlarmCode[];
  alarmsUnacked: AlarmCode[];
  feeds: Record<FeedId, FeedStatus>;
  breakers: Record<FeedId, { commanded: boolean; closed: boolean | null }>;
  timer: { name: TimerName; remainingMs: number };
  lastTransferReason: TransferReason | 'none';
  transferCount: number;
  /** Changes of each output's written value over the controller's life, remembered across restarts (relay wear). */
  relayOperations: Readonly<Record<string, number>>;
  retransferPending: boolean;
  test: { active: boolean; onLoad: boolean; remainingMs: number };
  ups: {
    onBattery: boolean;
    lowBattery: boolean;
    fault: boolean;
    comm: boolean;
    chargePct: number | null;
    runtimeS: number | null;
  };
  psu: { state: PsuStateName; ok: number; required: number; okIds: string[]; ids: string[] };
  /** The genset controller's readings where the board maps them (GenComm control mode code, h, count, %); null otherwise. */
  genset: { controlMode: number | null; engineHours: number | null; starts: number | null; fuelPct: number | null; engineState: number | null };
  /** `active` is an uplink id or 'none'; every configured uplink id is also a key. */
  uplink: { active: string; manual: string | null } & { [id: string]: UplinkStatus | string | null };
}
