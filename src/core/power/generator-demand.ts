// When the generator must run: a test, the load on (or heading to) the generator feed, or the
// preferred feed failed, by measurement or by evidence. Then the generator machine steps on it.
import type { PowerConfig } from '../../config/schema.js';
import type { EngineReport } from '../genset-engine.js';
import type { ControllerEvent, FeedId } from '../types.js';
import { generatorDeadline, stepGenerator, type GeneratorState } from './generator.js';
import type { Availability } from './source.js';
import type { PowerState } from './state.js';
import { position } from './transfer.js';

export interface GeneratorStep {
  readonly state: GeneratorState;
  readonly events: readonly ControllerEvent[];
  readonly deadlineMs: number | undefined;
}

/** `G`: the generator feed; `inUseDead`: the feed in use is dead by evidence; `engine`: what its controller reports. */
export function runGenerator(
  pc: PowerConfig,
  s: PowerState,
  G: FeedId,
  avail: Readonly<Record<FeedId, Availability>>,
  inUseDead: boolean,
  engine: EngineReport,
  nowMs: number,
): GeneratorStep {
  const t = s.transfer;
  const heading = (t.kind === 'opening' || t.kind === 'neutral' || t.kind === 'closing') && t.to === G;
  const demand = s.test !== null || position(t) === G || heading || avail[pc.preferred] === 'failed' || inUseDead;
  const h = s.feeds[G];
  // The controller's word on its engine wins; without it (unmapped or stale) the voltage tells, as always.
  const up = engine.running ?? (!h.commLost && (h.healthy || h.pendingReason === 'ok'));
  const g = stepGenerator(s.generator, demand, up, pc, nowMs, engine.failToStart);
  return { state: g.state, events: g.events, deadlineMs: generatorDeadline(g.state, pc) };
}
