// Scan-to-output latency in the real runtime: an input edge in the simulated plant, delivered as a
// driver's interrupt is (another thread wakes the event loop) → the scan → the output image written.
// Idle, and while 8 Modbus TCP clients hammer the SCADA server from another process (the libmodbus
// load generator, or a Node one). Beside it, in the same run, the floor: a bare event loop that answers
// the same edges by writing one output (and, loaded, serves the same 8 clients a canned answer), so the
// machine's own wake-up latency at that moment is not read as twinfeed's. And with the HTTP server and
// its dashboard event stream: no page open, then 20 pages' streams open (readers in another process), each
// edge's status change pushed to all of them.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { configHash, loadConfig } from '../../src/config/load.js';
import type { SignalName } from '../../src/core/types.js';
import { createScanLoop } from '../../src/runtime/scan.js';
import { createSimBoard } from '../../src/runtime/simboard.js';
import { startScadaServer } from '../../src/scada/server.js';
import { startHttpServer } from '../../src/runtime/http.js';
import { createMetrics } from '../../src/runtime/metrics.js';
import { refBin } from './modbus-ref.js';

type Emit = (name: string, value: number, unit: string) => void;
const EDGES = 1000;
const WARM_UP_SCANS = 5000;
/**
 * Sends EDGES edges, each stamped with the monotonic clock (shared by all threads) just before it is
 * posted; the next one follows 2–8 ms after the output of the last was written (ack[0]), or after 1 s.
 */
const EDGE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const ack = new Int32Array(workerData.ack);
const pause = new Int32Array(new SharedArrayBuffer(4));
for (let i = 0; i < workerData.edges; i++) {
  Atomics.wait(pause, 0, 0, 2 + (i % 7));
  Atomics.store(ack, 0, 0);
  parentPort.postMessage({ i, atNs: process.hrtime.bigint() });
  Atomics.wait(ack, 0, 0, 1000);
}
`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

/** A Node load client in a child process (used when the libmodbus load generator is not built). */
const NODE_LOAD = `
const net = require('node:net');
const [port, clients, seconds] = process.argv.slice(1).map(Number);
const frame = Buffer.from([0,1,0,0,0,6,1,3,0,0,0,10]);
const end = Date.now() + seconds * 1000;
for (let i = 0; i < clients; i++) {
  const s = net.connect(port, '127.0.0.1', () => s.write(frame));
  s.on('data', () => { if (Date.now() < end) s.write(frame); else s.destroy(); });
  s.on('error', () => {});
}
setTimeout(() => process.exit(0), seconds * 1000 + 500);
`;

function hammer(port: number, seconds: number): ChildProcess {
  const ref = refBin('load');
  return existsSync(ref)
    ? spawn(ref, ['127.0.0.1', String(port), '8', String(seconds), '10', '3'], { stdio: 'ignore' })
    : spawn(process.execPath, ['-e', NODE_LOAD, String(port), '8', String(seconds)], { stdio: 'ignore' });
}

/** N dashboards' event streams, read in a child process (their parsing is the browsers', not the controller's). */
const READERS = `
const [url, n] = process.argv.slice(1);
for (let i = 0; i < Number(n); i++) fetch(url).then(async (r) => { for await (const c of r.body) void c; }).catch(() => {});
setInterval(() => {}, 1000);
`;
type Mode = 'idle' | 'loaded8' | 'dashboards0' | 'dashboards20';

interface Edge {
  readonly i: number;
  readonly atNs: bigint;
}
interface Latencies {
  samples: number[];
  missed: number;
}

/**
 * Runs the edge worker; `onEdge` applies each edge. `answered()` records that the output of the
 * pending edge was written (latency from the edge's stamp) and releases the worker for the next one.
 */
function edgeSource(onEdge: (e: Edge) => void): { answered(): void; run(): Promise<void>; result: Latencies } {
  const ack = new Int32Array(new SharedArrayBuffer(4));
  const result: Latencies = { samples: [], missed: 0 };
  let pendingNs: bigint | undefined;
  return {
    result,
    answered() {
      if (pendingNs === undefined) return;
      result.samples.push(Number(process.hrtime.bigint() - pendingNs) / 1e6);
      pendingNs = undefined;
      Atomics.store(ack, 0, 1);
      Atomics.notify(ack, 0);
    },
    run() {
      // The edges come from another thread, as a GPIO interrupt wakes the event loop (onoff's epoll watch):
      // a message wakes the loop at once, where a ms timer would add up to 1 ms of its own granularity.
      const edges = new Worker(EDGE_WORKER, { eval: true, workerData: { edges: EDGES, ack: ack.buffer } });
      return new Promise<void>((resolve, reject) => {
        edges.on('message', (m: Edge) => {
          if (pendingNs !== undefined) result.missed++; // no output within 1 s: reported, never silently dropped
          pendingNs = m.atNs;
          onEdge(m);
        });
        edges.once('error', reject);
        edges.once('exit', () => resolve());
      });
    },
  };
}

/** The least a Modbus TCP server can do: every FC3/FC4 request gets zeros of the asked length. */
function cannedModbusServer(): Promise<Server> {
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => {});
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let at = 0;
      while (pending.length - at >= 12) {
        const len = pending.readUInt16BE(at + 4);
        if (pending.length - at < 6 + len) break;
        const bytes = 2 * pending.readUInt16BE(at + 10);
        const out = Buffer.alloc(9 + bytes);
        pending.copy(out, 0, at, at + 4); // transaction and protocol id
        out.writeUInt16BE(3 + bytes, 4);
        out[6] = pending[at + 6] ?? 1;
        out[7] = pending[at + 7] ?? 3;
        out[8] = bytes;
        socket.write(out);
        at += 6 + len;
      }
      pending = pending.subarray(at);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The floor: the same edges, answered by a bare event loop that writes one output per edge. */
async function measureFloor(loaded: boolean): Promise<Latencies> {
  const output = new Map<SignalName, boolean>();
  const src = edgeSource((e) => {
    output.set('alarm.common', e.i % 2 === 0);
    src.answered();
  });
  const server = loaded ? await cannedModbusServer() : undefined;
  const address = server?.address();
  const load = address && typeof address === 'object' ? hammer(address.port, Math.ceil((EDGES * 12) / 1000) + 3) : undefined;
  if (load) await sleep(500);
  try {
    await src.run();
  } finally {
    load?.kill();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
  return src.result;
}

async function measure(mode: Mode): Promise<Latencies> {
  const loaded = mode === 'loaded8';
  const cfg = loadConfig(undefined, { scada: { port: 0, maxConnections: 16 }, uplinks: { enabled: false } }).config;
  const board = createSimBoard(cfg, Date.now());
  let want: boolean | undefined;
  // A PSU contact toggles: PSU_REDUNDANCY_LOST raises or clears, and alarm.common follows in that scan.
  const src = edgeSource((e) => {
    const ok = e.i % 2 === 1;
    want = !ok;
    // The plant changes (cabinet.set: the physics only; setKnobs would also validate on a scratch
    // cabinet, the HTTP /sim path's cost, not the controller's), then the driver callback scans.
    board.cabinet.set('psu.2.ok', ok);
    loop.scanNow(); // what a driver's input-change callback does
  });
  const realWrite = board.write.bind(board);
  board.write = (image: ReadonlyMap<SignalName, boolean>, nowMs: number) => {
    realWrite(image, nowMs);
    if (want !== undefined && image.get('alarm.common') === want) {
      want = undefined;
      src.answered();
    }
  };
  const loop = createScanLoop({ config: cfg, configHash: configHash(cfg), board });
  loop.start();
  const scada = await startScadaServer({ config: cfg.scada, controller: loop, uplinkIds: [], logger: pino({ level: 'silent' }) });
  const dashboards = mode === 'dashboards0' ? 0 : mode === 'dashboards20' ? 20 : undefined;
  const http =
    dashboards === undefined
      ? undefined
      : await startHttpServer({
          config: { ...cfg.http, port: 0 },
          controller: loop,
          metrics: createMetrics(loop.latest, []),
          logger: pino({ level: 'silent' }),
        });
  const httpAddress = http?.address();
  const readers =
    dashboards && httpAddress && typeof httpAddress === 'object'
      ? spawn(process.execPath, ['-e', READERS, `http://127.0.0.1:${httpAddress.port}/events`, String(dashboards)], { stdio: 'ignore' })
      : undefined;
  if (readers) await sleep(1000);
  // A cabinet controller runs for months: measure it warm (JIT-compiled), not in its first seconds.
  // 5000 scans with edges are its first 8 minutes at the 100 ms scan period.
  for (let i = 0; i < WARM_UP_SCANS; i++) {
    board.cabinet.set('psu.2.ok', i % 2 === 1);
    loop.scanNow();
  }
  const load = loaded ? hammer(scada.port, Math.ceil((EDGES * 12) / 1000) + 3) : undefined;
  if (load) await sleep(500);
  try {
    await src.run();
  } finally {
    load?.kill();
    readers?.kill();
    loop.stop();
    await scada.close();
    http?.closeAllConnections();
    await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
  }
  return src.result;
}

export async function bench(emit: Emit): Promise<void> {
  for (const tag of ['idle', 'loaded8', 'dashboards0', 'dashboards20'] as const) {
    const loaded = tag === 'loaded8';
    const { samples: xs, missed } = await measure(tag);
    emit(`latency.scan_to_output.${tag}.p50`, pct(xs, 50), 'ms');
    emit(`latency.scan_to_output.${tag}.p99`, pct(xs, 99), 'ms');
    emit(`latency.scan_to_output.${tag}.max`, Math.max(...xs), 'ms');
    emit(`latency.scan_to_output.${tag}.samples`, xs.length, 'edges');
    emit(`latency.scan_to_output.${tag}.missed`, missed, 'edges');
    // Right after, on the same machine in the same state: the bare event loop's floor, and the ratio.
    const floor = await measureFloor(loaded);
    const fs = floor.samples;
    emit(`latency.floor.${tag}.p50`, pct(fs, 50), 'ms');
    emit(`latency.floor.${tag}.p99`, pct(fs, 99), 'ms');
    emit(`latency.floor.${tag}.missed`, floor.missed, 'edges');
    emit(`latency.vs_floor.${tag}.p50`, pct(xs, 50) / pct(fs, 50), 'twinfeed/floor');
    emit(`latency.vs_floor.${tag}.p99`, pct(xs, 99) / pct(fs, 99), 'twinfeed/floor');
  }
}
