// Types of the page's data for the JSDoc in its ES modules (tsconfig.web.json checks them; never served).
import type { ControllerEvent, Status } from '../../../core/types.js';
import type uPlot from 'uplot';

export type { Status };
/** A plant knob of the fault-injection panel (as ../knobs.ts lists it). */
export interface Knob {
  name: string;
  kind: { type: 'number'; min?: number; max?: number } | { type: 'bool' } | { type: 'enum'; values: readonly string[] };
}
export interface Incident {
  name: string;
  knobs: Record<string, unknown>;
}

/** GET /session: what this client may do, and the sim board's panel. */
export interface Session {
  canCommand: boolean;
  uplinkIds: string[];
  roles?: Partial<Record<'A' | 'B', string>>;
  sim: boolean;
  knobs: Knob[];
  incidents: Incident[];
  values?: Record<string, unknown>;
}

/** An event as the stream sends it: the controller's event and its wall time. */
export type TimedEvent = ControllerEvent & { t: number };

/** One message of GET /events. */
export interface LiveMessage {
  scanSeq: number;
  atMs: number;
  status: Status;
  events: TimedEvent[];
  initial?: boolean;
  knobs?: Record<string, unknown>;
}

/** GET /trends. */
export interface TrendSeries {
  tS: number[];
  series: Record<string, (number | null)[]>;
}

/** A command button: its label, the command and what will happen. */
export interface CommandButton {
  label: string;
  cmd: { name: string } & Record<string, unknown>;
  what: string;
}

declare global {
  interface Window {
    /** uPlot's IIFE build, loaded by index.html before the modules run. */
    uPlot?: typeof uPlot;
  }
}
