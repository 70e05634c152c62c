// The whole memory of the controller, as plain data: copyable, comparable, replayable.
import type { Config } from '../config/schema.js';
import type { AlarmState } from './alarms.js';
import { GEN_STOPPED, type GeneratorState } from './power/generator.js';
import type { SourceHealth } from './power/source.js';
import type { Feedback, TransferState } from './power/transfer.js';
import type { PsuState } from './psu.js';
import { UPS_UNKNOWN, type UpsState } from './ups.js';
import { initialUplinkState, type UplinkState } from './uplink/index.js';
import type { FeedId, Mode, SignalName, TransferReason } from './types.js';

export interface TestRun {
  readonly onLoad: boolean;
  readonly endsAtMs: number;
}

export interface ControllerState {
  /** False until the first scan has adopted the present position (bumpless boot). */
  readonly booted: boolean;
  readonly startedMs: number;
  readonly mode: Mode;
  /** When auto operation last began (retransfer delays count from no earlier than this). */
  readonly autoSinceMs: number;
  readonly feeds: Readonly<Record<FeedId, SourceHealth>>;
  /** Since when the feed in use has a quiet meter while the UPS says the output is dead. */
  readonly evidenceSinceMs: number | null;
  readonly transfer: TransferState;
  readonly feedback: Feedback;
  readonly generator: GeneratorState;
  readonly test: TestRun | null;
  readonly testReturn: boolean;
  readonly manualTarget: FeedId | null;
  readonly approved: boolean;
  /** Start times of transfers inside the anti-hunting window. */
  readonly transferTimesMs: readonly number[];
  readonly transferCount: number;
  readonly lastTransferReason: TransferReason | 'none';
  /** Since when the switch output has been dead (manual-mode revert). */
  readonly deadSinceMs: number | null;
  readonly retransferPending: boolean;
  readonly retransferAtMs: number | null;
  readonly ups: UpsState;
  readonly psu: PsuState | null;
  readonly alarms: AlarmState;
  readonly interlockBlocked: string | null;
  readonly uplink: UplinkState;
  /** The last output image written (after the interlock gate). */
  readonly outputs: ReadonlyMap<SignalName, boolean>;
}

export function initialState(cfg: Config, nowMs: number): ControllerState {
  const unknown: SourceHealth = {
    healthy: false,
    reason: 'comm',
    sinceMs: nowMs,
    trustedSinceMs: nowMs,
    pendingSinceMs: null,
    pendingReason: null,
    commLost: true,
    voltageV: null,
    frequencyHz: null,
  };
  return {
    booted: false,
    startedMs: nowMs,
    mode: 'auto',
    autoSinceMs: nowMs,
    feeds: { A: unknown, B: unknown },
    evidenceSinceMs: null,
    transfer: { kind: 'open', sinceMs: nowMs },
    feedback: { A: null, B: null },
    generator: GEN_STOPPED,
    test: null,
    testReturn: false,
    manualTarget: null,
    approved: false,
    transferTimesMs: [],
    transferCount: 0,
    lastTransferReason: 'none',
    deadSinceMs: null,
    retransferPending: false,
    retransferAtMs: null,
    ups: UPS_UNKNOWN,
    psu: null,
    alarms: {},
    interlockBlocked: null,
    uplink: initialUplinkState(cfg.uplinks),
    outputs: new Map(),
  };
}
