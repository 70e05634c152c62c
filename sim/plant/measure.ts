// What the plant measures about itself for the summary: paralleled feeds, dead switch output,
// outages, UPS depletion, completed transfers and relay operations. The controller's word is not used.
import { switchLive, type PlantParams, type PowerPlantState } from './power.js';
import { isSoftwareRequest } from '../../src/core/uplink/outputs.js';

export interface Measure {
  integrate(dtMs: number): void;
  observe(): void;
  outputs(image: ReadonlyMap<string, boolean>): void;
  loadPowered(): boolean;
  summary(): Record<string, unknown>;
}

export function createMeasure(s: PowerPlantState, p: PlantParams): Measure {
  let interlockViolations = 0;
  let paralleledMs = 0;
  let loadOffMs = 0;
  let outage = 0;
  let longestOutageMs = 0;
  let upsDepleted = false;
  let loadLostMs = 0;
  let transfers = 0;
  let connected: 'A' | 'B' | 'none' = s.breakers.A.closed ? 'A' : s.breakers.B.closed ? 'B' : 'none';
  let both = false;
  let last: ReadonlyMap<string, boolean> | null = null;
  const relayOperations: Record<string, number> = {};
  // Position changes of each breaker: with its coil changes, they tell a relay glitch (a coil that
  // flipped and flipped back before the breaker moved) from an operation.
  const breakerMoves = { A: 0, B: 0 };
  const wasClosed = { A: s.breakers.A.closed, B: s.breakers.B.closed };
  const powered = () => switchLive(s, p) || (!s.ups.fault && s.ups.chargePct > 0);

  return {
    integrate(dt) {
      if (both) paralleledMs += dt;
      if (!switchLive(s, p)) {
        loadOffMs += dt;
        outage += dt;
        longestOutageMs = Math.max(longestOutageMs, outage);
      } else outage = 0;
      if (!powered()) loadLostMs += dt;
    },
    observe() {
      const a = s.breakers.A.closed;
      const b = s.breakers.B.closed;
      if (a !== wasClosed.A) [breakerMoves.A, wasClosed.A] = [breakerMoves.A + 1, a];
      if (b !== wasClosed.B) [breakerMoves.B, wasClosed.B] = [breakerMoves.B + 1, b];
      if (a && b && !both) interlockViolations += 1;
      both = a && b;
      const now = a && !b ? 'A' : b && !a ? 'B' : a && b ? connected : 'none';
      if (now !== 'none' && connected !== 'none' && now !== connected) transfers += 1;
      if (now !== 'none') connected = now;
      if (!powered()) upsDepleted = true;
    },
    outputs(image) {
      // The controller hands over a fresh image each scan and never mutates it: keep the reference.
      if (last && last !== image) {
        for (const [k, v] of image) {
          const before = last.get(k);
          if (before !== undefined && before !== v && !isSoftwareRequest(k)) relayOperations[k] = (relayOperations[k] ?? 0) + 1;
        }
      }
      last = image;
    },
    loadPowered: powered,
    summary: () => ({
      transfers,
      interlockViolations,
      paralleledMs,
      loadOffMs,
      longestOutageMs,
      upsDepleted,
      loadLostMs,
      relayOperations: { ...relayOperations },
      breakerMoves: { ...breakerMoves },
    }),
  };
}
