// What the outside readers (SCADA, HTTP, CLI) see of a running controller: the last published
// snapshot, and a queue into which their commands go (executed on the next scan, same interlocks).
// It lives in io, below both the runtime (which implements it) and scada (which reads through it).
import type { Command, ControllerEvent, Status } from '../core/types.js';

export interface Published {
  readonly status: Status;
  /** Increments every scan. */
  readonly scanSeq: number;
  /** Wall-clock (or virtual) ms of the scan that produced it. */
  readonly atMs: number;
  /** Seconds since the controller started (SCADA uptimeS). */
  readonly uptimeS: number;
  /** SHA-256 hex of the normalized effective config (SCADA configHash: first 64 bits). */
  readonly configHash: string;
}

export interface CommandOutcome {
  readonly accepted: boolean;
  readonly reason?: string;
}

export interface ControllerPort {
  latest(): Published;
  /** Queues a command; resolves after the scan that handled it, with the `command` event's verdict. */
  submit(command: Command, origin: string): Promise<CommandOutcome>;
  /** Subscribe to events as they are produced (returns an unsubscribe function). */
  onEvents?(listener: (events: readonly ControllerEvent[], atMs: number) => void): () => void;
}
