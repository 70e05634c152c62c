// The simulated cabinet as a real-time board: plant time follows the wall clock.
import type { Config } from '../config/schema.js';
import type { Board } from '../io/ports.js';
import { createSimCabinet, type SimCabinet } from '../../sim/plant/cabinet.js';

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
    outputs: ['breaker.A.closeCmd', 'breaker.B.closeCmd', 'generator.start', 'alarm.common'],
    read(now) {
      advance(now);
      return cabinet.read(now);
    },
    takeProbes: (now) => cabinet.takeProbes(now),
    write(image, now) {
      advance(now);
      cabinet.write(image, now);
    },
    setKnobs(knobs) {
      for (const k of Object.keys(knobs)) if (!cabinet.hasKnob(k)) return `unknown knob "${k}"`;
      // Validate every value on a scratch cabinet first, so a bad request changes nothing.
      const scratch = createSimCabinet(cfg, seed, cabinet.state.nowMs);
      for (const [k, v] of Object.entries(knobs)) {
        const err = scratch.set(k, v, cabinet.state.nowMs);
        if (err) return err;
      }
      for (const [k, v] of Object.entries(knobs)) cabinet.set(k, v, cabinet.state.nowMs);
      return undefined;
    },
    close: async () => undefined,
  };
}
