// The simulated cabinet as a real-time board: plant time follows the wall clock.
import type { Config } from '../config/schema.js';
import { ALARM_COMMON, closeCmdSignal, GENERATOR_START } from '../core/signals.js';
import type { Board } from '../io/ports.js';
import { createSimCabinet, setKnobsAtomically, type SimCabinet } from '../../sim/plant/cabinet.js';

export interface SimBoard extends Board {
  readonly cabinet: SimCabinet;
  /** Sets plant knobs (HTTP POST /sim); returns the first error, if any, and sets nothing then. */
  setKnobs(knobs: Record<string, unknown>): string | undefined;
}

export function createSimBoard(cfg: Config, nowMs: number, seed = 1): SimBoard {
  const cabinet = createSimCabinet(cfg, seed, nowMs);
  const advance = (now: number) => {
    if (now > cabinet.state.nowMs) cabinet.advance(now);
  };
  return {
    name: 'sim',
    cabinet,
    inputs: [...cabinet.read(nowMs).keys()],
    outputs: [closeCmdSignal('A'), closeCmdSignal('B'), GENERATOR_START, ALARM_COMMON],
    read(now) {
      advance(now);
      return cabinet.read(now);
    },
    takeProbes: (now) => cabinet.takeProbes(now),
    write(image, now) {
      advance(now);
      cabinet.write(image, now);
    },
    setKnobs: (knobs) => setKnobsAtomically(cfg, seed, cabinet, knobs),
    close: async () => undefined,
  };
}
