// `twinfeed sim`, `check-config`, `schema` and usage errors, run as a user would: node dist/src/cli/main.js, exit codes and output.
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt, files } from './cli-helpers.js';

beforeAll(() => ensureBuilt(), 300_000);

const OUTAGE = `
name: short outage
duration: 40s
config: { uplinks: { enabled: false } }
steps:
  - at: 10s
    set: { feed.A.voltage: 0 }
expect:
  - event: transfer.end
    with: { to: B }
    between: [26s, 27s]
  - at: 30s
    status: { source: B, generator: running }
  - summary: { interlockViolations: 0, transfers: 1 }
`;

const FAILING = `
name: wrong expectation
duration: 20s
config: { uplinks: { enabled: false } }
expect:
  - at: 10s
    status: { source: B }
`;

const QUIET = `
name: quiet cabinet
duration: 5s
config: { uplinks: { enabled: false } }
expect:
  - event: transfer.begin
    count: 0
`;

const f = files({
  'outage.yaml': OUTAGE,
  'failing.yaml': FAILING,
  'quiet.yaml': QUIET,
  'unknown-knob.yaml': 'name: x\nduration: 1m\nsteps:\n  - at: 1s\n    set: { feed.C.voltage: 0 }\n',
  'unknown-event-field.yaml': 'name: x\nduration: 1m\nexpect:\n  - event: transfer.end\n    with: { colour: red }\n',
  'unknown-status-field.yaml': 'name: x\nduration: 1m\nexpect:\n  - at: 1s\n    status: { flux: 1 }\n',
  'bad-duration.yaml': 'name: x\nduration: soon\n',
  'bad-knob-value.yaml': 'name: x\nduration: 1m\nsteps:\n  - at: 1s\n    set: { breaker.A.stuck: sideways }\n',
  'unknown-command.yaml': 'name: x\nduration: 1m\nsteps:\n  - at: 1s\n    command: { name: selfDestruct }\n',
  'yaml-error.yaml': 'name: x\nduration: [1m\n',
  'unknown-alarm-code.yaml': 'name: x\nduration: 1m\nexpect:\n  - event: alarm\n    with: { code: SOURCE_A_FAILED }\n',
  'unknown-summary-field.yaml': 'name: x\nduration: 1m\nexpect:\n  - summary: { violations: 0 }\n',
  'yaml-error-config.yaml': 'http:\n  port: 1: 2\n',
  'good-config.yaml': 'http:\n  port: 9090\npower:\n  transfer:\n    neutralDelayMs: 2s\n',
  'bad-config.yaml': 'power:\n  transfer:\n    neutralDelay: 5\n  retransfer:\n    delayMs: soon\nscada:\n  port: 70000\n  writes:\n    allow: [10.0.0.0/33]\n',
  'slow-neutral.yaml': 'power:\n  transfer:\n    neutralDelayMs: 3s\n',
});
const p = (name: string) => f[name] as string;

const jsonLines = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
/** `path: problem (hint)` */
const ERROR_LINE = /^\s*[^\s:][^:]*: .+ \(.+\)$/;

describe('twinfeed sim: exit codes', () => {
  it('exits 0 when every expectation holds, and prints a human timeline with PASS lines', async () => {
    const r = await cli(['sim', p('outage.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/== short outage/);
    expect(r.stdout).toMatch(/PASS expect/);
    expect(r.stdout).not.toMatch(/FAIL expect/);
    expect(r.stdout).toMatch(/ok: short outage/);
  });

  it('exits 1 when an expectation fails, and says which', async () => {
    const r = await cli(['sim', p('failing.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL expect .*status source at 10000 ms: expected "B", got "A"/);
    expect(r.stdout).toMatch(/FAILED: wrong expectation/);
  });

  it('exits 1 when one of several scenarios fails', async () => {
    const r = await cli(['sim', p('outage.yaml'), p('failing.yaml')]);
    expect(r.code).toBe(1);
  });

  it.each([
    ['unknown-knob.yaml', /steps\[0\]\.set\.feed\.C\.voltage: unknown knob/],
    ['unknown-event-field.yaml', /expect\[0\]\.with\.colour: "transfer\.end" events have no field "colour"/],
    ['unknown-status-field.yaml', /expect\[0\]\.status\.flux: unknown status field/],
    ['bad-duration.yaml', /duration: not a duration: "soon"/],
    ['bad-knob-value.yaml', /steps\[0\]\.set\.breaker\.A\.stuck: bad value "sideways"/],
    ['unknown-command.yaml', /steps\[0\]\.command\.name/],
    ['yaml-error.yaml', /line \d+, column \d+/],
    ['unknown-alarm-code.yaml', /expect\[0\]\.with\.code: unknown alarm code "SOURCE_A_FAILED" \(did you mean "SOURCE_A_FAIL"\?\)/],
    ['unknown-summary-field.yaml', /expect\[0\]\.summary\.violations: unknown summary field/],
  ])('exits 78 for an invalid scenario (%s), stderr names the path', async (name, pattern) => {
    const r = await cli(['sim', p(name)]);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace
    expect(r.stdout).toBe('');
  });

  it('an invalid file among valid ones runs nothing (exit 78, empty stdout)', async () => {
    const r = await cli(['sim', '--json', p('outage.yaml'), p('unknown-knob.yaml')]);
    expect(r.code).toBe(78);
    expect(r.stdout).toBe('');
  });

  it('exits 78 for an invalid --config, naming the key', async () => {
    const r = await cli(['sim', p('quiet.yaml'), '--config', p('bad-config.yaml')]);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/power\.transfer\.neutralDelay: unknown key \(did you mean "neutralDelayMs"\?\)/);
  });

  it('exits 78 for a missing scenario file', async () => {
    const r = await cli(['sim', '/nonexistent/scenario.yaml']);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/cannot read file/);
  });
});

describe('usage errors exit 2', () => {
  it.each([
    ['sim with no files', ['sim']],
    ['a bad --seed', ['sim', '--seed', 'abc', 'x.yaml']],
    ['a fractional --seed', ['sim', '--seed', '1.5', 'x.yaml']],
    ['an unknown command', ['frobnicate']],
    ['an unknown option', ['sim', '--frob', 'x.yaml']],
    ['no command at all', []],
    ['check-config without a file', ['check-config']],
  ])('%s', async (_what, args) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/usage:/);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('--help prints usage on stdout and exits 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/twinfeed sim FILE/);
  });
});

describe('twinfeed sim --json', () => {
  it('prints only JSON lines on stdout, each with numeric t and a type; the last is the summary', async () => {
    const r = await cli(['sim', '--json', p('outage.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines.length).toBeGreaterThan(10);
    for (const l of lines) {
      expect(typeof l.t).toBe('number');
      expect(typeof l.type).toBe('string');
      expect(l).not.toHaveProperty('scenario');
    }
    const last = lines.at(-1);
    expect(last).toMatchObject({ type: 'summary', t: 40_000, interlockViolations: 0, transfers: 1, expectFailures: 0 });
    expect(lines.filter((l) => l.type === 'summary')).toHaveLength(1);
  });

  it('event lines carry the spec fields (transfer.begin from/to/reason, expect index/ok/detail)', async () => {
    const lines = jsonLines((await cli(['sim', '--json', p('outage.yaml')])).stdout);
    expect(lines).toContainEqual({ t: 26_000, type: 'transfer.begin', from: 'A', to: 'B', reason: 'sourceFail' });
    expect(lines.filter((l) => l.type === 'expect').map((l) => [l.index, l.ok])).toEqual([
      [0, true],
      [1, true],
      [2, true],
    ]);
    const times = lines.map((l) => l.t as number);
    expect(
      times.slice(
        0,
        lines.findIndex((l) => l.type === 'expect'),
      ),
    ).toEqual(
      [
        ...times.slice(
          0,
          lines.findIndex((l) => l.type === 'expect'),
        ),
      ].sort((a, b) => a - b),
    );
  });

  it('with several files every line carries `scenario`, and each scenario ends with its own summary', async () => {
    const r = await cli(['sim', '--json', p('outage.yaml'), p('quiet.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    const lines = jsonLines(r.stdout);
    for (const l of lines) expect(['short outage', 'quiet cabinet']).toContain(l.scenario);
    const summaries = lines.map((l, i) => [l.type, l.scenario, i] as const).filter(([type]) => type === 'summary');
    expect(summaries.map(([, s]) => s)).toEqual(['short outage', 'quiet cabinet']);
    expect(summaries.at(-1)?.[2]).toBe(lines.length - 1);
    const firstQuiet = lines.findIndex((l) => l.scenario === 'quiet cabinet');
    expect(summaries[0]?.[2]).toBe(firstQuiet - 1);
  });

  it('is deterministic: the same file and seed give the same bytes', async () => {
    const [a, b] = await Promise.all([cli(['sim', '--json', '--seed', '7', p('outage.yaml')]), cli(['sim', '--json', '--seed', '7', p('outage.yaml')])]);
    expect(a.stdout).toBe(b.stdout);
  });

  it('--config is merged under the scenario: a 3 s neutral delay moves the transfer end', async () => {
    const r = await cli(['sim', '--json', p('outage.yaml'), '--config', p('slow-neutral.yaml')]);
    // The expectation "transfer.end between 26 s and 27 s" now fails.
    expect(r.code).toBe(1);
    const end = jsonLines(r.stdout).find((l) => l.type === 'transfer.end');
    expect(end?.t as number).toBeGreaterThan(29_000);
  });
});

describe('twinfeed check-config', () => {
  it('exits 0 for a valid file', async () => {
    const r = await cli(['check-config', p('good-config.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/valid/);
  });

  it('exits 78 and prints every error as `path: problem (hint)`', async () => {
    const r = await cli(['check-config', p('bad-config.yaml')]);
    expect(r.code).toBe(78);
    const lines = r.stderr.split('\n').filter((l) => /^\s+\S/.test(l));
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(l).toMatch(ERROR_LINE);
    expect(r.stderr).toMatch(/power\.transfer\.neutralDelay: unknown key \(did you mean "neutralDelayMs"\?\)/);
    expect(r.stderr).toMatch(/power\.retransfer\.delayMs: not a duration/);
    expect(r.stderr).toMatch(/scada\.port: .*\(must be at most 65535\)/);
    expect(r.stderr).toMatch(/scada\.writes\.allow\[0\]: not a network/);
  });

  it('exits 78 with the line for a YAML syntax error', async () => {
    const r = await cli(['check-config', p('yaml-error-config.yaml')]);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/line 2, column 9: .* \(fix the YAML syntax\)/);
  });

  it('check-config --board boards/sim.yaml accepts the sim board', async () => {
    const r = await cli(['check-config', p('good-config.yaml'), '--board', 'boards/sim.yaml']);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('twinfeed schema', () => {
  it('prints the config JSON Schema (an object with properties.power) and exits 0', async () => {
    const r = await cli(['schema']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { type: string; properties: Record<string, unknown> };
    expect(s.type).toBe('object');
    expect(s.properties).toHaveProperty('power');
    expect(s.properties).toHaveProperty('scada');
  });
});
