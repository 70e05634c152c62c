// Test fixtures for the core: configs, readings, snapshots and a small rig that drives `step()` by hand.
import { validateConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { initialState, step, type StepResult } from '../../src/core/controller.js';
import type { ControllerState } from '../../src/core/state.js';
import type { Command, ControllerEvent, Reading, SignalName, Snapshot } from '../../src/core/types.js';

export const cfgOf = (over: Record<string, unknown> = {}): Config => validateConfig(over, 'test');
export const DEFAULTS = cfgOf();

export const fresh = (value: boolean | number, ageMs = 0): Reading => ({ value, ageMs });
export const stale: Reading = { value: undefined, reason: 'stale' };

/** Input values by signal name; `null` = the signal is stale, `undefined` = absent. */
export type InputValues = Readonly<Partial<Record<SignalName, boolean | number | null | undefined>>>;

/** A healthy cabinet with the load on A: both feeds at 230 V / 50 Hz, UPS on mains, all PSUs OK. */
export const NORMAL: InputValues = {
  'breaker.A.closedFb': true,
  'breaker.B.closedFb': false,
  'feed.A.voltage': 230,
  'feed.A.frequency': 50,
  'feed.B.voltage': 0,
  'feed.B.frequency': 0,
  'ups.onBattery': false,
  'ups.lowBattery': false,
  'ups.fault': false,
  'ups.chargePct': 100,
  'ups.runtimeS': 1200,
  'psu.1.ok': true,
  'psu.2.ok': true,
  'psu.3.ok': true,
};

export function inputsOf(values: InputValues): Map<SignalName, Reading> {
  const m = new Map<SignalName, Reading>();
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    m.set(k as SignalName, v === null ? stale : fresh(v));
  }
  return m;
}

export const snap = (nowMs: number, values: InputValues): Snapshot => ({ nowMs, inputs: inputsOf(values) });

export interface TimedControllerEvent {
  readonly t: number;
  readonly e: ControllerEvent;
}

export interface Rig {
  readonly cfg: Config;
  state: ControllerState;
  last: StepResult | undefined;
  readonly events: TimedControllerEvent[];
  /** One scan at `nowMs` with these input values (merged over `base`) and commands. */
  scan(nowMs: number, values?: InputValues, commands?: readonly Command[]): StepResult;
  /** Scans every `periodMs` from `fromMs` up to and including `toMs` with the same inputs. */
  run(fromMs: number, toMs: number, values?: InputValues, periodMs?: number): void;
  of<T extends ControllerEvent['type']>(type: T): (Extract<ControllerEvent, { type: T }> & { t: number })[];
}

/** `base` is merged over NORMAL; each scan's values are merged over that. */
export function rig(cfg: Config = DEFAULTS, baseOver: InputValues = {}, startMs = 0): Rig {
  const base: InputValues = { ...NORMAL, ...baseOver };
  const r: Rig = {
    cfg,
    state: initialState(cfg, startMs),
    last: undefined,
    events: [],
    scan(nowMs, values = {}, commands = []) {
      const res = step(
        cfg,
        r.state,
        snap(nowMs, { ...base, ...values }),
        commands.map((command) => ({ command, origin: 'test' })),
      );
      r.state = res.state;
      r.last = res;
      for (const e of res.events) r.events.push({ t: nowMs, e });
      return res;
    },
    run(fromMs, toMs, values = {}, periodMs = 100) {
      for (let t = fromMs; t <= toMs; t += periodMs) r.scan(t, values);
    },
    of<T extends ControllerEvent['type']>(type: T) {
      return r.events.filter((x) => x.e.type === type).map((x) => ({ ...(x.e as Extract<ControllerEvent, { type: T }>), t: x.t }));
    },
  };
  return r;
}

/** Defaults with uplink control off: the rig sends no probes, so uplinks would otherwise alarm after 4 s. */
export const POWER_ONLY = cfgOf({ uplinks: { enabled: false } });

/**
 * A minute of power-only scans with one runtime input (`storage.fault`, `sparkplug.fault`) following
 * `value(t)` over the plant `plant(t)`: the events, and every output image but the common alarm's, so a
 * test can show that the input changes nothing but its alarm.
 */
export function runWithRuntimeInput(signal: SignalName, value: (t: number) => boolean, plant: (t: number) => InputValues) {
  let state: ControllerState = initialState(POWER_ONLY, 0);
  const events: (ControllerEvent & { t: number })[] = [];
  const images: string[] = [];
  for (let t = 0; t <= 60_000; t += 100) {
    const r = step(POWER_ONLY, state, snap(t, { ...NORMAL, ...plant(t), [signal]: value(t) }), []);
    state = r.state;
    for (const e of r.events) events.push({ t, ...e });
    images.push(JSON.stringify([...r.outputs].filter(([k]) => k !== 'alarm.common')));
  }
  return { events, images };
}

/** Utility fails at 5 s and the generator's voltage is there from then on (no plant: enough for a transfer). */
export const OUTAGE_AT_5S = (t: number): InputValues => (t >= 5000 ? { 'feed.A.voltage': 0, 'feed.B.voltage': 230, 'feed.B.frequency': 50 } : {});
