// The simulated cabinet as a real-time board: plant time follows the wall clock.
import type { Config } from '../config/schema.js';
import { ALARM_COMMON, closeCmdSignal, GENERATOR_START, uplinkMeasureSignal } from '../core/signals.js';
import type { Reading, SignalName } from '../core/types.js';
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
  // Simulated uplinks report byte counters as the real driver does (an uplink with an interface is real beside the sim board).
  const counted = cfg.uplinks.enabled ? cfg.uplinks.links.filter((l) => l.interface === undefined) : [];
  const names = counted.map((l) => [l.id, uplinkMeasureSignal(l.id, 'rxBytes'), uplinkMeasureSignal(l.id, 'txBytes')] as const);
  const read = (now: number): ReadonlyMap<SignalName, Reading> => {
    const r = cabinet.read(now);
    if (names.length === 0) return r;
    const out = new Map(r);
    for (const [id, rx, tx] of names) {
      const b = cabinet.uplinkBytes(id, now);
      out.set(rx, { value: b.rxBytes, ageMs: 0 });
      out.set(tx, { value: b.txBytes, ageMs: 0 });
    }
    return out;
  };
  return {
    name: 'sim',
    cabinet,
    inputs: [...read(nowMs).keys()],
    outputs: [closeCmdSignal('A'), closeCmdSignal('B'), GENERATOR_START, ALARM_COMMON],
    read(now) {
      advance(now);
      return read(now);
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
