// Property tests (fast-check) over random fault/command sequences in the simulated cabinet: no paralleling, transfers finish, determinism.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/runner.js';
import { parseScenario } from '../../sim/scenario.js';
import { healActions, lateTransfers, PROPERTY_CONFIG, runProperties, runSequence, sequenceArb, transferBudgetMs, type Sequence } from './property-harness.js';

// 4 000 + 4 000 + 1 500 + 1 000 + 500 = 11 000 sequences per `npm test` (each 45–105 s of virtual time).
const RUNS = { interlock: 4000, transfers: 4000, determinism: 1500, recovery: 1000, scenarios: 500 } as const;

const describeSeq = (s: Sequence) => JSON.stringify(s.actions);

describe('random fault and command sequences (simulated cabinet + step)', () => {
  it(`the plant never sees both feeds on the load and no output image closes both breakers (${RUNS.interlock} sequences)`, () => {
    fc.assert(
      fc.property(sequenceArb(), (seq) => {
        const o = runSequence(seq);
        expect(o.summary.interlockViolations, describeSeq(seq)).toBe(0);
        expect(o.bothClosedImages, describeSeq(seq)).toEqual([]);
      }),
      { numRuns: RUNS.interlock },
    );
  });

  it(`every transfer begun ends, fails or locks out within neutral delay + 2 × operate timeout + 50 ms (${RUNS.transfers} sequences)`, () => {
    const budget = transferBudgetMs(PROPERTY_CONFIG);
    expect(budget).toBe(2550);
    let begun = 0;
    fc.assert(
      fc.property(sequenceArb({ maxActions: 16 }), (seq) => {
        const o = runSequence(seq);
        begun += o.events.filter((e) => e.type === 'transfer.begin').length;
        expect(lateTransfers(o.events, budget, seq.durationMs), describeSeq(seq)).toEqual([]);
      }),
      { numRuns: RUNS.transfers },
    );
    // The generator must actually produce transfers, or this property proves nothing.
    expect(begun).toBeGreaterThan(RUNS.transfers / 4);
  });

  it(`the same sequence gives the same events and summary, bit for bit (${RUNS.determinism} sequences, each run twice)`, () => {
    fc.assert(
      fc.property(sequenceArb(), (seq) => {
        const a = runSequence(seq);
        const b = runSequence(seq);
        expect(b.events).toEqual(a.events);
        expect(b.summary).toEqual(a.summary);
      }),
      { numRuns: RUNS.determinism },
    );
  });

  it(`after every fault is repaired and the operator resets, the load is back on A within 60 s (${RUNS.recovery} sequences)`, () => {
    fc.assert(
      fc.property(sequenceArb({ maxActions: 16 }), (s) => {
        const seq: Sequence = { actions: [...s.actions, ...healActions(45_000)], durationMs: 105_000 };
        const o = runSequence(seq);
        expect(o.final, describeSeq(seq)).toEqual({ closed: { A: true, B: false }, live: true });
        expect(o.events.filter((e) => e.type === 'lockout').at(-1), describeSeq(seq)).not.toMatchObject({ active: true });
      }),
      { numRuns: RUNS.recovery },
    );
  });

  it('runProperties (the bench entry point) runs the combined property and reports no failure', () => {
    const r = runProperties({ numRuns: 50, seed: 1, determinism: true });
    expect(r.failed).toBe(false);
    expect(r.numRuns).toBe(50);
  });

  it('lateTransfers flags a transfer that never ends and one that ends late (the checker can fail)', () => {
    const begin = { t: 1000, type: 'transfer.begin', from: 'A', to: 'B', reason: 'sourceFail' } as const;
    expect(lateTransfers([begin], 2550, 60_000)).toEqual(['transfer.begin at 1000 ms to B never ended']);
    expect(lateTransfers([begin, { t: 4000, type: 'transfer.end', to: 'B', durationMs: 3000 }], 2550, 60_000)).toHaveLength(1);
    expect(lateTransfers([begin, { t: 3000, type: 'transfer.end', to: 'B', durationMs: 2000 }], 2550, 60_000)).toEqual([]);
  });
});

describe('generated scenario files through runScenario', () => {
  const knobStep = fc.record({
    at: fc.integer({ min: 0, max: 3000 }).map((x) => x * 10),
    set: fc.oneof(
      fc.record({ 'feed.A.voltage': fc.constantFrom(0, 150, 230) }),
      fc.record({ 'feed.B.voltage': fc.constantFrom(0, 230) }),
      fc.record({ 'breaker.A.stuck': fc.constantFrom('open', 'none') }),
      fc.record({ 'breaker.B.stuck': fc.constantFrom('open', 'none') }),
      fc.record({ 'meter.A.comm': fc.boolean() }),
      fc.record({ 'generator.startMs': fc.constantFrom(0, 1000, 8000) }),
    ),
  });
  const cmdStep = fc.record({
    at: fc.integer({ min: 0, max: 3000 }).map((x) => x * 10),
    command: fc.constantFrom(
      { name: 'resetLockout' },
      { name: 'ackAlarms' },
      { name: 'setMode', mode: 'manual' },
      { name: 'setMode', mode: 'auto' },
      { name: 'transferTo', source: 'B' },
      { name: 'approveRetransfer' },
    ),
  });

  it(`interlockViolations is 0 and two runs are identical (${RUNS.scenarios} scenarios)`, () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(knobStep, cmdStep), { maxLength: 10 }), (steps) => {
        const s = parseScenario(
          { name: 'generated', duration: '40s', config: { uplinks: { enabled: false } }, steps, expect: [{ summary: { interlockViolations: 0 } }] },
          'generated',
        );
        const a = runScenario(s);
        expect(a.ok, JSON.stringify(steps)).toBe(true);
        const b = runScenario(s);
        expect(b.events).toEqual(a.events);
      }),
      { numRuns: RUNS.scenarios },
    );
  });
});
