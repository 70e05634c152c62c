// A fleet of simulated cabinets in one process, on one simulated clock that runs `speed` times faster
// than real time. Cabinets start in small batches so that N edge nodes do not stampede the broker.
import type { Logger } from 'pino';
import type { Config } from '../../config/schema.js';
import type { Connect } from '../../sparkplug/edge-node.js';
import { startFleetCabinet, type FleetCabinet } from './cabinet.js';
import type { Incident } from './incidents.js';

export interface FleetOptions {
  /** The config every cabinet shares (its sparkplug section names the broker and group). */
  readonly config: Config;
  readonly configHash: string;
  readonly cabinets: number;
  readonly speed: number;
  readonly seed: number;
  readonly meanIncidentGapMs: number;
  readonly logger: Logger;
  readonly connect?: Connect;
  readonly onIncident?: (edgeNodeId: string, incident: Incident) => void;
}

export interface Fleet {
  /** Simulated and real time at the start: simulated = originMs + (real − originMs) × speed. */
  readonly originMs: number;
  readonly cabinets: readonly FleetCabinet[];
  /** Simulated time now. */
  now(): number;
  stop(): Promise<void>;
}

/** cab-0001 … (wider when the fleet has more than 9999 cabinets). */
export function edgeNodeIdOf(index: number, cabinets: number): string {
  return `cab-${String(index).padStart(Math.max(4, String(cabinets).length), '0')}`;
}

/** Cabinets started per batch, and the pause between batches (real ms). */
const BATCH = 50;
const BATCH_PAUSE_MS = 100;
/** The shortest real scan period: above this speed, a scan covers more simulated time than the config's period. */
const MIN_REAL_PERIOD_MS = 1;

export async function startFleet(o: FleetOptions): Promise<Fleet> {
  const sp = o.config.sparkplug;
  if (sp === null) throw new Error('a fleet needs a sparkplug section');
  const originMs = Date.now();
  const t0 = performance.now();
  const now = () => Math.round(originMs + (performance.now() - t0) * o.speed);
  // The scan loop schedules in real ms: its period shrinks with the speed so that each scan still
  // covers the configured period of simulated time.
  const realPeriodMs = Math.max(MIN_REAL_PERIOD_MS, o.config.runtime.scanPeriodMs / o.speed);
  const cabinets: FleetCabinet[] = [];
  for (let i = 1; i <= o.cabinets; i++) {
    const config: Config = {
      ...o.config,
      runtime: { ...o.config.runtime, scanPeriodMs: realPeriodMs, stateDir: null },
      sparkplug: { ...sp, edgeNodeId: edgeNodeIdOf(i, o.cabinets) },
    };
    cabinets.push(
      await startFleetCabinet({
        config,
        configHash: o.configHash,
        index: i,
        seed: o.seed,
        meanIncidentGapMs: o.meanIncidentGapMs,
        clock: now,
        originMs,
        logger: o.logger,
        ...(o.connect ? { connect: o.connect } : {}),
        ...(o.onIncident ? { onIncident: o.onIncident } : {}),
      }),
    );
    if (i % BATCH === 0) await new Promise((r) => setTimeout(r, BATCH_PAUSE_MS));
  }
  return {
    originMs,
    cabinets,
    now,
    async stop() {
      await Promise.all(cabinets.map((c) => c.stop()));
    },
  };
}
