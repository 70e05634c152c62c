// SCADA server benchmarks: throughput against the libmodbus reference (compare.sh), in-process and
// with 2 reader processes, and the reference against itself (the noise floor of one round); memory
// growth over 1 000 000 requests, and a 1 000 000-frame fuzz run.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { startScadaServer, type ScadaServer } from '../../src/scada/server.js';
import { freePort, published } from '../scada/fakes.js';
import { fuzzStream } from '../scada/fuzz-frames.js';
import { refBin } from './modbus-ref.js';

type Emit = (name: string, value: number, unit: string) => void;
const LOADS = '1:10 4:10 16:10 1:100 4:100 16:100';
const LOAD_SECONDS = 3;

/** The repo root: the nearest directory above `from` whose package.json is twinfeed's. */
function repoRoot(from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'twinfeed') return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ out: string; err: string; ok: boolean }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 << 20 }, (e, out, err) => resolve({ out, err, ok: !e }));
  });
}

async function startBenchServer(readerProcesses = 0): Promise<ScadaServer> {
  const p = published();
  const controller = { latest: () => p, submit: async () => ({ accepted: true }) };
  const port = readerProcesses > 0 ? await freePort() : 0;
  const config = {
    enabled: true,
    bind: '127.0.0.1',
    port,
    unitId: 1,
    writes: { allow: [] },
    maxConnections: 64,
    idleTimeoutMs: 60_000,
    selectTimeoutMs: 10_000,
    readerProcesses,
  };
  return startScadaServer({ config, controller, uplinkIds: ['fiber', 'lte'], logger: pino({ level: 'silent' }) });
}

interface LoadRun {
  rps: number;
  requests: number;
  errors: number;
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

/** compare.sh: interleaved reference/candidate runs per load, two rounds each; figures named `prefix.*`. */
async function throughput(emit: Emit, root: string, port: number, prefix = 'scada', unit = 'ours/libmodbus'): Promise<void> {
  const script = path.resolve(root, '../shared/bench/modbus/compare.sh');
  if (!existsSync(script)) {
    console.error(`scada bench: no reference benchmark at ${script}; throughput comparison skipped`);
    return emit('scada.reference_unavailable', 1, 'flag');
  }
  const loads = LOADS.split(' ');
  const r = await run('bash', [script, String(port), String(LOAD_SECONDS)], { COMPARE_LOADS: LOADS }, loads.length * 4 * (LOAD_SECONDS + 2) * 1000 + 30_000);
  if (!r.ok && !r.out.includes('rps_ratio')) {
    console.error(`scada bench: libmodbus reference unavailable (${r.err.trim().split('\n').pop() ?? ''}); throughput comparison skipped`);
    return emit('scada.reference_unavailable', 1, 'flag');
  }
  const runs = { reference: [] as LoadRun[], candidate: [] as LoadRun[] };
  for (const line of r.out.split('\n')) {
    const m = /^\{"server":"(reference|candidate)","run":(.*)\}$/.exec(line.trim());
    if (m?.[1] && m[2]) runs[m[1] as 'reference' | 'candidate'].push(JSON.parse(m[2]) as LoadRun);
  }
  const ratios: number[] = [];
  loads.forEach((load, i) => {
    const [clients, regs] = load.split(':');
    const pick = (xs: LoadRun[]) => [xs[2 * i], xs[2 * i + 1]].filter((x): x is LoadRun => x !== undefined);
    const ours = pick(runs.candidate);
    const ref = pick(runs.reference);
    const mean = (xs: LoadRun[]) => xs.reduce((a, x) => a + x.rps, 0) / Math.max(1, xs.length);
    const name = `${prefix}.fc3.${clients}clients.${regs}regs`;
    emit(`${name}.rps`, Math.round(mean(ours)), 'req/s');
    emit(`${name}.reference_rps`, Math.round(mean(ref)), 'req/s');
    emit(
      `${name}.errors`,
      ours.reduce((a, x) => a + x.errors, 0),
      'count',
    );
    ours.forEach((o, k) => ratios.push(o.rps / Math.max(1, ref[k]?.rps ?? 0)));
    emit(`${name}.ratio`, Number((mean(ours) / Math.max(1, mean(ref))).toFixed(3)), unit);
  });
  emit(`${prefix}.rps_ratio_median`, Number(median(ratios).toFixed(3)), unit);
  emit(`${prefix}.rps_ratio_min`, Number(Math.min(...ratios).toFixed(3)), unit);
}

/**
 * compare.sh with a second libmodbus reference server as the candidate: identical servers, so every
 * ratio away from 1 is the machine's noise. Shows how far a single round can move on its own.
 */
async function referenceAgainstItself(emit: Emit, root: string): Promise<void> {
  const bin = refBin('baseline-server');
  if (!existsSync(bin)) return; // compare.sh builds it; without it the throughput part said why
  const port = await freePort();
  const child = spawn(bin, [String(port)], { stdio: 'ignore' });
  try {
    await waitForPort(port, 3000);
    await throughput(emit, root, port, 'scada.libmodbus_vs_itself', 'libmodbus/libmodbus');
  } finally {
    child.kill();
  }
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((res) => {
      const s = connect(port, '127.0.0.1', () => (s.destroy(), res(true)));
      s.on('error', () => res(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A deployed server has been answering for a while: give the JIT a few seconds of load before the
 * comparison, so its first round does not measure compilation (libmodbus, compiled C, needs none).
 */
async function warmUp(port: number): Promise<void> {
  const load = refBin('load');
  if (!existsSync(load)) return nodeLoad(port, 100_000, Date.now() + 10_000);
  for (const clients of ['1', '4']) await run(load, ['127.0.0.1', String(port), clients, '1', '10', '3'], {}, 10_000);
}

/** Pipelined FC3 requests from this process (used when the C load generator is not built). */
async function nodeLoad(port: number, requests: number, deadlineMs: number): Promise<void> {
  const sock = connect(port, '127.0.0.1');
  await new Promise<void>((res, rej) => sock.once('connect', res).once('error', rej));
  const batch = 200;
  const req = Buffer.from([0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 10]);
  const burst = Buffer.concat(new Array(batch).fill(req));
  const answerBytes = 9 + 20;
  let pendingBytes = 0;
  let sent = 0;
  await new Promise<void>((resolve) => {
    const more = () => {
      if (sent >= requests || Date.now() > deadlineMs) return resolve();
      sent += batch;
      pendingBytes += batch * answerBytes;
      sock.write(burst);
    };
    sock.on('data', (d: Buffer) => {
      pendingBytes -= d.length;
      if (pendingBytes <= 0) more();
    });
    sock.on('close', () => resolve());
    more();
  });
  sock.destroy();
}

/** RSS before and after 1 000 000 requests (bounded to 120 s). */
async function memory(emit: Emit, server: ScadaServer): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const loadBin = refBin('load');
  const drive = async (n: number) => {
    const target = server.stats().requests + n;
    const deadline = Date.now() + 120_000;
    while (server.stats().requests < target && Date.now() < deadline) {
      // Few long runs rather than many short ones: each spawn leaves the harness's own heap a little bigger.
      const seconds = Math.min(30, Math.max(3, Math.ceil((target - server.stats().requests) / 40_000)));
      if (existsSync(loadBin)) await run(loadBin, ['127.0.0.1', String(server.port), '4', String(seconds), '10', '3'], {}, (seconds + 10) * 1000);
      else await nodeLoad(server.port, target - server.stats().requests, deadline);
    }
  };
  await drive(100_000); // warm-up: JIT, pools and buffers at their working size
  gc?.();
  const before = process.memoryUsage();
  const start = server.stats().requests;
  await drive(1_000_000);
  gc?.();
  const after = process.memoryUsage();
  emit('scada.mem.requests', server.stats().requests - start, 'count');
  emit('scada.mem.rss_before', Math.round(before.rss / 1024), 'KiB');
  emit('scada.mem.rss_after', Math.round(after.rss / 1024), 'KiB');
  emit('scada.mem.rss_growth', Math.round((after.rss - before.rss) / 1024), 'KiB');
  // RSS also moves with the allocator and JIT code space; the JS heap after a full GC is what a leak would grow.
  if (gc) emit('scada.mem.heap_growth', Math.round((after.heapUsed - before.heapUsed) / 1024), 'KiB');
}

/** 1 000 000 random and mutated frames through real sockets; then a valid request must still be answered. */
async function fuzz(emit: Emit, server: ScadaServer): Promise<void> {
  let crashes = 0;
  const onCrash = () => void crashes++;
  process.on('uncaughtException', onCrash);
  const t0 = Date.now();
  const answered0 = server.stats().requests;
  const sent = await fuzzStream(server.port, 1_000_000, 1, 120_000);
  process.off('uncaughtException', onCrash);
  emit('scada.fuzz.frames', sent.frames, 'count');
  // Frames after a malformed one on the same connection are dropped with it, so fewer are answered.
  emit('scada.fuzz.answered', server.stats().requests - answered0, 'count');
  emit('scada.fuzz.connections', sent.connections, 'count');
  emit('scada.fuzz.seconds', Number(((Date.now() - t0) / 1000).toFixed(1)), 's');
  emit('scada.fuzz.crashes', crashes, 'count');
  emit('scada.fuzz.valid_answered_after', sent.validAnsweredAfter ? 1 : 0, 'bool');
}

export async function bench(emit: Emit): Promise<void> {
  const root = repoRoot(path.dirname(fileURLToPath(import.meta.url))) ?? repoRoot(process.cwd());
  // SCADA_BENCH_ONLY=throughput,readers,self,memory,fuzz runs a subset (while working on one part).
  const only = process.env.SCADA_BENCH_ONLY?.split(',');
  const want = (part: string) => !only || only.includes(part);
  const server = await startBenchServer();
  try {
    if (want('throughput')) {
      if (root) {
        await warmUp(server.port);
        await throughput(emit, root, server.port);
      } else emit('scada.repo_root_not_found', 1, 'flag');
    }
    // The same comparison with scada.readerProcesses 2, right after the in-process one.
    if (want('readers') && root) {
      const readers = await startBenchServer(2);
      try {
        await warmUp(readers.port);
        await throughput(emit, root, readers.port, 'scada.readers2');
      } finally {
        await readers.close();
      }
    }
    // The yardstick's own noise: the same comparison with a second libmodbus server as the candidate.
    if (want('self') && root) await referenceAgainstItself(emit, root);
    if (want('memory')) await memory(emit, server);
    if (want('fuzz')) await fuzz(emit, server);
  } finally {
    await server.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const only = process.argv[2];
  await bench((name, value, unit) => {
    if (!only || name.includes(only)) console.log(JSON.stringify({ name, value, unit }));
  });
}
