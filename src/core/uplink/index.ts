// Uplink health and selection (pure): one step folds carrier readings, probe results and operator
// commands into the uplink state and returns the selected-uplink outputs, events and alarms.
import type { UplinksConfig } from '../../config/uplinks.js';
import type { AlarmCode, Command, ControllerEvent, ProbeResult, Reading, SignalName, Status } from '../types.js';
import { applyCarrier, applyProbe, applyTimers, roundsBatchable, timersDeadline, timersDue, type Draft, type HealthCtx } from './health.js';
import { applyPowerCycle, powerCycleDeadline } from './powercycle.js';
import { choose } from './select.js';
import { cadenceMs } from './budget.js';
import { initialState, isHeld, type LinkState, type UplinkState } from './state.js';
import { imageOf, alarmsOf, applyCommands, EMPTY } from './outputs.js';
import { windowStats } from './window.js';

export type { UplinkState, LinkState } from './state.js';

export interface UplinkInput {
  readonly nowMs: number;
  /** `uplink.<id>.carrier` readings (absent in configs without carrier sense). */
  readonly carrier: (id: string) => Reading | undefined;
  readonly probes: readonly ProbeResult[];
  /** Only `selectUplink` / `releaseUplink`, in arrival order. */
  readonly commands: readonly Command[];
}

export interface UplinkStepResult {
  readonly state: UplinkState;
  readonly events: readonly ControllerEvent[];
  /** Active uplink alarm conditions (UPLINK_DOWN, NO_UPLINK) with their messages. */
  readonly alarms: ReadonlyMap<AlarmCode, string>;
  /** Route/relay outputs, e.g. `uplink.<id>.selected`; the full uplink part of the image. */
  readonly outputs: ReadonlyMap<SignalName, boolean>;
  readonly nextDeadlineMs: number | undefined;
  /**
   * True when good probe rounds may arrive late and in a batch (each result with its round's `atMs`,
   * in send order per uplink) without changing the outcome: every uplink is up with carrier and no
   * round is open. A simulator whose plant is the prober may then skip the per-round wake-ups.
   */
  readonly probesBatchable: boolean;
  /** `nextDeadlineMs` without the silent-prober checks, for a caller that keeps good rounds coming. */
  readonly steadyDeadlineMs: number | undefined;
  /** One verdict per command in `commands`, same order. */
  readonly verdicts: readonly { accepted: boolean; reason?: string }[];
}

export function initialUplinkState(cfg: UplinksConfig): UplinkState {
  return initialState(cfg);
}

// The result of the step that produced a state, reused by idle steps (no allocation when nothing happens).
// Module-level but pure: keyed weakly by the (immutable) state, so it never outlives it nor changes an answer.
const idle = new WeakMap<UplinkState, { cfg: UplinksConfig; result: UplinkStepResult }>();

function carrierOf(r: Reading | undefined): boolean | null {
  return r === undefined || r.value === undefined ? null : Boolean(r.value);
}

function isIdle(cfg: UplinksConfig, prev: UplinkState, input: UplinkInput): boolean {
  if (input.commands.length > 0 || input.probes.length > 0) return false;
  if (prev.deadlineMs !== undefined && input.nowMs >= prev.deadlineMs) return false;
  for (let i = 0; i < cfg.links.length; i++) {
    const id = (cfg.links[i] as UplinksConfig['links'][number]).id;
    if (carrierOf(input.carrier(id)) !== (prev.links[i] as LinkState).carrier) return false;
  }
  return true;
}

/** True when nothing the alarm texts depend on changed, so the previous alarm map still holds. */
function sameAlarmFacts(a: UplinkState, b: UplinkState, nowMs: number): boolean {
  if (a.active !== b.active) return false;
  for (let i = 0; i < a.links.length; i++) {
    const x = a.links[i] as LinkState;
    const y = b.links[i] as LinkState;
    if (x.up !== y.up || x.reason !== y.reason || isHeld(x, a.atMs) !== isHeld(y, nowMs)) return false;
  }
  return true;
}

/** After a switch, a former standby is probed at full rate again: a silent prober is then noticed as fast. */
function expectFullRate(cfg: UplinksConfig, links: readonly LinkState[], draft: (i: number) => Draft, active: string, nowMs: number): void {
  const at = cfg.links.findIndex((l) => l.id === active);
  for (let i = 0; i < links.length; i++) {
    const by = nowMs + 2 * cadenceMs(cfg, i, at);
    const l = links[i] as LinkState;
    if (l.expectRoundByMs !== null && l.expectRoundByMs > by) draft(i).expectRoundByMs = by;
  }
}

export function stepUplinks(cfg: UplinksConfig, prev: UplinkState, input: UplinkInput): UplinkStepResult {
  const hit = idle.get(prev);
  const cached = hit?.cfg === cfg ? hit.result : undefined;
  if (cached && isIdle(cfg, prev, input)) return cached;
  const nowMs = input.nowMs;
  const events: ControllerEvent[] = [];
  if (!cfg.enabled) {
    const verdicts = input.commands.map(() => ({ accepted: false, reason: 'uplink control is disabled (uplinks.enabled: false)' }));
    return {
      state: prev,
      events: EMPTY,
      alarms: new Map(),
      outputs: new Map(),
      nextDeadlineMs: undefined,
      probesBatchable: false,
      steadyDeadlineMs: undefined,
      verdicts,
    };
  }
  const links: LinkState[] = prev.links.slice();
  // Copy-on-write: a link gets one private copy in a step, and only when something touches it.
  const drafts: (Draft | undefined)[] = [];
  const draft = (i: number): Draft => (drafts[i] ??= links[i] = { ...(links[i] as LinkState) });
  const ctxs: (HealthCtx | undefined)[] = [];
  const activeAt = cfg.links.findIndex((l) => l.id === prev.active);
  const ctx = (i: number): HealthCtx => {
    const l = cfg.links[i] as UplinksConfig['links'][number];
    return (ctxs[i] ??= { cfg, id: l.id, targets: l.targets.length, cadenceMs: cadenceMs(cfg, i, activeAt), nowMs, events });
  };
  for (let i = 0; i < links.length; i++) {
    const carrier = carrierOf(input.carrier((cfg.links[i] as UplinksConfig['links'][number]).id));
    if (carrier !== (links[i] as LinkState).carrier) applyCarrier(draft(i), carrier, ctx(i));
  }
  // Results come grouped by uplink (a batch may hold many rounds): look the uplink up once per group.
  let pi = -1;
  let pid: string | undefined;
  for (const p of input.probes) {
    if (p.uplink !== pid) {
      const id = (pid = p.uplink);
      pi = cfg.links.findIndex((l) => l.id === id);
    }
    if (pi >= 0) applyProbe(draft(pi), p, ctx(pi));
  }
  for (let i = 0; i < links.length; i++) if (timersDue(links[i] as LinkState, { cfg, nowMs })) applyTimers(draft(i), ctx(i));

  const { manual, released, verdicts } = applyCommands(cfg, links, prev.manual, input.commands);
  const choice = choose(cfg, links, prev.active, manual, nowMs, released);
  if (choice.reason !== undefined) {
    events.push({ type: 'uplink.switch', from: prev.active, to: choice.to, reason: choice.reason });
    expectFullRate(cfg, links, draft, choice.to, nowMs);
  }

  let deadlineMs = choice.dueMs;
  let steadyMs = choice.dueMs;
  let batchable = true;
  const soonest = (d: number | undefined) => {
    if (d !== undefined && (deadlineMs === undefined || d < deadlineMs)) deadlineMs = d;
  };
  const soonestSteady = (d: number | undefined) => {
    if (d !== undefined && (steadyMs === undefined || d < steadyMs)) steadyMs = d;
  };
  for (let i = 0; i < links.length; i++) {
    const link = cfg.links[i] as UplinksConfig['links'][number];
    const pcDue = powerCycleDeadline(links[i] as LinkState, link, nowMs);
    if (pcDue !== undefined && nowMs >= pcDue) applyPowerCycle(draft(i), link, nowMs, events);
    const l = links[i] as LinkState;
    const pc = powerCycleDeadline(l, link, nowMs);
    soonest(timersDeadline(l, { cfg }));
    soonest(pc);
    soonestSteady(timersDeadline(l, { cfg }, false));
    soonestSteady(pc);
    if (!roundsBatchable(l)) batchable = false;
  }
  const state: UplinkState = { active: choice.to, manual, links, atMs: nowMs, deadlineMs };
  const result: UplinkStepResult = {
    state,
    events: events.length === 0 ? EMPTY : events,
    alarms: sameAlarmFacts(prev, state, nowMs) && cached ? cached.alarms : alarmsOf(cfg, state, nowMs),
    outputs: imageOf(cfg, state),
    nextDeadlineMs: deadlineMs,
    probesBatchable: batchable,
    steadyDeadlineMs: steadyMs,
    verdicts,
  };
  idle.set(state, { cfg, result: { ...result, events: EMPTY, verdicts: EMPTY } });
  return result;
}

export function uplinkStatus(cfg: UplinksConfig, state: UplinkState): Status['uplink'] {
  const out: Status['uplink'] = { active: state.active, manual: state.manual };
  cfg.links.forEach((link, i) => {
    const l = state.links[i];
    if (!l) return;
    const { lossPct, latencyMs } = windowStats(l.win, cfg.healthWindowMs, state.atMs);
    out[link.id] = { up: l.up, reason: l.reason, lossPct, latencyMs, heldDown: isHeld(l, state.atMs) };
  });
  return out;
}
