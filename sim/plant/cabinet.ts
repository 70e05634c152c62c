// The simulated cabinet as a board: power plant + uplinks behind the same ports as real drivers,
// plus the scenario knobs and the summary figures the plant itself measures.
import { parseDuration } from '../../src/config/duration.js';
import type { Config } from '../../src/config/schema.js';
import { carrierSignal, closedFbSignal, feedSignal, GEN_CONTROL_MODE, gensetSignal, psuOkSignal, upsSignal } from '../../src/core/signals.js';
import type { ProbeResult, Reading, SignalName } from '../../src/core/types.js';
import {
  DEFAULT_PARAMS,
  applyOutputs,
  createPowerPlant,
  engineStateCode,
  engineUp,
  failedToStart,
  namedAlarmWords,
  feedbackOf,
  offeredFrequency,
  offeredVoltage,
  powerDeadline,
  switchLive,
  type PlantParams,
  type PowerPlantState,
} from './power.js';
import { KNOBS, setPowerKnob } from './knobs.js';
import { createMeasure, type Measure } from './measure.js';
import { createUplinkPlant, type UplinkPlant } from './uplinks.js';

export interface SimCabinet {
  read(nowMs: number): ReadonlyMap<SignalName, Reading>;
  takeProbes(nowMs: number): readonly ProbeResult[];
  write(image: ReadonlyMap<SignalName, boolean>, nowMs: number): void;
  /** Moves plant time forward to `toMs`, integrating battery and measurements on the way. */
  advance(toMs: number): void;
  hasKnob(knob: string): boolean;
  /** An uplink knob's current value (power knobs are in `state`). */
  uplinkKnob(knob: string): unknown;
  /** Sets a knob at `nowMs` (default: the plant's time); returns an error text for a bad name or value. */
  set(knob: string, value: unknown, nowMs?: number): string | undefined;
  /** True when the uplinks produce only clean rounds for now (see UplinkPlant.steady). */
  probesSteady(nowMs: number): boolean;
  /** The latest probe completion before `beforeMs` (see UplinkPlant.lastDoneBeforeMs). */
  lastProbeDoneBeforeMs(nowMs: number, beforeMs: number): number | undefined;
  /**
   * True when nothing in the power plant changes continuously (load not on the UPS, battery not
   * recharging, meters and UPS answering): readings hold until the next deadline.
   */
  quiescent(): boolean;
  /** With `lazyProbes`, a steady uplink plant needs no wake-up of its own (see UplinkPlant.nextDeadlineMs). */
  nextDeadlineMs(nowMs: number, lazyProbes?: boolean): number | undefined;
  summary(nowMs: number): Record<string, unknown>;
  /** An uplink's simulated interface byte counters at `nowMs` (UplinkPlant.bytes). */
  uplinkBytes(id: string, nowMs: number): { rxBytes: number; txBytes: number };
  readonly state: PowerPlantState;
  readonly params: PlantParams;
}

export function paramsFor(cfg: Config): PlantParams {
  const f = cfg.power.feeds;
  return {
    ...DEFAULT_PARAMS,
    nominalV: { A: f.A.nominalVoltageV, B: f.B.nominalVoltageV },
    nominalHz: { A: f.A.nominalFrequencyHz, B: f.B.nominalFrequencyHz },
    generatorFeed: f.A.role === 'generator' ? 'A' : f.B.role === 'generator' ? 'B' : null,
    psuIds: cfg.psu.ids,
  };
}

export function createSimCabinet(cfg: Config, seed: number, startMs: number): SimCabinet {
  const p = paramsFor(cfg);
  const s = createPowerPlant(p, startMs, cfg.power.preferred);
  const uplinks: UplinkPlant = createUplinkPlant(cfg.uplinks, seed);
  const m: Measure = createMeasure(s, p);
  const lastGood = { A: { v: s.voltage.A, hz: s.frequency.A }, B: { v: 0, hz: 0 } };
  lastGood.B = { v: offeredVoltage(s, p, 'B'), hz: offeredFrequency(s, p, 'B') };
  const ups = { charge: 100, onBattery: false, runtimeS: p.upsRuntimeMs / 1000 };

  const loadOnUps = () => !switchLive(s, p) && !s.ups.fault;
  const refreshMeters = () => {
    for (const f of ['A', 'B'] as const) {
      if (s.meterComm[f]) {
        lastGood[f] = { v: offeredVoltage(s, p, f), hz: offeredFrequency(s, p, f) };
        s.meterLastGoodMs[f] = s.nowMs;
      }
    }
    if (s.ups.comm) {
      ups.charge = Math.round(s.ups.chargePct);
      ups.onBattery = loadOnUps();
      ups.runtimeS = Math.round(((s.ups.chargePct / 100) * p.upsRuntimeMs) / 1000);
      s.ups.lastGoodMs = s.nowMs;
    }
  };

  // The genset controller counts a start when the engine comes up (deadlines stop exactly there).
  const countStart = () => {
    const g = s.generator;
    const up = p.generatorFeed !== null && engineUp(s);
    if (up && !g.wasUp) g.starts += 1;
    g.wasUp = up;
    if (failedToStart(s)) g.failLatched = true;
  };

  /** Integrate from s.nowMs to t with nothing changing in between. */
  const integrate = (t: number) => {
    const dt = t - s.nowMs;
    if (dt <= 0) return;
    const live = switchLive(s, p);
    if (!live && !s.ups.fault) s.ups.chargePct = Math.max(0, s.ups.chargePct - (100 * dt) / p.upsRuntimeMs);
    else if (live) s.ups.chargePct = Math.min(100, s.ups.chargePct + (100 * dt) / p.upsRechargeMs);
    m.integrate(dt);
    if (p.generatorFeed !== null && engineUp(s)) s.generator.runMs += dt;
    s.nowMs = t;
  };

  const advance = (toMs: number) => {
    for (let guard = 0; guard < 1000 && s.nowMs < toMs; guard++) {
      const d = powerDeadline(s, p, loadOnUps());
      const t = d !== undefined && d < toMs ? d : toMs;
      integrate(t);
      for (const f of ['A', 'B'] as const) {
        const b = s.breakers[f];
        if (b.moving && b.moving.atMs <= s.nowMs) {
          b.closed = b.moving.to;
          b.moving = null;
        }
      }
      m.observe();
      countStart();
    }
    refreshMeters();
  };

  // Signal names built once; a reading equal to the last one given for its signal is the same object.
  const FEED_SIGNALS = {
    A: { fb: closedFbSignal('A'), v: feedSignal('A', 'voltage'), hz: feedSignal('A', 'frequency') },
    B: { fb: closedFbSignal('B'), v: feedSignal('B', 'voltage'), hz: feedSignal('B', 'frequency') },
  } as const;
  const UPS = {
    onBattery: upsSignal('onBattery'),
    lowBattery: upsSignal('lowBattery'),
    fault: upsSignal('fault'),
    chargePct: upsSignal('chargePct'),
    runtimeS: upsSignal('runtimeS'),
  } as const;
  const psuSignals = p.psuIds.map((id) => [id, psuOkSignal(id)] as const);
  const carrierSignals = cfg.uplinks.links.map((l) => [l.id, carrierSignal(l.id)] as const);
  type Fresh = { readonly value: boolean | number; readonly ageMs: number };
  const STALE: Reading = { value: undefined, reason: 'stale' };
  const lastReading = new Map<SignalName, Fresh>();
  const put = (r: Map<SignalName, Reading>, name: SignalName, value: boolean | number, ageMs: number) => {
    const was = lastReading.get(name);
    if (was !== undefined && was.value === value && was.ageMs === ageMs) r.set(name, was);
    else {
      const x: Fresh = { value, ageMs };
      lastReading.set(name, x);
      r.set(name, x);
    }
  };
  const read = (nowMs: number): ReadonlyMap<SignalName, Reading> => {
    const r = new Map<SignalName, Reading>();
    for (const f of ['A', 'B'] as const) {
      const n = FEED_SIGNALS[f];
      if (s.ioComm) put(r, n.fb, feedbackOf(s.breakers[f]), 0);
      else r.set(n.fb, STALE);
      const age = nowMs - s.meterLastGoodMs[f];
      put(r, n.v, lastGood[f].v, age);
      put(r, n.hz, lastGood[f].hz, age);
    }
    const uAge = nowMs - s.ups.lastGoodMs;
    put(r, UPS.onBattery, ups.onBattery, uAge);
    put(r, UPS.lowBattery, ups.charge <= 20, uAge);
    put(r, UPS.fault, s.ups.fault, uAge);
    put(r, UPS.chargePct, ups.charge, uAge);
    put(r, UPS.runtimeS, ups.runtimeS, uAge);
    // The genset controller answers on its own battery: its key position is always known.
    if (p.generatorFeed !== null) {
      const g = s.generator;
      put(r, GEN_CONTROL_MODE, g.controlMode, 0);
      // Whole seconds, as the controller counts them.
      put(r, gensetSignal('engineHours'), Math.floor(g.runMs / 1000) / 3600, 0);
      put(r, gensetSignal('starts'), g.starts, 0);
      put(r, gensetSignal('fuelPct'), g.fuelPct, 0);
      if (g.reportsEngine) {
        const [w1, w2] = namedAlarmWords(s);
        put(r, gensetSignal('engineState'), engineStateCode(s), 0);
        put(r, gensetSignal('namedAlarms1'), w1, 0);
        put(r, gensetSignal('namedAlarms2'), w2, 0);
      }
    }
    const powered = m.loadPowered();
    for (const [id, name] of psuSignals) {
      if (s.ioComm) put(r, name, powered && s.psuOk[id] === true, 0);
      else r.set(name, STALE);
    }
    // The fiber media converter and the LTE router run on the cabinet's DC bus: no load power, no carrier.
    for (const [id, name] of carrierSignals) put(r, name, powered && uplinks.carrier(id), 0);
    return r;
  };

  refreshMeters();
  return {
    state: s,
    params: p,
    read,
    takeProbes: (nowMs) => uplinks.takeProbes(nowMs),
    write(image, nowMs) {
      // A silent I/O module takes no writes: its relays stay as they were.
      if (!s.ioComm) return;
      applyOutputs(s, p, image);
      m.outputs(image);
      uplinks.observe(image, nowMs);
    },
    advance,
    uplinkKnob: (k) => uplinks.knob(k),
    hasKnob: (k) => k in KNOBS || /^psu\.[^.]+\.ok$/.test(k) || uplinks.hasKnob(k),
    set(knob, raw, nowMs) {
      // Knobs in ms take a duration as config does ("20s"), so scenarios read like the config.
      const asMs = knob.endsWith('Ms') && typeof raw === 'string' ? parseDuration(raw) : undefined;
      const value = asMs ?? raw;
      if (uplinks.hasKnob(knob)) return uplinks.set(knob, value, nowMs ?? s.nowMs);
      const err = setPowerKnob(s, p, knob, value);
      if (err === undefined) {
        m.observe();
        refreshMeters();
      }
      return err;
    },
    probesSteady: (nowMs) => uplinks.steady(nowMs),
    lastProbeDoneBeforeMs: (nowMs, beforeMs) => uplinks.lastDoneBeforeMs(nowMs, beforeMs),
    quiescent: () => !loadOnUps() && !(switchLive(s, p) && s.ups.chargePct < 100) && s.meterComm.A && s.meterComm.B && s.ups.comm,
    nextDeadlineMs(nowMs, lazyProbes) {
      const ts = [powerDeadline(s, p, loadOnUps()), uplinks.nextDeadlineMs(nowMs, lazyProbes)];
      // While the UPS carries the load, or a meter/UPS link is quiet, step each second so charge,
      // runtime and reading ages read true (the real controller scans every 100 ms anyway).
      const quiet = !s.meterComm.A || !s.meterComm.B || !s.ups.comm;
      if ((loadOnUps() && s.ups.chargePct > 0) || quiet) ts.push(nowMs + 1000);
      const f = ts.filter((t): t is number => t !== undefined && t > nowMs);
      return f.length ? Math.min(...f) : undefined;
    },
    summary: (nowMs) => ({ ...m.summary(), ...uplinks.summary(nowMs) }),
    uplinkBytes: (id, nowMs) => uplinks.bytes(id, nowMs),
  };
}

/**
 * Sets several knobs, all or none: every value is first checked on a scratch cabinet, so a bad one
 * changes nothing. Returns the first error.
 */
export function setKnobsAtomically(cfg: Config, seed: number, cabinet: SimCabinet, knobs: Record<string, unknown>): string | undefined {
  for (const k of Object.keys(knobs)) if (!cabinet.hasKnob(k)) return `unknown knob "${k}"`;
  const scratch = createSimCabinet(cfg, seed, cabinet.state.nowMs);
  for (const [k, v] of Object.entries(knobs)) {
    const err = scratch.set(k, v, cabinet.state.nowMs);
    if (err) return err;
  }
  for (const [k, v] of Object.entries(knobs)) cabinet.set(k, v, cabinet.state.nowMs);
  return undefined;
}
