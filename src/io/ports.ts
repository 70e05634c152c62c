// The ports between the runtime and the outside world. Drivers (real hardware) and the simulated
// plant implement the same interfaces, so the scan loop cannot tell them apart.
import type { ProbeResult, Reading, SignalName } from '../core/types.js';

/** Something that produces input readings. Reads never block: they return the last values seen. */
export interface InputPort {
  /** Current readings with their age at `nowMs` (a signal a port does not own is simply absent). */
  read(nowMs: number): ReadonlyMap<SignalName, Reading>;
  /** Probe results completed since the last call (uplinks); optional. */
  takeProbes?(nowMs: number): readonly ProbeResult[];
}

/** Something that drives outputs. Called with the FULL output image every scan (idempotent). */
export interface OutputPort {
  write(image: ReadonlyMap<SignalName, boolean>, nowMs: number): void;
}

/** An opened board: inputs, outputs, and a way to close everything on shutdown. */
export interface Board extends InputPort, OutputPort {
  readonly name: string;
  /** Signals this board provides (inputs) and drives (outputs), for check-config. */
  readonly inputs: readonly SignalName[];
  readonly outputs: readonly SignalName[];
  close(): Promise<void>;
  /** Called when an input edge arrives between scans, so the runtime can scan early. */
  onInputChange?(listener: () => void): () => void;
  /** Counters since start (transactions, timeouts, CRC errors, write failures …), for metrics. */
  stats?(): Readonly<Record<string, number>>;
  /** Driver status that is text, not a reading (a modem's operator name), for status and metrics only:
   * it never reaches the core. Keys like signal names, e.g. `uplink.lte.operatorName`. */
  texts?(): Readonly<Record<string, string>>;
}
