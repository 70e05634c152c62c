// What a driver hands the composer in index.ts: a Board plus the extras the runtime may use
// (wake-up on input edges, error counters for /metrics).
import type { Board } from '../io/ports.js';

export interface DriverBoard extends Board {
  /** Called when an input edge arrives between scans, so the runtime can scan early. */
  onInputChange?(listener: () => void): () => void;
  /** Counters since start (transactions, timeouts, CRC errors, write failures …), for metrics. */
  stats?(): Readonly<Record<string, number>>;
}
