// `twinfeed journal`: the lines `npm start` prints (or JSON lines), filters, a torn record reported on
// stderr and skipped, --follow seeing what is appended, and usage errors with exit 2.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEvent } from '../../src/runtime/format.js';
import { openJournal } from '../../src/runtime/journal/writer.js';
import { LIMITS } from '../runtime/journal/helpers.js';
import { cli, ensureBuilt, files, MAIN, ROOT } from './cli-helpers.js';

beforeAll(() => ensureBuilt(), 300_000);

const T0 = Date.parse('2026-12-01T08:00:00Z');
const stateDir = join(files({ x: '' })['x'] as string, '..');

beforeAll(async () => {
  const j = openJournal({ dir: join(stateDir, 'journal'), limits: LIMITS });
  j.append('start', { version: '0.1.0', pid: 42, board: 'sim' }, T0, true);
  j.append('source', { source: 'A', available: false, reason: 'undervoltage' }, T0 + 3_000);
  j.append('transfer.begin', { from: 'A', to: 'B', reason: 'sourceFail' }, T0 + 15_000, true);
  j.append('transfer.end', { to: 'B', durationMs: 620 }, T0 + 15_620, true);
  j.append('command', { name: 'setMode', accepted: true, origin: 'http:127.0.0.1' }, T0 + 3_600_000);
  await j.close(5000);
});

describe('twinfeed journal', () => {
  it('prints each record as `npm start` prints an event, with its full date', async () => {
    const r = await cli(['journal', '--dir', stateDir]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toBe(`2026-12-01T08:00:15.000Z  ${describeEvent({ type: 'transfer.begin', from: 'A', to: 'B', reason: 'sourceFail' })}`);
    expect(lines[2]).toMatch(/transfer\.begin +from=A to=B reason=sourceFail$/);
  });

  it('--json gives the records as JSON lines; --type and --since/--until filter', async () => {
    const r = await cli([
      'journal',
      '--dir',
      join(stateDir, 'journal'),
      '--json',
      '--type',
      'transfer,command',
      '--since',
      '2026-12-01T08:00:10Z',
      '--until',
      '2026-12-01T08:30:00Z',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const recs = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(recs.map((x) => x.type)).toEqual(['transfer.begin', 'transfer.end']);
    expect(recs[1]).toMatchObject({ seq: 4, at: '2026-12-01T08:00:15.620Z', to: 'B', durationMs: 620 });
  });

  it('reports a torn record on stderr and prints everything else', async () => {
    const dir = join(files({ y: '' })['y'] as string, '..');
    const j = openJournal({ dir: join(dir, 'journal'), limits: LIMITS });
    j.append('start', {}, T0, true);
    j.append('stop', { signal: 'SIGTERM' }, T0 + 1, true);
    await j.close(5000);
    appendFileSync(join(dir, 'journal', '0000000001.jsonl'), '{"seq":3,"at":"2026-12-01T08:0');
    const r = await cli(['journal', '--dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/0000000001\.jsonl line 3: torn last record .*; skipped/);
  });

  it('--follow prints records appended after it started', async () => {
    const dir = join(files({ z: '' })['z'] as string, '..');
    const j = openJournal({ dir: join(dir, 'journal'), limits: LIMITS });
    j.append('start', {}, T0, true);
    await j.flush(5000);
    const child = spawn(process.execPath, [MAIN, 'journal', '--dir', dir, '--follow'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    const waitFor = async (re: RegExp) => {
      for (const deadline = Date.now() + 15_000; !re.test(out); await new Promise((r) => setTimeout(r, 50)))
        if (Date.now() > deadline) throw new Error(`no ${re} in ${out}`);
    };
    try {
      await waitFor(/start/);
      j.append('alarm', { code: 'UPS_ON_BATTERY', active: true, message: 'UPS is on battery' }, T0 + 5, true);
      await j.flush(5000);
      await waitFor(/alarm +code=UPS_ON_BATTERY active=true/);
    } finally {
      child.kill('SIGINT');
      await j.close(5000);
    }
    expect(await exited).toBe(0);
  });

  it.each([
    [['journal'], /journal needs --dir DIR/],
    [['journal', '--dir', '/tmp', '--since', 'yesterday'], /--since takes an ISO time .* got "yesterday"/],
    [['journal', '--dir', '/tmp', '--since', '2026-12-02', '--until', '2026-12-01'], /--since is after --until/],
    [['journal', '--dir', '/tmp', '--type', 'Transfer!'], /--type takes event types/],
    [['journal', '--dir', '/tmp', 'extra'], /journal takes no positional arguments/],
    [['journal', '--dir', '/tmp', '--folow'], /Unknown option '--folow'/],
  ])('usage error %j → exit 2 with the reason', async (args, re) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(re);
  });

  it('a directory that does not exist → exit 66 with its name', async () => {
    const r = await cli(['journal', '--dir', '/nonexistent/twinfeed']);
    expect(r.code).toBe(66);
    expect(r.stderr).toMatch(/no such directory: \/nonexistent\/twinfeed/);
  });
});
