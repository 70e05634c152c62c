// The simulated power plant: two feeds (B may be a generator), two contactors with operating time and
// faults, meters that can go quiet, a UPS whose battery drains while the switch output is dead, and
// DC PSUs. Written apart from the controller: it is the independent judge of what really happened.
import { closeCmdSignal, GENERATOR_START } from '../../src/core/signals.js';
import type { SignalName } from '../../src/core/types.js';

export interface PlantParams {
  readonly nominalV: Readonly<Record<'A' | 'B', number>>;
  readonly nominalHz: Readonly<Record<'A' | 'B', number>>;
  readonly generatorFeed: 'A' | 'B' | null;
  readonly psuIds: readonly string[];
  /** Contactor operating time. */
  readonly breakerOperateMs: number;
  /** UPS runtime from full charge at this load, and the time to recharge from empty. */
  readonly upsRuntimeMs: number;
  readonly upsRechargeMs: number;
  /** Meters are polled this often; a reading's age counts from the last good poll. */
  readonly meterPollMs: number;
}

export const DEFAULT_PARAMS: Omit<PlantParams, 'nominalV' | 'nominalHz' | 'generatorFeed' | 'psuIds'> = {
  breakerOperateMs: 60,
  upsRuntimeMs: 20 * 60_000,
  upsRechargeMs: 4 * 3_600_000,
  meterPollMs: 1000,
};

type Feed = 'A' | 'B';
export type Stuck = 'open' | 'closed' | 'none';
export type FeedbackFault = 'ok' | 'stuckOpen' | 'stuckClosed';

export interface Breaker {
  closed: boolean;
  /** Where the mechanism is heading and when it gets there. */
  moving: { to: boolean; atMs: number } | null;
  stuck: Stuck;
  feedback: FeedbackFault;
  coil: boolean;
}

export interface PowerPlantState {
  nowMs: number;
  voltage: Record<Feed, number>;
  frequency: Record<Feed, number>;
  /**
   * `controlMode` is the genset controller's key (GenComm codes: 1 auto obeys the start signal, 3 and 6
   * test modes run the set anyway, 0 stop, 2 manual and 7 off never start it). `signalSinceMs`: when
   * the run request (mode and start signal together) last changed.
   */
  generator: {
    failToStart: boolean;
    startMs: number;
    startSignal: boolean;
    /** A start asked over Modbus (GenComm key 35732 "telemetry start if in auto"; 35733 cancels it). */
    remoteStart: boolean;
    signalSinceMs: number;
    controlMode: number;
    /** What the controller counts: engine run time, starts (each time the engine comes up), fuel level. */
    runMs: number;
    starts: number;
    wasUp: boolean;
    fuelPct: number;
    /**
     * The controller also reports its engine state and named alarms (knob `generator.reportsEngine`):
     * off by default, so the scenarios written before it keep their voltage-judged generator.
     */
    reportsEngine: boolean;
    /** A failed start latches its shutdown alarm, as on a DSE module, until the set is repaired (knob failToStart off). */
    failLatched: boolean;
  };
  breakers: Record<Feed, Breaker>;
  meterComm: Record<Feed, boolean>;
  /** The I/O module answers (knob `io.comm`): silent, its contacts read stale and it takes no coil writes. */
  ioComm: boolean;
  meterLastGoodMs: Record<Feed, number>;
  ups: { comm: boolean; fault: boolean; chargePct: number; lastGoodMs: number };
  psuOk: Record<string, boolean>;
}

export function createPowerPlant(p: PlantParams, nowMs: number, initiallyOn: Feed | 'none' = 'A'): PowerPlantState {
  const breaker = (on: boolean): Breaker => ({ closed: on, moving: null, stuck: 'none', feedback: 'ok', coil: on });
  return {
    nowMs,
    voltage: { A: p.nominalV.A, B: p.nominalV.B },
    frequency: { A: p.nominalHz.A, B: p.nominalHz.B },
    generator: {
      failToStart: false,
      startMs: 8000,
      startSignal: false,
      remoteStart: false,
      signalSinceMs: nowMs,
      controlMode: 1,
      runMs: 0,
      starts: 0,
      wasUp: false,
      fuelPct: 80,
      reportsEngine: false,
      failLatched: false,
    },
    breakers: { A: breaker(initiallyOn === 'A'), B: breaker(initiallyOn === 'B') },
    meterComm: { A: true, B: true },
    ioComm: true,
    meterLastGoodMs: { A: nowMs, B: nowMs },
    ups: { comm: true, fault: false, chargePct: 100, lastGoodMs: nowMs },
    psuOk: Object.fromEntries(p.psuIds.map((id) => [id, true])),
  };
}

/** Whether the genset controller is asked to run the engine (its mode decides what the start signal does). */
export function runRequested(g: PowerPlantState['generator']): boolean {
  return g.controlMode === 1 ? g.startSignal || g.remoteStart : g.controlMode === 3 || g.controlMode === 6;
}

/** Changes the generator's start signal or key; the start time counts from a change of the run request. */
export function setGenerator(s: PowerPlantState, change: { startSignal?: boolean; remoteStart?: boolean; controlMode?: number }): void {
  const g = s.generator;
  const before = runRequested(g);
  if (change.startSignal !== undefined) g.startSignal = change.startSignal;
  if (change.remoteStart !== undefined) g.remoteStart = change.remoteStart;
  if (change.controlMode !== undefined) g.controlMode = change.controlMode;
  if (runRequested(g) !== before) g.signalSinceMs = s.nowMs;
}

/**
 * GenComm system control keys the simulated controller obeys (DSE 056-051 Gencomm Control Keys): the
 * mode keys and the telemetry start/cancel pair. Written with their complement; see applyControlKey.
 */
const CONTROL_KEYS: Readonly<Record<number, { remoteStart?: boolean; controlMode?: number }>> = {
  35700: { controlMode: 0 },
  35701: { controlMode: 1 },
  35702: { controlMode: 2 },
  35703: { controlMode: 3 },
  35732: { remoteStart: true },
  35733: { remoteStart: false },
};

/** Acts on a system control key written with its complement; false (and nothing done) for a bad pair or an unknown key. */
export function applyControlKey(s: PowerPlantState, key: number, complement: number): boolean {
  const change = CONTROL_KEYS[key];
  if (key + complement !== 0xffff || !change) return false;
  setGenerator(s, change);
  return true;
}

/** The engine is up to speed (the run request held for its start time, and it does start). */
export function engineUp(s: PowerPlantState): boolean {
  const g = s.generator;
  return runRequested(g) && !g.failToStart && s.nowMs >= g.signalSinceMs + g.startMs;
}

/** The set was asked to run for its start time and did not start: the controller's "fail to start". */
export function failedToStart(s: PowerPlantState): boolean {
  const g = s.generator;
  return runRequested(g) && g.failToStart && s.nowMs >= g.signalSinceMs + g.startMs;
}

/** GenComm engine state (register 1408) as the simulated controller reports it: 0 stopped, 1 pre-start (cranking), 3 running. */
export function engineStateCode(s: PowerPlantState): number {
  if (engineUp(s)) return 3;
  return runRequested(s.generator) && !failedToStart(s) ? 1 : 0;
}

/**
 * GenComm named alarms 1–8 (page 154, 4 bits each, alarm 1 in the top nibble): all implemented and
 * not active (1), except "fail to start" (alarm 7), a shutdown alarm (3) from a failed start until the set is repaired.
 */
export function namedAlarmWords(s: PowerPlantState): [number, number] {
  return [0x1111, failedToStart(s) || s.generator.failLatched ? 0x1131 : 0x1111];
}

/** The voltage a feed offers at its breaker (a generator only once started and up to speed). */
export function offeredVoltage(s: PowerPlantState, p: PlantParams, f: Feed): number {
  if (f !== p.generatorFeed) return s.voltage[f];
  return engineUp(s) ? s.voltage[f] : 0;
}

export function offeredFrequency(s: PowerPlantState, p: PlantParams, f: Feed): number {
  return offeredVoltage(s, p, f) > 0 ? s.frequency[f] : 0;
}

/** The switch output is live when a closed breaker connects a feed within a UPS's input tolerance. */
export function switchLive(s: PowerPlantState, p: PlantParams): boolean {
  return (['A', 'B'] as const).some((f) => {
    if (!s.breakers[f].closed) return false;
    const v = offeredVoltage(s, p, f);
    const hz = offeredFrequency(s, p, f);
    return v >= 0.75 * p.nominalV[f] && v <= 1.2 * p.nominalV[f] && hz >= 0.9 * p.nominalHz[f] && hz <= 1.1 * p.nominalHz[f];
  });
}

const CLOSE_CMD = { A: closeCmdSignal('A'), B: closeCmdSignal('B') } as const;

/** Coils follow the command image; a stuck mechanism ignores them. */
export function applyOutputs(s: PowerPlantState, p: PlantParams, image: ReadonlyMap<SignalName, boolean>): void {
  for (const f of ['A', 'B'] as const) {
    const b = s.breakers[f];
    const want = image.get(CLOSE_CMD[f]);
    // A signal missing from the image is left as it is (as every board does).
    if (want === undefined) continue;
    const coil = want;
    b.coil = coil;
    const target = b.stuck === 'open' ? false : b.stuck === 'closed' ? true : coil;
    if (target === b.closed) b.moving = null;
    else if (!b.moving || b.moving.to !== target) b.moving = { to: target, atMs: s.nowMs + p.breakerOperateMs };
  }
  const start = image.get(GENERATOR_START);
  if (start !== undefined && start !== s.generator.startSignal) setGenerator(s, { startSignal: start });
}

/** What the aux contact says. */
export function feedbackOf(b: Breaker): boolean {
  return b.feedback === 'stuckOpen' ? false : b.feedback === 'stuckClosed' ? true : b.closed;
}

/** The next time something changes inside the plant by itself. */
export function powerDeadline(s: PowerPlantState, p: PlantParams, loadOnUps: boolean): number | undefined {
  const ts: number[] = [];
  for (const f of ['A', 'B'] as const) {
    const m = s.breakers[f].moving;
    if (m) ts.push(m.atMs);
  }
  const g = s.generator;
  // A start that fails is seen by a reporting controller at the same instant a good one would come up.
  const starting = !g.failToStart || g.reportsEngine;
  if (runRequested(g) && starting && s.nowMs < g.signalSinceMs + g.startMs) ts.push(g.signalSinceMs + g.startMs);
  if (loadOnUps && s.ups.chargePct > 0) ts.push(s.nowMs + Math.ceil((s.ups.chargePct / 100) * p.upsRuntimeMs));
  const future = ts.filter((t) => t > s.nowMs);
  return future.length ? Math.min(...future) : undefined;
}
