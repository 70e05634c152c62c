// Runs the uplink core against the uplink plant alone, in virtual time (no power plant, no
// controller): the fast path for property tests and the failover benchmarks.
import type { UplinksConfig } from '../../src/config/uplinks.js';
import { initialUplinkState, stepUplinks, type UplinkState, type UplinkStepResult } from '../../src/core/uplink/index.js';
import type { Command, ControllerEvent, Reading } from '../../src/core/types.js';
import { createUplinkPlant, type UplinkPlant } from './uplinks.js';

export interface HarnessStep {
  readonly atMs: number;
  readonly set?: Readonly<Record<string, unknown>>;
  readonly command?: Command;
}

export interface HarnessOptions {
  readonly seed: number;
  readonly durationMs: number;
  readonly steps?: readonly HarnessStep[];
  /** Also scan at this period (the real runtime's scan, which polls carrier); default: deadlines only. */
  readonly tickMs?: number;
  /**
   * 'exact' (default): the core scans at each step's time, as the scenario runner does. 'scan': a knob
   * changes the plant at its time but the core sees it only at the next scan tick, as a real cabinet
   * whose carrier is polled each scan (needs tickMs).
   */
  readonly stepWake?: 'exact' | 'scan';
  /** Called after every scan with the core's result. */
  readonly onStep?: (tMs: number, r: UplinkStepResult) => void;
  /** Called for every event; return true to stop the run early. */
  readonly onEvent?: (tMs: number, e: ControllerEvent) => boolean | void;
  /** Called with the plant when the run ends (e.g. for its probe byte counts). */
  readonly onPlant?: (plant: UplinkPlant) => void;
}

export interface HarnessResult {
  readonly state: UplinkState;
  readonly endMs: number;
  readonly scans: number;
  readonly summary: { uplinkSwitches: number; uplinkDownMs: number };
}

const CARRIER_UP: Reading = { value: true, ageMs: 0 };
const CARRIER_DOWN: Reading = { value: false, ageMs: 0 };
const NO_COMMANDS: readonly Command[] = [];

export function runUplinks(cfg: UplinksConfig, o: HarnessOptions): HarnessResult {
  const plant = createUplinkPlant(cfg, o.seed);
  const steps = [...(o.steps ?? [])].sort((a, b) => a.atMs - b.atMs);
  const carrier = (id: string) => (plant.carrier(id) ? CARRIER_UP : CARRIER_DOWN);
  const applySet = (st: HarnessStep) => {
    for (const [k, v] of Object.entries(st.set ?? {})) {
      const err = plant.set(k, v);
      if (err) throw new Error(`${k}: ${err}`);
    }
  };
  let state = initialUplinkState(cfg);
  let t = 0;
  let si = 0;
  let scans = 0;
  for (;;) {
    let commands = NO_COMMANDS;
    while (si < steps.length && (steps[si] as HarnessStep).atMs <= t) {
      const st = steps[si++] as HarnessStep;
      applySet(st);
      if (st.command) commands = [...commands, st.command];
    }
    const r = stepUplinks(cfg, state, { nowMs: t, carrier, probes: plant.takeProbes(t), commands });
    scans++;
    state = r.state;
    plant.observe(r.outputs, t);
    o.onStep?.(t, r);
    let stop = false;
    for (const e of r.events) if (o.onEvent?.(t, e) === true) stop = true;
    if (stop) break;
    let next = Math.min(r.nextDeadlineMs ?? Infinity, plant.nextDeadlineMs(t) ?? Infinity);
    if (o.tickMs !== undefined) next = Math.min(next, (Math.floor(t / o.tickMs) + 1) * o.tickMs);
    if (o.stepWake === 'scan' && o.tickMs !== undefined) {
      // Knob changes before the next scan reach the plant now; the core learns of them at that scan.
      while (si < steps.length && (steps[si] as HarnessStep).atMs < next) applySet(steps[si++] as HarnessStep);
    } else next = Math.min(next, steps[si]?.atMs ?? Infinity);
    if (next <= t) next = t + 1;
    if (next > o.durationMs || !Number.isFinite(next)) break;
    t = next;
  }
  o.onPlant?.(plant);
  return { state, endMs: t, scans, summary: plant.summary(t) };
}
