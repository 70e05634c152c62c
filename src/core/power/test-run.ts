// The generator test run: ends on time, or at once on a failure during the test. Ending returns to
// auto, and a test that left the load on the alternate feed brings it back to the preferred at once.
import type { Config } from '../../config/schema.js';
import { NO_EVENTS } from '../part.js';
import { other, type ControllerEvent, type FeedId } from '../types.js';
import { generatorDroppedOut } from './generator.js';
import type { Availability } from './source.js';
import type { PowerState } from './state.js';

/** The moment a test ends: the time and the position of the load as the controller believes it. */
export interface TestEndContext {
  readonly nowMs: number;
  readonly position: FeedId | 'none';
}

export function endTest(s: PowerState, cfg: Config, ctx: TestEndContext): PowerState {
  const testReturn = ctx.position === other(cfg.power.preferred) || s.transfer.kind !== 'closed';
  return { ...s, test: null, mode: 'auto', autoSinceMs: ctx.nowMs, testReturn };
}

export interface TestStep {
  readonly state: PowerState;
  readonly events: readonly ControllerEvent[];
  readonly deadlineMs: number | undefined;
}

/** `G`: the generator feed, if any. */
export function stepTest(cfg: Config, s: PowerState, avail: Readonly<Record<FeedId, Availability>>, G: FeedId | null, ctx: TestEndContext): TestStep {
  if (!s.test) return { state: s, events: NO_EVENTS, deadlineMs: undefined };
  const failure = avail[cfg.power.preferred] === 'failed' || s.generator.kind === 'failed' || (G !== null && generatorDroppedOut(s, G));
  if (failure || ctx.nowMs >= s.test.endsAtMs) return { state: endTest(s, cfg, ctx), events: [{ type: 'mode', mode: 'auto' }], deadlineMs: undefined };
  return { state: s, events: NO_EVENTS, deadlineMs: s.test.endsAtMs };
}
