// One scan of the controller: readings + requests → next state, the FULL output image (gated by the
// interlock), events, one verdict per request and the next deadline. Pure: time is `snap.nowMs`.
// step() only composes the sub-machines (UPS, power, PSU, uplinks, alarms) and applies the gate; the
// order in which it joins their events is the event stream's contract.
import type { Config } from '../config/schema.js';
import { activeAlarms, stepAlarms } from './alarms.js';
import { alarmConditions } from './conditions.js';
import { gatedImage } from './image.js';
import { CLOSE_CMD } from './interlock.js';
import { joinEvents, NO_EVENTS, sooner } from './part.js';
import { stepPower } from './power/index.js';
import { stepPsu } from './psu.js';
import { inRequestOrder, routeRequests, uplinkCommandEvents } from './requests.js';
import { initialState, type ControllerState } from './state.js';
import { carrierSignal } from './signals.js';
import type { CommandVerdict, ControllerEvent, InputSignal, Request, SignalName, Snapshot } from './types.js';
import { stepUps } from './ups.js';
import { stepGenset } from './genset.js';
import { stepUplinks } from './uplink/index.js';
import { isSoftwareRequest } from './uplink/outputs.js';

export interface StepResult {
  readonly state: ControllerState;
  readonly outputs: ReadonlyMap<SignalName, boolean>;
  readonly events: readonly ControllerEvent[];
  /** One per request, in request order (the `command` events say the same, in stream order). */
  readonly verdicts: readonly CommandVerdict[];
  readonly nextDeadlineMs: number | undefined;
  /**
   * True when the uplink part allows good probe rounds to arrive late, in a batch (see
   * UplinkStepResult.probesBatchable); `steadyDeadlineMs` is then the deadline to keep instead of
   * `nextDeadlineMs`, as long as only good rounds come in.
   */
  readonly probesBatchable?: boolean;
  readonly steadyDeadlineMs?: number | undefined;
}

export { initialState };

type Draft = { -readonly [K in keyof ControllerState]: ControllerState[K] };

const NONE: readonly never[] = Object.freeze([]);

// `uplink.<id>.carrier` names, built once per id (a name built per scan costs a string and its hash).
// A module-level memo, and harmless: the same id always gives the same name, and the configured ids bound it.
const carrierSignals = new Map<string, InputSignal>();
const carrierOf = (id: string) => {
  let s = carrierSignals.get(id);
  if (s === undefined) carrierSignals.set(id, (s = carrierSignal(id)));
  return s;
};

const HELD = [
  { A: false, B: false },
  { A: false, B: true },
  { A: true, B: false },
  { A: true, B: true },
] as const;
/** The breaker close commands of the image written last (shared objects: nothing allocated per scan). */
const heldOf = (image: ReadonlyMap<SignalName, boolean>) =>
  HELD[(image.get(CLOSE_CMD.A) === true ? 2 : 0) + (image.get(CLOSE_CMD.B) === true ? 1 : 0)] as (typeof HELD)[number];

/** One `output` event per signal whose written value changed. */
function outputEvents(before: ReadonlyMap<SignalName, boolean>, after: ReadonlyMap<SignalName, boolean>): readonly ControllerEvent[] {
  if (after === before) return NO_EVENTS;
  const events: ControllerEvent[] = [];
  for (const [name, on] of after) if (before.get(name) !== on) events.push({ type: 'output', name, on });
  return events;
}

/** Each change of an output's written value is one operation of its relay (the first image, which
 * has nothing to change from, is none: a restart does not wear a relay; a modem request has no relay). */
function countOperations(
  counts: Readonly<Record<string, number>>,
  before: ReadonlyMap<SignalName, boolean>,
  events: readonly ControllerEvent[],
): Readonly<Record<string, number>> {
  let after: Record<string, number> | null = null;
  for (const e of events) {
    if (e.type !== 'output' || !before.has(e.name) || isSoftwareRequest(e.name)) continue;
    after ??= { ...counts };
    after[e.name] = (after[e.name] ?? 0) + 1;
  }
  return after ?? counts;
}

export function step(cfg: Config, prev: ControllerState, snap: Snapshot, requests: readonly Request[]): StepResult {
  const now = snap.nowMs;
  const routed = routeRequests(requests);
  // The UPS first: its on-battery flag is evidence about the feed in use.
  const ups = stepUps(prev.ups, snap.inputs, cfg.ups, now);
  const upsOnBattery = ups.state.comm && ups.state.onBattery;
  const power = stepPower(cfg, prev.power, { nowMs: now, inputs: snap.inputs, boot: !prev.booted, upsOnBattery, requests: routed.power });
  const psu = stepPsu(prev.psu, snap.inputs, cfg.psu);
  const up = stepUplinks(cfg.uplinks, prev.uplink, {
    nowMs: now,
    carrier: (id) => snap.inputs.get(carrierOf(id)),
    probes: snap.probes ?? NONE,
    inputs: snap.inputs,
    commands: routed.uplink.length === 0 ? NONE : routed.uplink.map((r) => r.command),
  });
  const upCmd = uplinkCommandEvents(routed.uplink, up.verdicts);

  // The interlock gate checks what power and the uplinks want against position feedback.
  const want = power.outputs;
  const held = heldOf(prev.outputs);
  const gated = gatedImage(want.A, want.B, want.generatorStart, up.outputs, power.state.feedback, held);
  const d: Draft = {
    booted: true,
    power: power.state,
    ups: ups.state,
    psu: psu.state,
    uplink: up.state,
    genset: stepGenset(prev.genset, snap.inputs),
    alarms: prev.alarms,
    interlockBlocked: gated.blocked,
    outputs: prev.outputs,
    relayOperations: prev.relayOperations,
    restoredAcks: prev.restoredAcks,
  };

  // Alarms, then the common-alarm output.
  const conditions = alarmConditions(cfg, d, power.avail, power.rateLimited, up.alarms, snap.inputs);
  const pre = prev.restoredAcks;
  const al = stepAlarms(prev.alarms, conditions, power.ack, now, pre && now < pre.untilMs ? pre.codes : undefined);
  d.alarms = al.state;
  if (pre && (now >= pre.untilMs || al.consumed)) {
    const left = now >= pre.untilMs ? [] : pre.codes.filter((c) => !al.consumed?.includes(c));
    d.restoredAcks = left.length > 0 ? { codes: left, untilMs: pre.untilMs } : null;
  }
  const common = activeAlarms(d.alarms).some((c) => !d.alarms[c]?.acked);
  d.outputs = common ? gated.withCommon : gated.withoutCommon;
  const outEvents = outputEvents(prev.outputs, d.outputs);
  if (outEvents.length > 0) d.relayOperations = countOperations(prev.relayOperations, prev.outputs, outEvents);

  const events = joinEvents(power.senseEvents, ups.events, power.events, psu.events, upCmd.events, up.events, al.events, outEvents);
  const base = sooner(now, power.deadlineMs, ups.deadlineMs);
  return {
    state: d,
    outputs: d.outputs,
    events,
    verdicts: requests.length === 0 ? NONE : inRequestOrder(requests, power.verdicts, upCmd.verdicts),
    nextDeadlineMs: sooner(now, base, up.nextDeadlineMs),
    probesBatchable: up.probesBatchable,
    steadyDeadlineMs: sooner(now, base, up.steadyDeadlineMs),
  };
}
