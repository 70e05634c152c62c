// Journal figures: sustained appends per second with the scan's p99 beside the same run without the
// journal; bytes and fsyncs a day for an idle cabinet and for one outage an hour (the simulated
// cabinet in virtual time, the journal's timers driven by the same clock, real writes to disk); and
// restart to the first output image with a 1 GB journal present.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { ControllerEvent } from '../../src/core/types.js';
import { encodeRecord } from '../../src/runtime/journal/record.js';
import { segmentName } from '../../src/runtime/journal/segments.js';
import { openJournal, type Journal, type JournalTimers } from '../../src/runtime/journal/writer.js';
import { createScanLoop } from '../../src/runtime/scan.js';
import { createSimBoard } from '../../src/runtime/simboard.js';
import { runScenario } from '../../sim/runner.js';
import { parseScenario } from '../../sim/scenario.js';
import { PACKAGE_ROOT } from '../../src/runtime/run.js';

type Emit = (name: string, value: number, unit: string) => void;
const LIMITS = { segmentBytes: 16 * 1024 * 1024, maxBytes: 1024 * 1024 * 1024, queueRecords: 4096, commitMs: 1000 };
const URGENT = new Set(['transfer.begin', 'transfer.end', 'transfer.fail']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)] ?? NaN;

/** Scans every `periodMs` for `durationMs`, each scan also appending `perScan` records; scan time and lateness. */
async function scanRun(journal: Journal | undefined, perScan: number, durationMs: number) {
  const cfg = loadConfig(undefined).config;
  const board = createSimBoard(cfg, Date.now());
  const fields = { name: 'breaker.A.closeCmd', on: true, origin: 'bench' };
  const loop = createScanLoop({
    config: cfg,
    configHash: 'bench',
    board,
    onScan(events, pub) {
      if (!journal) return;
      for (const e of events) journal.append(e.type, e, pub.atMs, URGENT.has(e.type));
      for (let k = 0; k < perScan; k++) journal.append('output', fields, pub.atMs);
    },
  });
  const periodMs = 5;
  const scanUs: number[] = [];
  const lateMs: number[] = [];
  const t0 = performance.now();
  let due = t0;
  while (performance.now() - t0 < durationMs) {
    due += periodMs;
    await sleep(Math.max(0, due - performance.now()));
    const s = performance.now();
    lateMs.push(Math.max(0, s - due));
    loop.scanNow();
    scanUs.push((performance.now() - s) * 1000);
  }
  await board.close();
  return { scans: scanUs.length, scanP99Us: p99(scanUs), lateP99Ms: p99(lateMs), seconds: (performance.now() - t0) / 1000 };
}

async function throughput(emit: Emit): Promise<void> {
  // Each offered rate runs right after a run without the journal, so both see the same machine load.
  for (const perScan of [5, 50, 200]) {
    const rate = `${perScan * 200}`;
    const off = await scanRun(undefined, 0, 2500);
    const dir = mkdtempSync(join(tmpdir(), 'twinfeed-bench-journal-'));
    const j = openJournal({ dir: join(dir, 'journal'), limits: LIMITS });
    const on = await scanRun(j, perScan, 2500);
    const h0 = j.health();
    await j.close(30_000);
    emit(`journal.appends_per_s.offered_${rate}`, h0.written / on.seconds, 'records/s written');
    emit(`journal.dropped.offered_${rate}`, h0.dropped, 'records');
    emit(`journal.scan_p99.offered_${rate}.off`, off.scanP99Us, 'µs');
    emit(`journal.scan_p99.offered_${rate}.on`, on.scanP99Us, 'µs (the scan includes its appends)');
    emit(`journal.scan_lateness_p99.offered_${rate}.off`, off.lateP99Ms, 'ms');
    emit(`journal.scan_lateness_p99.offered_${rate}.on`, on.lateP99Ms, 'ms');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Timers in virtual time: the bench fires them as it advances the clock. */
function virtualTimers() {
  let now = 0;
  let nextId = 1;
  const q = new Map<number, { at: number; fn: () => void }>();
  const timers: JournalTimers = {
    set: (fn, ms) => (q.set(nextId, { at: now + ms, fn }), nextId++),
    clear: (h) => void q.delete(h as number),
  };
  const due = (t: number) => [...q.entries()].filter(([, v]) => v.at <= t).sort((a, b) => a[1].at - b[1].at)[0];
  return { timers, now: () => now, set: (t: number) => void (now = t), due, take: (id: number) => q.delete(id) };
}

const quiet = async (j: Journal) => {
  while (j.health().pending) await new Promise((r) => setImmediate(r));
};

/** The journal a simulated day of this scenario writes: bytes and fsyncs. */
async function simulatedDay(steps: { at: number; set: Record<string, number> }[]) {
  const DAY = 86_400_000;
  const s = parseScenario({ name: 'bench day', duration: DAY, steps }, 'bench');
  const events: { t: number; e: ControllerEvent }[] = [];
  runScenario(s, {
    keepEvents: false,
    onEvent: (te) => te.type !== 'plant' && te.type !== 'expect' && events.push({ t: te.t, e: te as unknown as ControllerEvent }),
  });
  const dir = mkdtempSync(join(tmpdir(), 'twinfeed-bench-journal-'));
  const v = virtualTimers();
  const j = openJournal({ dir: join(dir, 'journal'), limits: LIMITS, timers: v.timers, mono: v.now, clock: v.now });
  const advance = async (t: number) => {
    for (let d = v.due(t); d; d = v.due(t)) {
      v.set(Math.max(v.now(), d[1].at));
      v.take(d[0]);
      d[1].fn();
      await quiet(j);
    }
    v.set(t);
  };
  j.append('start', {}, 0, true);
  j.append('config', { hash: 'x' }, 0);
  await quiet(j);
  for (const { t, e } of events) {
    await advance(t);
    const { t: _t, ...rest } = e as ControllerEvent & { t?: number };
    j.append(rest.type, rest, t, URGENT.has(rest.type));
    await quiet(j);
  }
  await advance(DAY + 10_000);
  const h = j.health();
  await j.close(5000);
  rmSync(dir, { recursive: true, force: true });
  return { bytes: h.bytes, fsyncs: h.fsyncs, records: h.written };
}

async function perDay(emit: Emit): Promise<void> {
  const idle = await simulatedDay([]);
  emit('journal.idle.bytes_per_day', idle.bytes, 'bytes (all of it written by the start)');
  emit('journal.idle.records_per_day', idle.records, 'records');
  emit('journal.idle.fsyncs_per_hour', idle.fsyncs / 24, 'fsyncs/h');
  const steps = [];
  for (let h = 0; h < 24; h++) {
    steps.push({ at: h * 3_600_000 + 60_000, set: { 'feed.A.voltage': 0 } });
    steps.push({ at: h * 3_600_000 + 11 * 60_000, set: { 'feed.A.voltage': 230 } });
  }
  const busy = await simulatedDay(steps);
  emit('journal.outage_hourly.bytes_per_day', busy.bytes, 'bytes');
  emit('journal.outage_hourly.records_per_day', busy.records, 'records');
  emit('journal.outage_hourly.fsyncs_per_hour', busy.fsyncs / 24, 'fsyncs/h');
}

/** A 1 GiB journal made quickly: 63 sparse 16 MiB segments, and a newest one that ends in real records. */
function bigJournal(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const seg = 16 * 1024 * 1024;
  for (let n = 1; n <= 63; n++) {
    const fd = openSync(join(dir, segmentName(n)), 'w');
    ftruncateSync(fd, seg);
    closeSync(fd);
  }
  const fd = openSync(join(dir, segmentName(64)), 'w');
  ftruncateSync(fd, seg - 100_000);
  let text = '\n';
  for (let i = 1; i <= 400; i++)
    text += encodeRecord({ seq: i, at: new Date().toISOString(), mono: i, type: 'output' }, { name: 'generator.start', on: i % 2 === 0 }) + '\n';
  writeSync(fd, text, seg - 100_000);
  closeSync(fd);
}

async function firstImageMs(stateDir: string, port: number): Promise<{ imageMs: number; journalMs: number }> {
  const cfg = join(stateDir, 'c.yaml');
  writeFileSync(cfg, `runtime:\n  stateDir: ${stateDir}\nhttp:\n  port: ${port}\nscada:\n  enabled: false\nuplinks:\n  enabled: false\n`);
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js'), 'run', '--config', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  let imageMs = NaN;
  let journalMs = NaN;
  try {
    for (const deadline = t0 + 30_000; performance.now() < deadline && Number.isNaN(journalMs); await sleep(5)) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/status`);
        if (r.ok && Number.isNaN(imageMs)) imageMs = performance.now() - t0;
        const m = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        if (/twinfeed_journal_records_written_total [1-9]/.test(m)) journalMs = performance.now() - t0;
      } catch {
        // not listening yet
      }
    }
  } finally {
    child.kill('SIGTERM');
  }
  const code = await exited;
  if (code !== 0 || Number.isNaN(journalMs)) throw new Error(`twinfeed run exited ${code}: ${stderr}`);
  return { imageMs, journalMs };
}

async function restart(emit: Emit): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'twinfeed-bench-journal-'));
  const port = 30_000 + Math.floor(Math.random() * 20_000);
  try {
    const empty = join(base, 'empty');
    mkdirSync(empty);
    const big = join(base, 'big');
    bigJournal(join(big, 'journal'));
    await firstImageMs(empty, port); // warm-up (file cache)
    const e = await firstImageMs(empty, port);
    const b = await firstImageMs(big, port);
    emit('journal.restart.first_image_ms.empty', e.imageMs, 'ms from spawn to the first /status (after the first output image)');
    emit('journal.restart.first_image_ms.1GiB', b.imageMs, 'ms');
    emit('journal.restart.journal_ready_ms.empty', e.journalMs, 'ms from spawn until the start record is written');
    emit('journal.restart.journal_ready_ms.1GiB', b.journalMs, 'ms');
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

export async function bench(emit: Emit): Promise<void> {
  await throughput(emit);
  await perDay(emit);
  await restart(emit);
}
