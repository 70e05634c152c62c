// The scenario runner: controller + simulated cabinet in virtual time. The clock jumps straight to the
// next deadline (controller timer, plant change, scenario step or expectation), so a month runs in seconds.
import { deepMerge, validateConfig } from '../src/config/load.js';
import type { Config } from '../src/config/schema.js';
import { initialState, step } from '../src/core/controller.js';
import type { ControllerState } from '../src/core/state.js';
import { statusOf } from '../src/core/status.js';
import type { Command, ControllerEvent, Request, Status } from '../src/core/types.js';
import { mismatch, getPath } from './match.js';
import { createSimCabinet, type SimCabinet } from './plant/cabinet.js';
import type { Expectation, Scenario } from './scenario.js';

const NO_REQUESTS: readonly Request[] = Object.freeze([]);

export type TimedEvent = { t: number; type: string } & Record<string, unknown>;

export interface RunResult {
  readonly name: string;
  readonly events: readonly TimedEvent[];
  readonly summary: Record<string, unknown>;
  readonly ok: boolean;
  readonly finalStatus: Status;
  readonly scans: number;
}

export interface RunOptions {
  /** Raw base config (from --config), merged under the scenario's own `config:`. */
  readonly baseConfig?: unknown;
  readonly seed?: number;
  /** Called for each event as it happens (streaming output). */
  readonly onEvent?: (e: TimedEvent) => void;
  /** Keep events in the result (default true; the long-run bench turns it off). */
  readonly keepEvents?: boolean;
  /**
   * Let clean probe rounds wait for the next scan instead of waking at each one (default true). Same
   * events either way; `false` scans at every round and answer, as the runner did at first (tests).
   */
  readonly lazyProbes?: boolean;
  /** Called with the controller's state after every scan (the persistence bench counts writes). */
  readonly onState?: (state: ControllerState, nowMs: number) => void;
  /** Called for each controller event with its wall-clock time (`twinfeed sim --journal`). */
  readonly onControllerEvent?: (e: ControllerEvent, atMs: number) => void;
  /** Called after every scan with the published status (plotted scenarios, `--html`). */
  readonly onStatus?: (t: number, status: Status) => void;
}

export function scenarioConfig(s: Scenario, baseConfig: unknown): Config {
  return validateConfig(deepMerge(baseConfig ?? {}, s.config ?? {}), `${s.name}: config`);
}

/** The longest clean probe results wait for a scan in lazy mode (virtual time): 10 min of rounds. */
export const LAZY_DRAIN_MS = 600_000;

export function runScenario(s: Scenario, opts: RunOptions = {}): RunResult {
  const cfg = scenarioConfig(s, opts.baseConfig);
  const epoch = Date.parse(s.start);
  const seed = opts.seed ?? s.seed;
  const plant = createSimCabinet(cfg, seed, epoch);
  const keep = opts.keepEvents ?? true;
  const lazyProbes = opts.lazyProbes ?? true;
  const all: TimedEvent[] = [];
  const alarmsRaised = new Set<string>();
  const emit = (e: TimedEvent) => {
    if (e.type === 'alarm' && e.active === true) alarmsRaised.add(String(e.code));
    if (keep) all.push(e);
    opts.onEvent?.(e);
  };
  const steps = s.steps.map((st, i) => ({ ...st, i })).sort((a, b) => a.at - b.at || a.i - b.i);
  const statusChecks = s.expect
    .map((e, index) => ({ e, index }))
    .filter((x): x is { e: Extract<Expectation, { status: unknown }>; index: number } => 'status' in x.e)
    .sort((a, b) => a.e.at - b.e.at);
  const results: { index: number; ok: boolean; detail: string; t: number }[] = [];
  let state: ControllerState = initialState(cfg, epoch);
  let t = 0;
  let si = 0;
  let ci = 0;
  let scans = 0;
  for (;;) {
    let requests: Request[] | undefined;
    while (si < steps.length && (steps[si]?.at ?? Infinity) <= t) {
      const st = steps[si++] as (typeof steps)[number];
      for (const [knob, value] of Object.entries(st.set ?? {})) {
        const err = plant.set(knob, value, epoch + t);
        if (err) throw new Error(`steps[${st.i}].set.${knob}: ${err}`);
        emit({ t, type: 'plant', knob, value });
      }
      if (st.command) (requests ??= []).push({ command: st.command as Command, origin: 'scenario' });
    }
    const now = epoch + t;
    const r = step(cfg, state, { nowMs: now, inputs: plant.read(now), probes: plant.takeProbes(now) }, requests ?? NO_REQUESTS);
    scans++;
    state = r.state;
    plant.write(r.outputs, now);
    opts.onState?.(state, now);
    for (const e of r.events) {
      opts.onControllerEvent?.(e, now);
      emit({ t, ...(e as ControllerEvent) });
    }
    opts.onStatus?.(t, statusOf(cfg, state, now));
    while (ci < statusChecks.length && (statusChecks[ci]?.e.at ?? Infinity) <= t) {
      const { e, index } = statusChecks[ci++] as (typeof statusChecks)[number];
      const st = statusOf(cfg, state, now);
      const bad = Object.entries(e.status)
        .map(([k, v]) => [k, mismatch(v, getPath(st, k))] as const)
        .filter(([, m]) => m !== null);
      const detail = bad.length ? bad.map(([k, m]) => `status ${k} at ${e.at} ms: ${m}`).join('; ') : `status at ${e.at} ms as expected`;
      results.push({ index, ok: bad.length === 0, detail, t });
    }
    if (t >= s.duration) break;
    let next = s.duration;
    const consider = (c: number | undefined) => {
      if (c !== undefined && c > t && c < next) next = c;
    };
    // While every uplink is up and the plant's rounds are all clean, their results may wait for the next
    // scan (each stamped with its round's time): neither the plant nor the prober watch needs a wake-up.
    // Only while nothing else could change unseen: no output changed in this scan (its effect on the
    // plant shows at the next one) and the power plant holds still between its deadlines.
    const lazy = lazyProbes && r.probesBatchable === true && !changedOutputs(r.events) && plant.quiescent() && plant.probesSteady(now);
    const cd = lazy ? r.steadyDeadlineMs : r.nextDeadlineMs;
    if (cd !== undefined) consider(cd - epoch);
    const pd = plant.nextDeadlineMs(now, lazy);
    if (pd !== undefined) consider(pd - epoch);
    consider(steps[si]?.at);
    consider(statusChecks[ci]?.e.at);
    if (lazy) {
      // Bounded memory: waiting results are delivered at least every LAZY_DRAIN_MS, not after a whole
      // quiet day (a day of clean rounds is some 260 000 results held at once).
      consider(t + LAZY_DRAIN_MS);
      // Deliver the waiting results first, at the last time per-round wake-ups would have, so that what
      // happens at `next` meets the core as it would have been then.
      const c = plant.lastProbeDoneBeforeMs(now, epoch + next);
      if (c !== undefined) consider(c - epoch);
    }
    plant.advance(epoch + next);
    t = next;
  }
  return finish(s, cfg, plant, state, all, results, alarmsRaised, scans, emit, keep);
}

function changedOutputs(events: readonly ControllerEvent[]): boolean {
  for (const e of events) if (e.type === 'output') return true;
  return false;
}

function finish(
  s: Scenario,
  cfg: Config,
  plant: SimCabinet,
  state: ControllerState,
  all: TimedEvent[],
  statusResults: { index: number; ok: boolean; detail: string; t: number }[],
  alarmsRaised: Set<string>,
  scans: number,
  emit: (e: TimedEvent) => void,
  keep: boolean,
): RunResult {
  const end = s.duration;
  const base = { durationMs: end, ...plant.summary(Date.parse(s.start) + end), alarms: [...alarmsRaised] };
  const results = [...statusResults];
  s.expect.forEach((e, index) => {
    if ('event' in e) {
      const [from, to] = e.between ?? [-Infinity, Infinity];
      const n = all.filter((x) => x.type === e.event && x.t >= from && x.t <= to && (e.with === undefined || mismatch(e.with, x) === null)).length;
      const ok = e.count === undefined ? n > 0 : n === e.count;
      const what = `${e.event}${e.with ? ' ' + JSON.stringify(e.with) : ''}${e.between ? ` between ${from} and ${to} ms` : ''}`;
      results.push({ index, ok, detail: `${what}: ${n} seen, expected ${e.count ?? 'at least 1'}`, t: end });
    } else if ('summary' in e) {
      const m = mismatch(e.summary, base);
      results.push({ index, ok: m === null, detail: m ? `summary ${m}` : 'summary as expected', t: end });
    }
  });
  if (!keep && s.expect.some((e) => 'event' in e)) throw new Error('event expectations need keepEvents');
  results.sort((a, b) => a.index - b.index);
  for (const r of results) emit({ t: r.t, type: 'expect', index: r.index, ok: r.ok, detail: r.detail });
  const expectFailures = results.filter((r) => !r.ok).length;
  const summary = { ...base, expectFailures };
  emit({ t: end, type: 'summary', ...summary });
  return { name: s.name, events: all, summary, ok: expectFailures === 0, finalStatus: statusOf(cfg, state, Date.parse(s.start) + end), scans };
}
