// The power part of the controller's memory: feeds, transfer machine, generator, mode and operator
// wishes, as flat plain data. What an operator expects to survive a restart comes first (issue 11).
import type { FeedId, Mode, TransferReason } from '../types.js';
import { GEN_STOPPED, type GeneratorState } from './generator.js';
import { unknownHealth, type SourceHealth } from './source.js';
import type { Feedback, TransferState } from './transfer.js';

export interface TestRun {
  readonly onLoad: boolean;
  readonly endsAtMs: number;
}

export interface PowerState {
  // --- Remembered across a restart (issue 11); everything below is rebuilt from readings. ---
  readonly mode: Mode;
  /** The transfer machine; `kind: 'lockout'` carries the lockout's `reason` and `detail`. */
  readonly transfer: TransferState;
  /** `kind: 'failed'` is the latched generator failure (until a reset or the demand ends). */
  readonly generator: GeneratorState;
  /** The operator approved the retransfer (policy manual). */
  readonly approved: boolean;
  /** Start times of transfers inside the anti-hunting window. */
  readonly transferTimesMs: readonly number[];
  readonly transferCount: number;
  readonly lastTransferReason: TransferReason | 'none';
  // --- Live. ---
  /** When auto operation last began (retransfer delays count from no earlier than this). */
  readonly autoSinceMs: number;
  readonly feeds: Readonly<Record<FeedId, SourceHealth>>;
  readonly feedback: Feedback;
  /** The position has been adopted from feedback (bumpless boot); false until a contact can tell it. */
  readonly positionKnown: boolean;
  /** Since when the feed in use has a quiet meter while independent evidence says the output is dead. */
  readonly evidenceSinceMs: number | null;
  readonly test: TestRun | null;
  /** A test ended with the load on the alternate feed: return at once. */
  readonly testReturn: boolean;
  readonly manualTarget: FeedId | null;
  /** Since when the switch output has been dead (manual-mode revert). */
  readonly deadSinceMs: number | null;
  readonly retransferPending: boolean;
  readonly retransferAtMs: number | null;
}

export function initialPowerState(nowMs: number): PowerState {
  const unknown = unknownHealth(nowMs);
  return {
    mode: 'auto',
    transfer: { kind: 'open', sinceMs: nowMs },
    generator: GEN_STOPPED,
    approved: false,
    transferTimesMs: [],
    transferCount: 0,
    lastTransferReason: 'none',
    autoSinceMs: nowMs,
    feeds: { A: unknown, B: unknown },
    feedback: { A: null, B: null },
    positionKnown: false,
    evidenceSinceMs: null,
    test: null,
    testReturn: false,
    manualTarget: null,
    deadSinceMs: null,
    retransferPending: false,
    retransferAtMs: null,
  };
}
