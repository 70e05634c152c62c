// The journal's surface: what the runtime, metrics and tests see of the writer, and what it is given.
import type { JournalFs } from './fs.js';

export interface JournalLimits {
  readonly segmentBytes: number;
  readonly maxBytes: number;
  readonly queueRecords: number;
  readonly commitMs: number;
}

export interface JournalLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface StorageFault {
  readonly code: string;
  readonly message: string;
  readonly sinceMs: number;
}

export interface JournalHealth {
  readonly fault: StorageFault | null;
  /** Writing or about to write (false: everything queued has been tried). */
  readonly pending: boolean;
  readonly queued: number;
  readonly written: number;
  readonly dropped: number;
  readonly bytes: number;
  readonly fsyncs: number;
  readonly segments: number;
}

export interface Journal {
  /** Queues one record (wall-clock `atMs`); `urgent` forces an fsync right after it is written. */
  append(type: string, fields: object, atMs: number, urgent?: boolean): void;
  health(): JournalHealth;
  /** Writes and fsyncs what is queued; resolves when done, on a fault, or after `timeoutMs`. */
  flush(timeoutMs: number): Promise<void>;
  close(timeoutMs: number): Promise<void>;
}

export interface JournalOptions {
  /** The journal directory, <stateDir>/journal (created if its parent exists). */
  readonly dir: string;
  readonly limits: JournalLimits;
  readonly fs?: JournalFs;
  readonly clock?: () => number;
  /** Monotonic ms (CLOCK_MONOTONIC on Linux). */
  readonly mono?: () => number;
  readonly logger?: JournalLogger;
  /** Wait between attempts while storage is faulty. */
  readonly retryMs?: number;
  /** How often an idle journal checks, without writing, that its directory is still usable. */
  readonly probeMs?: number;
  /** Timers for the group commit and the retries (a bench drives them in virtual time). */
  readonly timers?: JournalTimers;
}

export interface JournalTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

// Unref'd: a pending group commit never keeps the process alive by itself (close() flushes).
export const realTimers: JournalTimers = {
  set: (fn, ms) => setTimeout(fn, ms).unref(),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};
