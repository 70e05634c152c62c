// Generator: start on demand, running once its voltage is up, GEN_FAIL_TO_START after the 30 s timeout, 5 min cool-down.
import { describe, expect, it } from 'vitest';
import { GEN_STOPPED, generatorDeadline, startOutput, stepGenerator, type GeneratorState } from '../../src/core/power/generator.js';
import { runScenario } from '../../sim/runner.js';
import { parseScenario } from '../../sim/scenario.js';
import { DEFAULTS } from './fixtures.js';

const pc = DEFAULTS.power;
const gen = (kind: GeneratorState['kind'], sinceMs: number): GeneratorState => ({ kind, sinceMs });

describe('generator state machine', () => {
  it('stopped + demand → starting (start output on), events say so', () => {
    const r = stepGenerator(GEN_STOPPED, true, false, pc, 1000);
    expect(r.state).toEqual({ kind: 'starting', sinceMs: 1000 });
    expect(r.events).toEqual([{ type: 'generator', state: 'starting' }]);
    expect(startOutput(r.state)).toBe(true);
    expect(startOutput(GEN_STOPPED)).toBe(false);
  });
  it('starting → running once the voltage is up', () => {
    expect(stepGenerator(gen('starting', 0), true, true, pc, 8000).state).toEqual({ kind: 'running', sinceMs: 8000 });
  });
  it('starting for 29.999 s → still starting; 30 s → failed (start output off)', () => {
    expect(stepGenerator(gen('starting', 0), true, false, pc, 29_999).state.kind).toBe('starting');
    const r = stepGenerator(gen('starting', 0), true, false, pc, 30_000);
    expect(r.state.kind).toBe('failed');
    expect(startOutput(r.state)).toBe(false);
    expect(generatorDeadline(gen('starting', 0), pc)).toBe(30_000);
  });
  it('starting without demand → stopped', () => {
    expect(stepGenerator(gen('starting', 0), false, false, pc, 1000).state.kind).toBe('stopped');
  });
  it('running → cooldown when the demand ends; cooldown keeps the start output on', () => {
    const r = stepGenerator(gen('running', 0), false, true, pc, 100_000);
    expect(r.state).toEqual({ kind: 'cooldown', sinceMs: 100_000 });
    expect(startOutput(r.state)).toBe(true);
  });
  it('cooldown lasts 5 min, then stopped', () => {
    expect(stepGenerator(gen('cooldown', 0), false, true, pc, 299_999).state.kind).toBe('cooldown');
    expect(stepGenerator(gen('cooldown', 0), false, true, pc, 300_000).state.kind).toBe('stopped');
    expect(generatorDeadline(gen('cooldown', 0), pc)).toBe(300_000);
  });
  it('a new demand during cooldown → running again', () => {
    expect(stepGenerator(gen('cooldown', 0), true, true, pc, 1000).state.kind).toBe('running');
  });
  it('failed stays failed while demanded and dead; demand gone → stopped; voltage up → running', () => {
    expect(stepGenerator(gen('failed', 0), true, false, pc, 1e9).state.kind).toBe('failed');
    expect(stepGenerator(gen('failed', 0), false, false, pc, 1e9).state.kind).toBe('stopped');
    expect(stepGenerator(gen('failed', 0), true, true, pc, 1e9).state.kind).toBe('running');
  });
});

describe('generator in the simulated cabinet', () => {
  const scenario = (y: Record<string, unknown>) => parseScenario({ name: 'gen', ...y }, 'test');

  it('fail to start: GEN_FAIL_TO_START alarm 30 s after the start at 13 s, no transfer', () => {
    const r = runScenario(scenario({ duration: '2m', steps: [{ at: '10s', set: { 'generator.failToStart': true, 'feed.A.voltage': 0 } }] }));
    const alarm = r.events.find((e) => e.type === 'alarm' && e.code === 'GEN_FAIL_TO_START' && e.active === true);
    expect(alarm?.t).toBe(43_000);
    expect(r.events.filter((e) => e.type === 'transfer.begin')).toEqual([]);
    expect(r.finalStatus.generator).toBe('failed');
  });

  it('cool-down: after the retransfer to A the generator runs 5 min more, then stops', () => {
    const r = runScenario(
      scenario({
        duration: '20m',
        steps: [
          { at: '10s', set: { 'feed.A.voltage': 0 } },
          { at: '1m', set: { 'feed.A.voltage': 230 } },
        ],
      }),
    );
    const gens = r.events.filter((e) => e.type === 'generator').map((e) => [e.state, e.t]);
    const cool = gens.find(([s]) => s === 'cooldown');
    const stop = gens.find(([s]) => s === 'stopped');
    expect(cool).toBeDefined();
    expect(stop).toBeDefined();
    expect((stop?.[1] as number) - (cool?.[1] as number)).toBe(300_000);
    const end = r.events.filter((e) => e.type === 'transfer.end').map((e) => e.to);
    expect(end).toEqual(['B', 'A']);
  });
});
