// Operator commands (scenario, CLI, HTTP, SCADA alike): each is checked against the present state
// and either changes it or is refused with a reason. Nothing here bypasses the interlocks: commands
// only change wishes (mode, target, test); the transfer machine and the gate still decide.
import type { Config } from '../config/schema.js';
import { resetLockout, type Feedback } from './power/transfer.js';
import { GEN_STOPPED } from './power/generator.js';
import type { Availability } from './power/source.js';
import type { ControllerState } from './state.js';
import { other, type Command, type ControllerEvent, type FeedId, type Request } from './types.js';

type Draft = { -readonly [K in keyof ControllerState]: ControllerState[K] };

export interface CommandContext {
  readonly nowMs: number;
  readonly avail: Readonly<Record<FeedId, Availability>>;
  readonly position: FeedId | 'none';
  readonly feedback: Feedback;
}

type Verdict = { accepted: true } | { accepted: false; reason: string };
const ok: Verdict = { accepted: true };
const no = (reason: string): Verdict => ({ accepted: false, reason });

function apply(cfg: Config, d: Draft, c: Command, ctx: CommandContext, events: ControllerEvent[]): Verdict {
  const P = cfg.power.preferred;
  const idle = d.transfer.kind === 'closed' || d.transfer.kind === 'open';
  const hasGenerator = cfg.power.feeds.A.role === 'generator' || cfg.power.feeds.B.role === 'generator';
  switch (c.name) {
    case 'transferTo': {
      if (d.transfer.kind === 'lockout') return no('locked out: reset the lockout first');
      if (d.mode !== 'manual') return no(`mode is ${d.mode}: set mode manual first`);
      if (!idle) return no('a transfer is in progress');
      if (ctx.position === c.source) return no(`the load is already on ${c.source}`);
      if (ctx.avail[c.source] !== 'available') return no(`source ${c.source} is not available`);
      d.manualTarget = c.source;
      return ok;
    }
    case 'setMode': {
      if (d.mode === c.mode) return ok;
      if (d.test) endTest(d, cfg, ctx);
      d.mode = c.mode;
      d.manualTarget = null;
      if (c.mode === 'auto') d.autoSinceMs = ctx.nowMs;
      events.push({ type: 'mode', mode: c.mode });
      return ok;
    }
    case 'startTest': {
      if (!hasGenerator) return no('no generator feed is configured');
      if (d.transfer.kind === 'lockout') return no('locked out: reset the lockout first');
      if (d.mode !== 'auto') return no(d.mode === 'test' ? 'a test is already running' : `mode is ${d.mode}: set mode auto first`);
      if (ctx.position !== P || ctx.avail[P] !== 'available') return no(`the load must be on the healthy preferred source ${P}`);
      if (!(c.durationMs > 0)) return no('durationMs must be above 0');
      d.mode = 'test';
      d.test = { onLoad: c.onLoad, endsAtMs: ctx.nowMs + c.durationMs };
      events.push({ type: 'mode', mode: 'test' });
      return ok;
    }
    case 'stopTest': {
      if (!d.test) return no('no test is running');
      endTest(d, cfg, ctx);
      events.push({ type: 'mode', mode: 'auto' });
      return ok;
    }
    case 'approveRetransfer': {
      if (d.mode !== 'auto') return no(`mode is ${d.mode}`);
      if (ctx.position !== other(P) || ctx.avail[P] !== 'available') return no('no retransfer is pending');
      d.approved = true;
      return ok;
    }
    case 'resetLockout': {
      const genFailed = d.generator.kind === 'failed';
      if (d.transfer.kind !== 'lockout' && !genFailed) return no('not locked out');
      if (d.transfer.kind === 'lockout') {
        const r = resetLockout(d.transfer, ctx.feedback, ctx.nowMs);
        if (r.refused) return no(r.refused);
        d.transfer = r.state;
        events.push({ type: 'lockout', active: false, reason: 'reset by operator' });
      }
      if (genFailed) d.generator = GEN_STOPPED;
      return ok;
    }
    case 'ackAlarms':
      return ok;
    case 'selectUplink':
    case 'releaseUplink':
      return no('handled by the uplink controller');
  }
}

/** Ends a test: back to auto; an on-load test returns the load to the preferred feed at once. */
export function endTest(d: Draft, cfg: Config, ctx: CommandContext): void {
  d.test = null;
  d.mode = 'auto';
  d.autoSinceMs = ctx.nowMs;
  d.testReturn = ctx.position === other(cfg.power.preferred) || d.transfer.kind !== 'closed';
}

export interface CommandsResult {
  readonly ack: boolean;
  /** Uplink commands, passed on to the uplink controller with their origin. */
  readonly uplink: readonly Request[];
}

export function applyCommands(cfg: Config, d: Draft, requests: readonly Request[], ctx: CommandContext, events: ControllerEvent[]): CommandsResult {
  let ack = false;
  const uplink: Request[] = [];
  for (const r of requests) {
    if (r.command.name === 'selectUplink' || r.command.name === 'releaseUplink') {
      uplink.push(r);
      continue;
    }
    const at = events.length;
    const v = apply(cfg, d, r.command, ctx, events);
    if (v.accepted && r.command.name === 'ackAlarms') ack = true;
    const ev: ControllerEvent = { type: 'command', name: r.command.name, accepted: v.accepted };
    if (!v.accepted) ev.reason = v.reason;
    if (r.origin !== undefined) ev.origin = r.origin;
    events.splice(at, 0, ev);
  }
  return { ack, uplink };
}

export type { Draft };
