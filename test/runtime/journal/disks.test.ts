// The journal on real full and read-only filesystems (small tmpfs mounts; needs root), and a writer
// process killed with SIGKILL mid-stream: what reached the disk reads back whole up to the last
// complete record, a torn tail is reported and skipped, and a restarted writer carries on.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readJournal, type ReadProblem } from '../../../src/runtime/journal/reader.js';
import { openJournal } from '../../../src/runtime/journal/writer.js';
import { ensureBuilt, ROOT } from '../../cli/cli-helpers.js';
import { LIMITS, tempDir, until } from './helpers.js';

const T0 = Date.parse('2026-12-01T08:00:00Z');
const sh = (...args: string[]) => spawnSync(args[0] as string, args.slice(1), { encoding: 'utf8' });

/** Why tmpfs mounts cannot be made here, or undefined when they can. */
function cannotMount(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (mount needs CAP_SYS_ADMIN)';
  const probe = tempDir();
  const r = sh('mount', '-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe);
  if (r.status !== 0) return `mount -t tmpfs failed: ${r.stderr.trim()}`;
  sh('umount', probe);
  return undefined;
}
const missing = cannotMount();
const mustRun = Boolean(process.env.CI);
if (missing && !mustRun) console.warn(`journal tmpfs tests skipped: ${missing}`);

const mounts: string[] = [];
function tmpfs(opts: string): string {
  const dir = tempDir();
  const r = sh('mount', '-t', 'tmpfs', '-o', opts, 'tmpfs', dir);
  if (r.status !== 0) throw new Error(`mount: ${r.stderr}`);
  mounts.push(dir);
  return dir;
}
afterEach(() => {
  // Lazy: a test that failed may have left a file open there.
  for (const m of mounts.splice(0)) if (sh('umount', '-l', m).status === 0) rmdirSync(m);
});

describe.skipIf(missing !== undefined && !mustRun)('journal on real filesystems (tmpfs)', () => {
  it('a full disk (ENOSPC) raises the fault, drops beyond the queue and counts; more space recovers it', async () => {
    const state = tmpfs('size=64k');
    const j = openJournal({ dir: join(state, 'journal'), limits: { ...LIMITS, queueRecords: 64 }, retryMs: 30 });
    const pad = 'x'.repeat(400);
    // Append until the disk is full, giving the writer time between appends: on a loaded machine a
    // fixed count can all be dropped by the queue before enough of it reaches the disk to fill it.
    for (let i = 0, end = Date.now() + 8000; i < 5000 && Date.now() < end && j.health().fault === null; i++) {
      j.append('command', { name: 'ackAlarms', accepted: true, origin: pad }, T0 + i);
      await new Promise((r) => setTimeout(r, 1));
    }
    const h = await until(j, (x) => x.fault !== null, 'ENOSPC');
    expect(h.fault?.code).toBe('ENOSPC');
    for (let i = 0; i < 200; i++) j.append('command', { name: 'ackAlarms', accepted: true }, T0 + 1000 + i);
    expect(j.health().dropped).toBeGreaterThan(0);
    expect(sh('mount', '-o', 'remount,size=4m', state).status).toBe(0);
    await until(j, (x) => x.fault === null && x.queued === 0, 'recovery');
    const dropped = j.health().dropped;
    await j.close(5000);
    const problems: ReadProblem[] = [];
    const records = await readJournal(join(state, 'journal'), { onProblem: (p) => problems.push(p) });
    expect(records.filter((r) => r.type === 'journal.dropped').reduce((t, r) => t + (r.count as number), 0)).toBe(dropped);
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
    expect(problems.length).toBeLessThanOrEqual(1);
  });

  it('an idle journal on a disk that fills up (another file takes the space): ENOSPC from the probe, cleared when space is freed', async () => {
    const state = tmpfs('size=512k');
    const j = openJournal({ dir: join(state, 'journal'), limits: LIMITS, probeMs: 20 });
    j.append('start', {}, T0, true);
    await until(j, (x) => x.written === 1, 'first record');
    sh('dd', 'if=/dev/zero', `of=${join(state, 'filler')}`, 'bs=64k', 'count=100');
    expect((await until(j, (x) => x.fault !== null, 'ENOSPC')).fault?.code).toBe('ENOSPC');
    rmSync(join(state, 'filler'));
    await until(j, (x) => x.fault === null, 'recovery');
    await j.close(5000);
  });

  it('a read-only stateDir (root ignores chmod, so a read-only mount) is a fault, not an exception; read-write again recovers it', async () => {
    // (Remounting read-only while the journal holds a file open is refused by the kernel (EBUSY), unlike
    // an SD card's errors=remount-ro: EROFS mid-run is covered with the injected fs in writer.test.ts.)
    const state = tmpfs('ro,size=1m');
    const j = openJournal({ dir: join(state, 'journal'), limits: LIMITS, retryMs: 30 });
    j.append('start', {}, T0, true);
    expect((await until(j, (x) => x.fault !== null, 'EROFS')).fault?.code).toBe('EROFS');
    for (let i = 1; i <= 5; i++) j.append('ups', { onBattery: true }, T0 + i);
    expect(j.health()).toMatchObject({ queued: 6, written: 0 });
    expect(sh('mount', '-o', 'remount,rw', state).status).toBe(0);
    await until(j, (x) => x.fault === null && x.written === 6, 'recovery');
    await j.close(5000);
    expect((await readJournal(join(state, 'journal'))).map((r) => [r.seq, r.type])).toEqual([
      [1, 'start'],
      [2, 'ups'],
      [3, 'ups'],
      [4, 'ups'],
      [5, 'ups'],
      [6, 'ups'],
    ]);
  });
});

describe('journal writer killed with SIGKILL', () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it('reads back whole up to the last complete record; a torn tail is reported and skipped; a restart carries on', async () => {
    const state = tempDir();
    const dir = join(state, 'journal');
    const writer = join(ROOT, 'dist', 'src', 'runtime', 'journal', 'writer.js');
    const script = `
      const { openJournal } = await import(${JSON.stringify(writer)});
      const j = openJournal({ dir: ${JSON.stringify(dir)}, limits: { segmentBytes: 256 * 1024, maxBytes: 1 << 30, queueRecords: 4096, commitMs: 1000 } });
      let i = 0;
      const tick = () => { for (let k = 0; k < 50; k++) j.append('output', { name: 'breaker.A.closeCmd', on: ++i % 2 === 0, i }, Date.now(), k === 0); setTimeout(tick, 1); };
      tick();`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    const deadline = Date.now() + 20_000;
    const bytes = () => readdirSync(dir).reduce((t, f) => t + statSync(join(dir, f)).size, 0);
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      try {
        if (bytes() > 300 * 1024) break;
      } catch {
        // not created yet
      }
    }
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;
    // What a power cut adds to a kill: the last record only partly on disk.
    const segs = readdirSync(dir).sort();
    expect(segs.length).toBeGreaterThan(1);
    const last = join(dir, segs[segs.length - 1] as string);
    // The kill itself may have torn the last record (a write cut short); start from the last complete
    // line so that `before` is exact, then tear the record before it as a power cut would.
    const end = readFileSync(last).lastIndexOf(0x0a) + 1;
    truncateSync(last, end);
    const before = await readJournal(dir);
    truncateSync(last, end - 7);
    const problems: ReadProblem[] = [];
    const records = await readJournal(dir, { onProblem: (p) => problems.push(p) });
    expect(records.length).toBe(before.length - 1);
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
    expect(problems).toEqual([expect.objectContaining({ segment: segs[segs.length - 1], problem: expect.stringMatching(/torn/) })]);
    // A restart reports the torn tail, begins a new segment and numbers on.
    const j = openJournal({ dir, limits: LIMITS });
    j.append('start', {}, Date.now(), true);
    await j.close(5000);
    const after = await readJournal(dir);
    expect(after.slice(-2).map((r) => [r.seq, r.type])).toEqual([
      [records.length + 1, 'journal.torn'],
      [records.length + 2, 'start'],
    ]);
    expect(readFileSync(last, 'utf8').endsWith('\n')).toBe(false);
  });
});
