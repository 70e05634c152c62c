// The generator on the generator feed: start on demand, running once its voltage is up, cool-down
// run after the demand ends, GEN_FAIL_TO_START when it never comes up within the start timeout.
import type { PowerConfig } from '../../config/schema.js';
import type { ControllerEvent, FeedId, GeneratorStateName } from '../types.js';
import type { SourceHealth } from './source.js';

export interface GeneratorState {
  readonly kind: GeneratorStateName;
  readonly sinceMs: number;
}

export const GEN_STOPPED: GeneratorState = { kind: 'stopped', sinceMs: -Infinity };

/**
 * `voltageUp`: the generator is up — its genset controller says the engine runs or, where no controller
 * reports it, the feed's measurements are inside pickup limits right now. `failToStart`: the controller
 * itself reports a failed start, so there is no point in waiting out the start timeout.
 */
export function stepGenerator(
  g: GeneratorState,
  demand: boolean,
  voltageUp: boolean,
  cfg: PowerConfig,
  nowMs: number,
  failToStart = false,
): { state: GeneratorState; events: ControllerEvent[] } {
  const to = (kind: GeneratorStateName) => ({ state: { kind, sinceMs: nowMs }, events: [{ type: 'generator', state: kind } as ControllerEvent] });
  switch (g.kind) {
    case 'stopped':
      return demand ? to(voltageUp ? 'running' : 'starting') : { state: g, events: [] };
    case 'starting':
      if (!demand) return to('stopped');
      if (voltageUp) return to('running');
      if (failToStart || nowMs - g.sinceMs >= cfg.generator.startTimeoutMs) return to('failed');
      return { state: g, events: [] };
    case 'running':
      return demand ? { state: g, events: [] } : to('cooldown');
    case 'cooldown':
      if (demand) return to('running');
      if (nowMs - g.sinceMs >= cfg.generator.cooldownMs) return to('stopped');
      return { state: g, events: [] };
    case 'failed':
      // Someone got it running by hand: use it. Otherwise it stays failed until the demand goes or a reset.
      if (voltageUp && demand) return to('running');
      if (!demand) return to('stopped');
      return { state: g, events: [] };
  }
}

export const startOutput = (g: GeneratorState): boolean => g.kind === 'starting' || g.kind === 'running' || g.kind === 'cooldown';

export function generatorDeadline(g: GeneratorState, cfg: PowerConfig): number | undefined {
  if (g.kind === 'starting') return g.sinceMs + cfg.generator.startTimeoutMs;
  if (g.kind === 'cooldown') return g.sinceMs + cfg.generator.cooldownMs;
  return undefined;
}

/** The generator on feed `g` failed after it had come up (not merely: not started yet). */
export function generatorDroppedOut(s: { readonly feeds: Readonly<Record<FeedId, SourceHealth>>; readonly generator: GeneratorState }, g: FeedId): boolean {
  const h = s.feeds[g];
  const up = s.generator.kind === 'running' || s.generator.kind === 'cooldown';
  return up && !h.commLost && !h.healthy && h.sinceMs >= s.generator.sinceMs;
}
