// Operator commands for the power part (scenario, CLI, HTTP, SCADA alike): each is checked against
// the present state and either changes it or is refused with a reason. Nothing here bypasses the
// interlocks: commands only change wishes (mode, target, test); the transfer machine and the gate decide.
import type { Config } from '../../config/schema.js';
import { other, type Command, type CommandVerdict, type ControllerEvent, type FeedId, type Request } from '../types.js';
import { GEN_STOPPED } from './generator.js';
import type { Availability } from './source.js';
import type { PowerState } from './state.js';
import { endTest } from './test-run.js';
import { resetLockout, type Feedback } from './transfer.js';

export interface CommandContext {
  readonly nowMs: number;
  readonly avail: Readonly<Record<FeedId, Availability>>;
  readonly position: FeedId | 'none';
  readonly feedback: Feedback;
}

/** One command's outcome: the next state, its verdict and the one event its effect emits, if any. */
interface Applied {
  readonly state: PowerState;
  readonly verdict: CommandVerdict;
  readonly event?: ControllerEvent;
}

const ACCEPTED: CommandVerdict = Object.freeze({ accepted: true });
const ok = (state: PowerState, event?: ControllerEvent): Applied => (event ? { state, verdict: ACCEPTED, event } : { state, verdict: ACCEPTED });
const no = (state: PowerState, reason: string): Applied => ({ state, verdict: { accepted: false, reason } });

/** Commands that act on where the load is: refused until the position has been adopted from feedback. */
const ON_POSITION: ReadonlySet<Command['name']> = new Set(['transferTo', 'startTest', 'approveRetransfer', 'resetLockout']);

function apply(cfg: Config, s: PowerState, c: Command, ctx: CommandContext): Applied {
  if (!s.positionKnown && ON_POSITION.has(c.name))
    return no(s, 'the breaker position is not known yet (no fresh feedback, BREAKER_FEEDBACK_LOST): try again once it can be read');
  const P = cfg.power.preferred;
  const idle = s.transfer.kind === 'closed' || s.transfer.kind === 'open';
  const hasGenerator = cfg.power.feeds.A.role === 'generator' || cfg.power.feeds.B.role === 'generator';
  switch (c.name) {
    case 'transferTo': {
      if (s.transfer.kind === 'lockout') return no(s, 'locked out: reset the lockout first');
      if (s.mode !== 'manual') return no(s, `mode is ${s.mode}: set mode manual first`);
      if (!idle) return no(s, 'a transfer is in progress');
      if (ctx.position === c.source) return no(s, `the load is already on ${c.source}`);
      if (ctx.avail[c.source] !== 'available') return no(s, `source ${c.source} is not available`);
      return ok({ ...s, manualTarget: c.source });
    }
    case 'setMode': {
      if (s.mode === c.mode) return ok(s);
      const t = s.test ? endTest(s, cfg, ctx) : s;
      return ok({ ...t, mode: c.mode, manualTarget: null, autoSinceMs: c.mode === 'auto' ? ctx.nowMs : t.autoSinceMs }, { type: 'mode', mode: c.mode });
    }
    case 'startTest': {
      if (!hasGenerator) return no(s, 'no generator feed is configured');
      if (s.transfer.kind === 'lockout') return no(s, 'locked out: reset the lockout first');
      if (s.mode !== 'auto') return no(s, s.mode === 'test' ? 'a test is already running' : `mode is ${s.mode}: set mode auto first`);
      if (ctx.position !== P || ctx.avail[P] !== 'available') return no(s, `the load must be on the healthy preferred source ${P}`);
      if (!(c.durationMs > 0)) return no(s, 'durationMs must be above 0');
      return ok({ ...s, mode: 'test', test: { onLoad: c.onLoad, endsAtMs: ctx.nowMs + c.durationMs } }, { type: 'mode', mode: 'test' });
    }
    case 'stopTest':
      if (!s.test) return no(s, 'no test is running');
      return ok(endTest(s, cfg, ctx), { type: 'mode', mode: 'auto' });
    case 'approveRetransfer':
      if (s.mode !== 'auto') return no(s, `mode is ${s.mode}`);
      if (ctx.position !== other(P) || ctx.avail[P] !== 'available') return no(s, 'no retransfer is pending');
      return ok({ ...s, approved: true });
    case 'resetLockout':
      return reset(s, ctx);
    case 'ackAlarms':
      // Accepted here, in request order with the other commands; the alarm step acts on it (`ack`).
      return ok(s);
    case 'selectUplink':
    case 'releaseUplink':
      return no(s, 'handled by the uplink controller');
  }
}

/** Leaves a lockout (adopting the present position) and clears a latched generator failure. */
function reset(s: PowerState, ctx: CommandContext): Applied {
  const genFailed = s.generator.kind === 'failed';
  if (s.transfer.kind !== 'lockout' && !genFailed) return no(s, 'not locked out');
  let next = s;
  let event: ControllerEvent | undefined;
  if (s.transfer.kind === 'lockout') {
    const r = resetLockout(s.transfer, ctx.feedback, ctx.nowMs);
    if (r.refused) return no(s, r.refused);
    next = { ...next, transfer: r.state };
    event = { type: 'lockout', active: false, reason: 'reset by operator' };
  }
  if (genFailed) next = { ...next, generator: GEN_STOPPED };
  return ok(next, event);
}

export interface CommandsResult {
  readonly state: PowerState;
  /** Per request: its `command` event, then the event of its effect (mode, lockout), if any. */
  readonly events: readonly ControllerEvent[];
  /** One per request, same order. */
  readonly verdicts: readonly CommandVerdict[];
  /** An `ackAlarms` was accepted. */
  readonly ack: boolean;
}

/** Applies the requests in order; `ctx` is the position before the first (as the operator saw it). */
export function applyCommands(cfg: Config, s: PowerState, requests: readonly Request[], ctx: CommandContext): CommandsResult {
  let state = s;
  let ack = false;
  const events: ControllerEvent[] = [];
  const verdicts: CommandVerdict[] = [];
  for (const r of requests) {
    const a = apply(cfg, state, r.command, ctx);
    state = a.state;
    if (a.verdict.accepted && r.command.name === 'ackAlarms') ack = true;
    const ev: ControllerEvent = { type: 'command', name: r.command.name, accepted: a.verdict.accepted };
    if (!a.verdict.accepted) ev.reason = a.verdict.reason;
    if (r.origin !== undefined) ev.origin = r.origin;
    // What the test was asked to be: a report must not guess it from whether the load moved.
    if (r.command.name === 'startTest') ev.onLoad = r.command.onLoad;
    events.push(ev);
    if (a.event) events.push(a.event);
    verdicts.push(a.verdict);
  }
  return { state, events, verdicts, ack };
}
