// The messages between the controller process (primary) and its SCADA reader processes, and the
// settings a reader is started with. Sent with node:cluster's 'advanced' serialization (Buffers survive).
import type { Config } from '../config/schema.js';
import type { SboState } from './commands.js';

/** Env var carrying a reader's ReaderSettings as JSON (known before its first tick, unlike a message). */
export const READER_SETTINGS_ENV = 'TWINFEED_SCADA_READER';

export interface ReaderSettings {
  readonly config: Config['scada'];
  readonly frameTimeoutMs: number;
}

/** A write request as the reader parsed it; `exception` is the reader's verdict before the SBO logic. */
export interface WriteAttempt {
  readonly fc: number;
  readonly address: number;
  readonly values: readonly number[];
  readonly exception: number;
  /** The command-register write to perform (only when the reader found it permitted and well formed). */
  readonly write?: { readonly address: number; readonly value: number };
}

export type ToReader =
  /** The status block of scan `seq` (200 bytes, big-endian words). */
  | { readonly t: 'image'; readonly seq: number; readonly image: Uint8Array }
  /** A client address's select-before-operate state changed (reads of 100–102 come from a mirror). */
  | { readonly t: 'sbo'; readonly ip: string; readonly state: SboState }
  /** Answer to `acquire`: whether this connection may be served. */
  | { readonly t: 'slot'; readonly id: number; readonly ok: boolean }
  /** Answer to `write`: 0 or the exception code to send. */
  | { readonly t: 'wrote'; readonly id: number; readonly code: number }
  | { readonly t: 'stop' };

export type FromReader =
  | { readonly t: 'listening'; readonly port: number }
  | { readonly t: 'failed'; readonly message: string }
  | { readonly t: 'acquire'; readonly id: number; readonly origin: string }
  | { readonly t: 'release'; readonly id: number }
  | { readonly t: 'write'; readonly id: number; readonly ip: string; readonly origin: string; readonly writesAllowed: boolean; readonly attempt: WriteAttempt }
  /** Cumulative counters of this reader. */
  | { readonly t: 'stats'; readonly requests: number; readonly malformedClosed: number; readonly timeoutClosed: number }
  /** Something worth the controller's log (readers have no logger of their own). */
  | { readonly t: 'log'; readonly level: 'debug' | 'warn' | 'error'; readonly msg: string; readonly fields: Record<string, unknown> };

/** Messages arrive as unknown; the tag is all we check (both ends are this code base). */
export function isMessage<M extends { t: string }>(m: unknown): m is M {
  return typeof m === 'object' && m !== null && typeof (m as { t?: unknown }).t === 'string';
}
