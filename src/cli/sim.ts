// `twinfeed sim FILE...`: runs scenario files in virtual time; a timeline for people, JSON lines for tools.
import { ConfigInvalid, formatError } from '../config/errors.js';
import { EX_CONFIG, EX_FAILED, EX_OK, EX_OSERR, EX_USAGE } from '../config/exit-codes.js';
import { readYamlFile } from '../config/yaml.js';
import { initialState } from '../core/controller.js';
import { statusOf } from '../core/status.js';
import { hasPath } from '../../sim/match.js';
import { createSimCabinet } from '../../sim/plant/cabinet.js';
import { runScenario, scenarioConfig, type TimedEvent } from '../../sim/runner.js';
import { checkNames, loadScenario, type Scenario } from '../../sim/scenario.js';
import { journalDirProblem, openSimJournal, type SimJournal } from './sim-journal.js';
import { writeFileSync } from 'node:fs';
import { createRecorder, renderHtml, type PlotInput } from './sim-html.js';

export interface SimArgs {
  files: string[];
  config?: string;
  json: boolean;
  seed?: number;
  /** A stateDir: the journal is written to <journal>/journal/ (see sim-journal.ts). */
  journal?: string;
  /** Write the plotted scenarios to this HTML file. */
  html?: string;
}

type Out = { out: (line: string) => void; err: (line: string) => void };

/** Loads and checks every scenario before running any: a bad file never half-runs a batch. */
export function prepare(files: string[], baseConfig: unknown): Scenario[] {
  const errors: string[] = [];
  const ok: Scenario[] = [];
  for (const f of files) {
    try {
      const s = loadScenario(f);
      const cfg = scenarioConfig(s, baseConfig);
      const plant = createSimCabinet(cfg, 1, 0);
      const status = statusOf(cfg, initialState(cfg, 0), 0);
      const errs = checkNames(s, {
        hasKnob: (k) => plant.hasKnob(k),
        knobError: (k, v) => plant.set(k, v),
        hasStatusPath: (p) => hasPath(status, p),
        uplinkIds: cfg.uplinks.links.map((l) => l.id),
      });
      if (errs.length) throw new ConfigInvalid(errs, f);
      ok.push(s);
    } catch (e) {
      if (e instanceof ConfigInvalid) errors.push(`${f}:\n` + e.errors.map((x) => '  ' + formatError(x)).join('\n'));
      else throw e;
    }
  }
  if (errors.length) throw new ConfigInvalid([], errors.join('\n'));
  return ok;
}

const fmtT = (t: number) => `${(t / 1000).toFixed(3).padStart(10)}s`;

function human(e: TimedEvent): string {
  const { t, type, ...rest } = e;
  const fields = Object.entries(rest)
    .filter(([k]) => k !== 'scenario')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const mark = type === 'expect' ? (rest.ok ? 'PASS ' : 'FAIL ') : '';
  return `${fmtT(t)}  ${mark}${type.padEnd(15)} ${fields}`;
}

/** Several scenarios share one journal as successive runs: each must start after the previous one ended. */
export function chainProblem(scenarios: readonly Scenario[]): string | undefined {
  for (let i = 1; i < scenarios.length; i++) {
    const prev = scenarios[i - 1] as Scenario;
    const cur = scenarios[i] as Scenario;
    const prevEnd = Date.parse(prev.start) + prev.duration;
    if (Date.parse(cur.start) < prevEnd)
      return `--journal with several files writes them one after another into one journal, so each must start after the previous one ends: "${cur.name}" starts ${cur.start}, before "${prev.name}" ends ${new Date(prevEnd).toISOString()} (set its start:, or give one file)`;
  }
  return undefined;
}

export async function runSim(args: SimArgs, io: Out): Promise<number> {
  let base: unknown = {};
  let scenarios: Scenario[];
  try {
    if (args.config) base = readYamlFile(args.config);
    scenarios = prepare(args.files, base);
  } catch (e) {
    if (!(e instanceof ConfigInvalid)) throw e;
    io.err(e.errors.length ? e.message : `invalid scenario:\n${e.source}`);
    io.err('fix the named keys (see README: Scenarios) and run again');
    return EX_CONFIG;
  }
  let journal: SimJournal | undefined;
  if (args.journal !== undefined) {
    const problem = chainProblem(scenarios) ?? (await journalDirProblem(args.journal));
    if (problem) {
      io.err(`twinfeed sim: ${problem}`);
      return EX_USAGE;
    }
    try {
      journal = openSimJournal(args.journal, scenarioConfig(scenarios[0] as Scenario, base).runtime.journal);
    } catch (e) {
      io.err(`twinfeed sim: cannot create ${args.journal}: ${(e as Error).message}`);
      return EX_OSERR;
    }
  }
  const code = runAll(scenarios, base, args, io, journal);
  if (!journal) return code;
  const h = await journal.close();
  if (h.fault || h.dropped > 0 || h.queued > 0) {
    io.err(
      `twinfeed sim: the journal in ${args.journal} is incomplete: ${h.written} records written, ${h.dropped + h.queued} not${h.fault ? ` (${h.fault.code}: ${h.fault.message})` : ''}`,
    );
    return EX_OSERR;
  }
  return code;
}

function runAll(scenarios: readonly Scenario[], base: unknown, args: SimArgs, io: Out, journal: SimJournal | undefined): number {
  const several = scenarios.length > 1;
  let failed = 0;
  const plots: PlotInput[] = [];
  for (const s of scenarios) {
    const rec = args.html !== undefined ? createRecorder() : undefined;
    if (!args.json) io.out(`== ${s.name}`);
    const onEvent = (e: TimedEvent) => {
      const line = several ? { ...e, scenario: s.name } : e;
      io.out(args.json ? JSON.stringify(line) : human(line));
    };
    const seed = args.seed ?? s.seed;
    const startMs = Date.parse(s.start);
    try {
      journal?.begin({ name: s.name, seed }, scenarioConfig(s, base), startMs);
      const r = runScenario(s, {
        baseConfig: base,
        seed,
        onEvent,
        ...(journal ? { onControllerEvent: (e, atMs) => journal.event(e, atMs) } : {}),
        ...(rec ? { onStatus: rec.onStatus } : {}),
      });
      journal?.end(startMs + s.duration);
      if (!r.ok) failed++;
      if (rec) plots.push({ name: s.name, ok: r.ok, durationMs: s.duration, samples: rec.samples, events: r.events });
      if (!args.json) io.out(r.ok ? `   ok: ${s.name}` : `   FAILED: ${s.name} (${String(r.summary.expectFailures)} expectation(s))`);
    } catch (e) {
      if (e instanceof ConfigInvalid) {
        io.err(e.message);
        return EX_CONFIG;
      }
      throw e;
    }
  }
  if (args.html !== undefined) {
    writeFileSync(args.html, renderHtml(plots));
    io.err(`wrote ${args.html} (${plots.length} scenario(s) plotted)`);
  }
  return failed > 0 ? EX_FAILED : EX_OK;
}
