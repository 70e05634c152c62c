// Before the position has been adopted: no breaker contact shows closed and one cannot be read (an I/O
// module not answering yet at boot). The breakers and the generator start are left as they are —
// nothing is driven blind — and only the readings and the commands that do not act on the position
// go on, until the contacts can tell where the load is.
import type { Config } from '../../config/schema.js';
import { stepAntiHunting } from './anti-hunting.js';
import { applyCommands } from './commands.js';
import type { PowerInput, PowerStepResult } from './index.js';
import { availability } from './source.js';
import type { PowerState } from './state.js';
import type { Feedback } from './transfer.js';
import type { ControllerEvent } from '../types.js';
import { NO_EVENTS } from '../part.js';

/** Feedback tells the position: a breaker shows closed, or both show open. */
export const positionReadable = (fb: Feedback): boolean => fb.A === true || fb.B === true || (fb.A === false && fb.B === false);

const LEAVE = { A: undefined, B: undefined, generatorStart: undefined } as const;

export function positionUnknown(
  cfg: Config,
  s: PowerState,
  input: PowerInput,
  senseEvents: readonly ControllerEvent[],
  senseDeadlineMs: number | undefined,
): PowerStepResult {
  const avail = { A: availability(s.feeds.A), B: availability(s.feeds.B) };
  const cmd = input.requests.length === 0 ? null : applyCommands(cfg, s, input.requests, { nowMs: input.nowMs, avail, position: 'none', feedback: s.feedback });
  return {
    state: cmd?.state ?? s,
    senseEvents,
    events: cmd?.events ?? NO_EVENTS,
    outputs: LEAVE,
    avail,
    rateLimited: stepAntiHunting(cfg.power, s.transferTimesMs, input.nowMs).rateLimited,
    // Feed timers (pickup, dropout) still run; the contacts are read every scan anyway.
    deadlineMs: senseDeadlineMs,
    verdicts: cmd?.verdicts ?? [],
    ack: cmd?.ack ?? false,
  };
}
