// Property harness: random sequences of plant faults and operator commands run against the simulated
// cabinet + `step()`, and the safety/liveness/determinism checks. Shared by properties.test.ts and the bench.
import fc from 'fast-check';
import { validateConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { initialState, step } from '../../src/core/controller.js';
import type { ControllerState } from '../../src/core/state.js';
import type { Command, ControllerEvent } from '../../src/core/types.js';
import { createSimCabinet } from '../../sim/plant/cabinet.js';
import { switchLive } from '../../sim/plant/power.js';

type Feed = 'A' | 'B';

/** One thing that happens at a virtual time (ms from the start). */
export type Action =
  | { readonly atMs: number; readonly kind: 'knob'; readonly knob: string; readonly value: number | boolean | string }
  /** The contactor welds: it stays closed whatever its coil says (a no-op unless it is closed right now). */
  | { readonly atMs: number; readonly kind: 'weld'; readonly breaker: Feed }
  /** The aux contact lies; `stuckOpen` is a no-op on a welded contactor (see `applyAction`). */
  | { readonly atMs: number; readonly kind: 'feedback'; readonly breaker: Feed; readonly fault: 'ok' | 'stuckOpen' | 'stuckClosed' }
  | { readonly atMs: number; readonly kind: 'command'; readonly command: Command };

export interface Sequence {
  readonly actions: readonly Action[];
  /** Virtual run length; long enough after the last action for any transfer begun to finish. */
  readonly durationMs: number;
}

export type TimedEvent = { readonly t: number } & ControllerEvent;

export interface Outcome {
  readonly events: readonly TimedEvent[];
  readonly summary: Record<string, unknown>;
  /** Scans in which the written image had both close commands on (must stay empty). */
  readonly bothClosedImages: readonly number[];
  readonly scans: number;
  /** The plant at the end: which contactors are closed and whether the switch output is live. */
  readonly final: { readonly closed: Readonly<Record<Feed, boolean>>; readonly live: boolean };
}

/**
 * The config the properties run with: defaults, uplink control off (nothing to probe, so the clock
 * jumps from deadline to deadline) and short retransfer / cool-down / anti-hunting timers so that
 * retransfers, tests and rate limiting happen inside short sequences.
 */
export const PROPERTY_CONFIG: Config = validateConfig(
  {
    uplinks: { enabled: false },
    power: {
      retransfer: { delayMs: '8s' },
      generator: { cooldownMs: '10s', startTimeoutMs: '12s' },
      antiHunting: { maxTransfers: 3, windowMs: '40s' },
      manualRevertMs: '6s',
    },
  },
  'property config',
);

/** The longest a transfer may take from `transfer.begin` to its end, fail or lockout. */
export const transferBudgetMs = (cfg: Config, slackMs = 50): number => cfg.power.transfer.neutralDelayMs + 2 * cfg.power.transfer.operateTimeoutMs + slackMs;

const feedArb = fc.constantFrom<Feed>('A', 'B');

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  feedArb.map((source): Command => ({ name: 'transferTo', source })),
  fc.constantFrom<'auto' | 'manual'>('auto', 'manual').map((mode): Command => ({ name: 'setMode', mode })),
  fc.record({ onLoad: fc.boolean(), durationMs: fc.integer({ min: 1000, max: 20_000 }) }).map((t): Command => ({ name: 'startTest', ...t })),
  fc.constant<Command>({ name: 'stopTest' }),
  fc.constant<Command>({ name: 'approveRetransfer' }),
  fc.constant<Command>({ name: 'resetLockout' }),
  fc.constant<Command>({ name: 'ackAlarms' }),
);

type Payload =
  | { kind: 'knob'; knob: string; value: number | boolean | string }
  | { kind: 'weld'; breaker: Feed }
  | { kind: 'feedback'; breaker: Feed; fault: 'ok' | 'stuckOpen' | 'stuckClosed' }
  | { kind: 'command'; command: Command };

const knob = (name: string, values: fc.Arbitrary<number | boolean | string>): fc.Arbitrary<Payload> =>
  values.map((value) => ({ kind: 'knob' as const, knob: name, value }));

const payloadArb: fc.Arbitrary<Payload> = fc.oneof(
  // Feed voltage: dead, deep sag, between dropout and pickup, nominal, over.
  { weight: 6, arbitrary: feedArb.chain((f) => knob(`feed.${f}.voltage`, fc.constantFrom(0, 120, 195, 230, 230, 270))) },
  { weight: 2, arbitrary: feedArb.chain((f) => knob(`feed.${f}.frequency`, fc.constantFrom(45, 48.5, 50, 50, 54))) },
  { weight: 1, arbitrary: knob('generator.failToStart', fc.boolean()) },
  { weight: 1, arbitrary: knob('generator.startMs', fc.constantFrom(0, 500, 3000, 8000)) },
  { weight: 2, arbitrary: feedArb.chain((f) => knob(`breaker.${f}.stuck`, fc.constantFrom('open', 'none', 'none'))) },
  { weight: 1, arbitrary: feedArb.map((breaker): Payload => ({ kind: 'weld', breaker })) },
  {
    weight: 2,
    arbitrary: fc
      .record({ breaker: feedArb, fault: fc.constantFrom<'ok' | 'stuckOpen' | 'stuckClosed'>('ok', 'ok', 'stuckOpen', 'stuckClosed') })
      .map((r): Payload => ({ kind: 'feedback', ...r })),
  },
  { weight: 2, arbitrary: feedArb.chain((f) => knob(`meter.${f}.comm`, fc.boolean())) },
  { weight: 1, arbitrary: knob('ups.comm', fc.boolean()) },
  { weight: 1, arbitrary: knob('ups.fault', fc.boolean()) },
  { weight: 1, arbitrary: knob('ups.chargePct', fc.integer({ min: 0, max: 100 })) },
  { weight: 1, arbitrary: fc.constantFrom('1', '2', '3').chain((id) => knob(`psu.${id}.ok`, fc.boolean())) },
  { weight: 5, arbitrary: commandArb.map((command): Payload => ({ kind: 'command', command })) },
);

export interface SequenceOptions {
  /** Actions per sequence. */
  readonly maxActions?: number;
  /** Actions happen within [0, spanMs]. */
  readonly spanMs?: number;
  /** Run this long after the last possible action. */
  readonly tailMs?: number;
}

/** Random sequences: up to `maxActions` faults/commands at random times (on a 10 ms grid) in `spanMs`. */
export function sequenceArb(o: SequenceOptions = {}): fc.Arbitrary<Sequence> {
  const maxActions = o.maxActions ?? 12;
  const spanMs = o.spanMs ?? 40_000;
  const tailMs = o.tailMs ?? 5_000;
  const timed = fc.record({ at: fc.integer({ min: 0, max: spanMs / 10 }), p: payloadArb }).map(({ at, p }): Action => ({ atMs: at * 10, ...p }));
  // Most runs start with a quick generator and lose feed A early, so transfers happen in short runs.
  const prelude = fc.record({
    startMs: fc.constantFrom(0, 500, 2000, 8000),
    aFailsAt: fc.option(fc.integer({ min: 0, max: spanMs / 20 }), { freq: 4 }),
  });
  return fc.tuple(prelude, fc.array(timed, { minLength: 1, maxLength: maxActions })).map(([pre, actions]) => {
    const first: Action[] = [{ atMs: 0, kind: 'knob', knob: 'generator.startMs', value: pre.startMs }];
    if (pre.aFailsAt !== null) first.push({ atMs: pre.aFailsAt * 10, kind: 'knob', knob: 'feed.A.voltage', value: 0 });
    // A stable sort keeps the prelude before random actions at the same time.
    return { actions: [...first, ...actions].sort((a, b) => a.atMs - b.atMs), durationMs: spanMs + tailMs };
  });
}

/** Applies one action to the plant, or returns the command it carries. */
function applyAction(plant: ReturnType<typeof createSimCabinet>, a: Action): Command | undefined {
  const b = (f: Feed) => plant.state.breakers[f];
  switch (a.kind) {
    case 'command':
      return a.command;
    case 'knob': {
      const err = plant.set(a.knob, a.value);
      if (err) throw new Error(`harness bug: knob ${a.knob}=${String(a.value)}: ${err}`);
      return undefined;
    }
    case 'weld':
      // Welding happens to closed contacts; a contactor whose aux contact already lies "open" is
      // not welded too (that double hidden fault is undetectable by any controller).
      if (b(a.breaker).closed && b(a.breaker).feedback !== 'stuckOpen') plant.set(`breaker.${a.breaker}.stuck`, 'closed');
      return undefined;
    case 'feedback':
      if (a.fault === 'stuckOpen' && b(a.breaker).stuck === 'closed') return undefined;
      plant.set(`breaker.${a.breaker}.feedback`, a.fault);
      return undefined;
  }
}

/** Runs a sequence on a fresh simulated cabinet, jumping the virtual clock from deadline to deadline. */
export function runSequence(seq: Sequence, cfg: Config = PROPERTY_CONFIG, startMs = Date.parse('2026-01-05T00:00:00Z')): Outcome {
  const plant = createSimCabinet(cfg, 1, startMs);
  let state: ControllerState = initialState(cfg, startMs);
  const events: TimedEvent[] = [];
  const bothClosedImages: number[] = [];
  let t = 0;
  let ai = 0;
  let scans = 0;
  for (;;) {
    const commands: Command[] = [];
    while (ai < seq.actions.length && (seq.actions[ai] as Action).atMs <= t) {
      const c = applyAction(plant, seq.actions[ai++] as Action);
      if (c) commands.push(c);
    }
    const now = startMs + t;
    const r = step(
      cfg,
      state,
      { nowMs: now, inputs: plant.read(now) },
      commands.map((command) => ({ command, origin: 'property' })),
    );
    scans++;
    state = r.state;
    if (r.outputs.get('breaker.A.closeCmd') === true && r.outputs.get('breaker.B.closeCmd') === true) bothClosedImages.push(t);
    plant.write(r.outputs, now);
    for (const e of r.events) events.push({ t, ...e });
    if (t >= seq.durationMs) break;
    if (scans > 200_000) throw new Error(`harness: more than 200000 scans at t=${t} ms (runaway deadlines?)`);
    let next = seq.durationMs;
    const plantNext = plant.nextDeadlineMs(now);
    for (const c of [r.nextDeadlineMs, plantNext]) if (c !== undefined && c - startMs > t && c - startMs < next) next = c - startMs;
    const nextAction = seq.actions[ai]?.atMs;
    if (nextAction !== undefined && nextAction > t && nextAction < next) next = nextAction;
    plant.advance(startMs + next);
    t = next;
  }
  const closed = { A: plant.state.breakers.A.closed, B: plant.state.breakers.B.closed };
  return { events, summary: plant.summary(startMs + seq.durationMs), bothClosedImages, scans, final: { closed, live: switchLive(plant.state, plant.params) } };
}

/** Every `transfer.begin` that ends (transfer.end), fails (transfer.fail) or locks out later than the budget, or never. */
export function lateTransfers(events: readonly TimedEvent[], budgetMs: number, durationMs: number): string[] {
  const out: string[] = [];
  events.forEach((e, i) => {
    if (e.type !== 'transfer.begin') return;
    if (e.t + budgetMs > durationMs) return; // too close to the end of the run to judge
    const done = events.slice(i + 1).find((x) => x.type === 'transfer.end' || x.type === 'transfer.fail' || (x.type === 'lockout' && x.active));
    if (!done) out.push(`transfer.begin at ${e.t} ms to ${e.to} never ended`);
    else if (done.t - e.t > budgetMs) out.push(`transfer.begin at ${e.t} ms to ${e.to}: ${done.type} only at ${done.t} ms (budget ${budgetMs} ms)`);
  });
  return out;
}

/** All safety and liveness problems of one run (empty = the properties hold). */
export function problemsOf(seq: Sequence, o: Outcome, cfg: Config = PROPERTY_CONFIG): string[] {
  const p: string[] = [];
  if (o.summary.interlockViolations !== 0) p.push(`plant saw both feeds on the load ${String(o.summary.interlockViolations)} time(s)`);
  if (o.bothClosedImages.length > 0) p.push(`output image closed both breakers at t=${o.bothClosedImages.join(', ')} ms`);
  p.push(...lateTransfers(o.events, transferBudgetMs(cfg), seq.durationMs));
  return p;
}

export interface PropertyRunOptions {
  readonly numRuns: number;
  readonly seed?: number;
  readonly sequence?: SequenceOptions;
  readonly cfg?: Config;
  /** Also run each sequence twice and compare (doubles the cost). */
  readonly determinism?: boolean;
}

/** The combined property, for the bench: safety + liveness (+ determinism) over `numRuns` sequences. */
export function runProperties(o: PropertyRunOptions): fc.RunDetails<[Sequence]> {
  const cfg = o.cfg ?? PROPERTY_CONFIG;
  return fc.check(
    fc.property(sequenceArb(o.sequence), (seq) => {
      const a = runSequence(seq, cfg);
      const problems = problemsOf(seq, a, cfg);
      if (o.determinism) {
        const b = runSequence(seq, cfg);
        if (JSON.stringify(a.events) !== JSON.stringify(b.events) || JSON.stringify(a.summary) !== JSON.stringify(b.summary))
          problems.push('two runs of the same sequence differ');
      }
      if (problems.length > 0) throw new Error(problems.join('\n'));
    }),
    { numRuns: o.numRuns, ...(o.seed !== undefined ? { seed: o.seed } : {}) },
  );
}

/** Every fault repaired at `atMs`, then (1 s later) the operator sets auto and resets any lockout. */
export function healActions(atMs: number): Action[] {
  const knobs: [string, number | boolean | string][] = [
    ['feed.A.voltage', 230],
    ['feed.B.voltage', 230],
    ['feed.A.frequency', 50],
    ['feed.B.frequency', 50],
    ['generator.failToStart', false],
    ['breaker.A.stuck', 'none'],
    ['breaker.B.stuck', 'none'],
    ['meter.A.comm', true],
    ['meter.B.comm', true],
    ['ups.comm', true],
    ['ups.fault', false],
  ];
  return [
    ...knobs.map(([knob, value]): Action => ({ atMs, kind: 'knob', knob, value })),
    { atMs, kind: 'feedback', breaker: 'A', fault: 'ok' },
    { atMs, kind: 'feedback', breaker: 'B', fault: 'ok' },
    { atMs: atMs + 1000, kind: 'command', command: { name: 'setMode', mode: 'auto' } },
    { atMs: atMs + 1000, kind: 'command', command: { name: 'resetLockout' } },
  ];
}
