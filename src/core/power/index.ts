// The power sub-machine (pure): feeds, operator commands, test run, evidence, anti-hunting, policy
// and transfer machine, generator and manual revert, folded into one step. It returns the breaker
// and generator outputs it wants (the controller gates them), its events, deadline and verdicts.
import type { Config } from '../../config/schema.js';
import { joinEvents, NO_EVENTS, sooner } from '../part.js';
import { closedFbSignal, LOAD_LIVE } from '../signals.js';
import type { CommandVerdict, ControllerEvent, FeedId, Reading, Request, SignalName } from '../types.js';
import { stepAntiHunting } from './anti-hunting.js';
import { applyCommands } from './commands.js';
import { stepEvidence } from './evidence.js';
import { stepFeeds } from './feeds.js';
import { startOutput } from './generator.js';
import { runGenerator } from './generator-demand.js';
import { engineReport } from '../genset-engine.js';
import { drive } from './drive.js';
import { stepRevert } from './revert.js';
import { availability, type Availability } from './source.js';
import type { PowerState } from './state.js';
import { stepTest } from './test-run.js';
import { adoptPosition, commands, position, type Feedback } from './transfer.js';
import { positionReadable, positionUnknown } from './unknown-position.js';

export { initialPowerState, type PowerState } from './state.js';

export interface PowerInput {
  readonly nowMs: number;
  readonly inputs: ReadonlyMap<SignalName, Reading>;
  /** First scan: adopt the present readings and position at once (bumpless boot). */
  readonly boot: boolean;
  /** Evidence from outside power: the UPS, with fresh comm, is on battery. */
  readonly upsOnBattery: boolean;
  /** Power commands (and `ackAlarms`), in arrival order. */
  readonly requests: readonly Request[];
}

/** What power asks of the output image, before the interlock gate. */
export interface PowerOutputs {
  /** Undefined while the position is unknown (left as it is: nothing is driven blind). */
  readonly A: boolean | undefined;
  readonly B: boolean | undefined;
  /** `generator.start`; undefined without a generator feed. */
  readonly generatorStart: boolean | undefined;
}

export interface PowerStepResult {
  readonly state: PowerState;
  /** Source-health and boot-adoption events: the event stream has them before the UPS's events. */
  readonly senseEvents: readonly ControllerEvent[];
  /** The rest, in order: commands with their effects, test end, transfer, generator, manual revert. */
  readonly events: readonly ControllerEvent[];
  readonly outputs: PowerOutputs;
  /** Power's alarm facts beside its state, for the one alarm table (conditions.ts): feed availability, anti-hunting. */
  readonly avail: Readonly<Record<FeedId, Availability>>;
  readonly rateLimited: boolean;
  readonly deadlineMs: number | undefined;
  /** One per request, same order. */
  readonly verdicts: readonly CommandVerdict[];
  /** An `ackAlarms` was accepted (the alarm step acknowledges). */
  readonly ack: boolean;
}

const FB_SIGNAL = { A: closedFbSignal('A'), B: closedFbSignal('B') } as const;
const NO_VERDICTS: readonly CommandVerdict[] = Object.freeze([]);

/** Position feedback; the previous object while it reads the same (no change, no copy). */
function feedbackOf(inputs: ReadonlyMap<SignalName, Reading>, prev: Feedback): Feedback {
  const a = inputs.get(FB_SIGNAL.A)?.value;
  const b = inputs.get(FB_SIGNAL.B)?.value;
  const A = typeof a === 'boolean' ? a : null;
  const B = typeof b === 'boolean' ? b : null;
  return A === prev.A && B === prev.B ? prev : { A, B };
}

const generatorFeed = (cfg: Config): FeedId | null => (cfg.power.feeds.A.role === 'generator' ? 'A' : cfg.power.feeds.B.role === 'generator' ? 'B' : null);

export function stepPower(cfg: Config, prev: PowerState, input: PowerInput): PowerStepResult {
  const pc = cfg.power;
  const now = input.nowMs;
  // Source health first (adopted at once on the first scan, with the position: bumpless boot).
  const fb = feedbackOf(input.inputs, prev.feedback);
  const sensed = stepFeeds(pc, input.boot ? null : prev.feeds, input.inputs, now);
  let s: PowerState = sensed.feeds === prev.feeds && fb === prev.feedback ? prev : { ...prev, feeds: sensed.feeds, feedback: fb };
  let senseEvents = sensed.events;
  if (!s.positionKnown) {
    // Bumpless boot: the position is adopted from feedback, once the contacts can tell it (an I/O
    // module that does not answer yet leaves the breakers as they are: nothing is driven blind).
    if (!positionReadable(fb)) return positionUnknown(cfg, s, input, senseEvents, sensed.deadlineMs);
    const adopted = adoptPosition(fb, now);
    // A lockout remembered across a restart holds (unless feedback itself is contradictory): the
    // breakers feedback shows closed stay closed, nothing closes (src/core/memory.ts).
    const kept = prev.transfer.kind === 'lockout' && adopted.kind !== 'lockout' ? { ...prev.transfer, hold: { A: fb.A === true, B: fb.B === true } } : adopted;
    s = { ...s, transfer: kept, positionKnown: true };
    if (s.transfer.kind === 'lockout') senseEvents = joinEvents(senseEvents, [{ type: 'lockout', active: true, reason: s.transfer.detail }]);
  }
  const avail: Record<FeedId, Availability> = { A: availability(s.feeds.A), B: availability(s.feeds.B) };

  // Commands change wishes (mode, target, test) that the policy reads below; they judge the position
  // as the scan found it.
  const cmd = input.requests.length === 0 ? null : applyCommands(cfg, s, input.requests, { nowMs: now, avail, position: position(s.transfer), feedback: fb });
  if (cmd) s = cmd.state;
  const G = generatorFeed(cfg);
  const test = stepTest(cfg, s, avail, G, { nowMs: now, position: position(s.transfer) });
  s = test.state;
  // Evidence and anti-hunting are inputs of the policy, which drives the transfer machine.
  const x = position(s.transfer);
  const live = input.inputs.get(LOAD_LIVE);
  const ev = stepEvidence(pc, s.evidenceSinceMs, x, avail, input.upsOnBattery || live?.value === false, now);
  if (ev.sinceMs !== s.evidenceSinceMs) s = { ...s, evidenceSinceMs: ev.sinceMs };
  const ah = stepAntiHunting(pc, s.transferTimesMs, now);
  if (ah.timesMs !== s.transferTimesMs) s = { ...s, transferTimesMs: ah.timesMs };
  const dr = drive(pc, s, x, avail, ev.inUseDead, ah.rateLimited, now);
  s = dr.state;
  // The generator and the manual-mode revert follow where the machine now is.
  const gen = G ? runGenerator(pc, s, G, avail, ev.inUseDead, engineReport(input.inputs, pc.generator.engineStates), now) : null;
  if (gen && gen.state !== s.generator) s = { ...s, generator: gen.state };
  const rv = stepRevert(pc, s, avail, now);
  s = rv.state;

  let deadlineMs = sooner(now, sensed.deadlineMs, test.deadlineMs);
  deadlineMs = sooner(now, sooner(now, deadlineMs, ev.deadlineMs), ah.deadlineMs);
  deadlineMs = sooner(now, sooner(now, deadlineMs, dr.deadlineMs), gen?.deadlineMs);
  const close = commands(s.transfer);
  return {
    state: s,
    senseEvents,
    events: joinEvents(cmd?.events ?? NO_EVENTS, test.events, dr.events, gen?.events ?? NO_EVENTS, rv.events),
    outputs: { A: close.A, B: close.B, generatorStart: G ? startOutput(s.generator) : undefined },
    avail,
    rateLimited: ah.rateLimited,
    deadlineMs: sooner(now, deadlineMs, rv.deadlineMs),
    verdicts: cmd?.verdicts ?? NO_VERDICTS,
    ack: cmd?.ack ?? false,
  };
}
