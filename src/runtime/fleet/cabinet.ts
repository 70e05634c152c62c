// One fleet cabinet: the same simulated cabinet (sim board) and scan loop as `twinfeed run`, on the
// fleet's simulated clock, publishing as its own Sparkplug edge node. Its incidents are applied
// between scans, when the cabinet's simulated time reaches them: no timer of its own.
import type { Logger } from 'pino';
import type { Config } from '../../config/schema.js';
import { createScanLoop, type ScanLoop } from '../scan.js';
import { createSimBoard } from '../simboard.js';
import type { Connect, EdgeNode } from '../../sparkplug/edge-node.js';
import { startSparkplug } from '../../sparkplug/start.js';
import { incidentStream, type Incident } from './incidents.js';

export interface FleetCabinetOptions {
  /** The cabinet's config, with its own sparkplug.edgeNodeId and the scan period in real ms. */
  readonly config: Config;
  readonly configHash: string;
  readonly index: number;
  readonly seed: number;
  readonly meanIncidentGapMs: number;
  /** Simulated time now (ms since the epoch). */
  readonly clock: () => number;
  /** Simulated time at the fleet's start: incident times count from here. */
  readonly originMs: number;
  readonly logger: Logger;
  readonly connect?: Connect;
  readonly onIncident?: (edgeNodeId: string, incident: Incident) => void;
}

export interface FleetCabinet {
  readonly edgeNodeId: string;
  readonly loop: ScanLoop;
  /** Sets plant knobs now, as an incident does (benchmarks schedule their own faults this way). */
  setKnobs(knobs: Record<string, unknown>): string | undefined;
  stop(): Promise<void>;
}

export async function startFleetCabinet(o: FleetCabinetOptions): Promise<FleetCabinet> {
  const sp = o.config.sparkplug;
  if (sp === null) throw new Error('a fleet cabinet needs a sparkplug section');
  const board = createSimBoard(o.config, o.clock(), o.seed + o.index);
  const incidents = incidentStream(o.config, o.seed, o.index, o.meanIncidentGapMs);
  let next = incidents.next();
  // The fault being restored next, if one is on: [time it ends, knobs that end it].
  let ending: { atMs: number; knobs: Readonly<Record<string, unknown>> } | undefined;
  const apply = (knobs: Readonly<Record<string, unknown>>) => {
    const err = board.setKnobs({ ...knobs });
    if (err) o.logger.error({ edgeNodeId: sp.edgeNodeId, err }, 'fleet: incident knob refused');
  };
  const loop = createScanLoop({
    config: o.config,
    configHash: o.configHash,
    board,
    clock: o.clock,
    onScan(_events, pub) {
      const t = pub.atMs - o.originMs;
      if (ending && t >= ending.atMs) {
        apply(ending.knobs);
        ending = undefined;
      }
      if (!ending && t >= next.atMs) {
        o.onIncident?.(sp.edgeNodeId, next);
        apply(next.knobs);
        ending = { atMs: next.atMs + next.durationMs, knobs: next.restore };
        next = incidents.next();
      }
    },
  });
  loop.start();
  const node: EdgeNode | undefined = await startSparkplug(o.config, loop, o.logger, o.connect);
  return {
    edgeNodeId: sp.edgeNodeId,
    loop,
    setKnobs: (knobs) => board.setKnobs(knobs),
    async stop() {
      loop.stop();
      // NDEATH first (the edge node says goodbye itself), then the board.
      await node?.stop();
      await board.close();
    },
  };
}
