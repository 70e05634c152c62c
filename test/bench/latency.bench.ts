// Scan-to-output latency in the real runtime: an input edge in the simulated plant, delivered as a
// driver's interrupt is (another thread wakes the event loop) → the scan → the output image written.
// Idle, and while 8 Modbus TCP clients hammer the SCADA server from another process (the libmodbus
// load generator, or a Node one).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { configHash, loadConfig } from '../../src/config/load.js';
import type { SignalName } from '../../src/core/types.js';
import { createScanLoop } from '../../src/runtime/scan.js';
import { createSimBoard } from '../../src/runtime/simboard.js';
import { startScadaServer } from '../../src/scada/server.js';
import { refBin } from './modbus-ref.js';

type Emit = (name: string, value: number, unit: string) => void;
const EDGES = 400;
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

async function measure(loaded: boolean): Promise<{ samples: number[]; missed: number }> {
  const cfg = loadConfig(undefined, { scada: { port: 0, maxConnections: 16 }, uplinks: { enabled: false } }).config;
  const board = createSimBoard(cfg, Date.now());
  let pending: { want: boolean; atNs: bigint } | undefined;
  const samples: number[] = [];
  let missed = 0;
  const ack = new Int32Array(new SharedArrayBuffer(4));
  const realWrite = board.write.bind(board);
  board.write = (image: ReadonlyMap<SignalName, boolean>, nowMs: number) => {
    realWrite(image, nowMs);
    if (pending && image.get('alarm.common') === pending.want) {
      samples.push(Number(process.hrtime.bigint() - pending.atNs) / 1e6);
      pending = undefined;
      Atomics.store(ack, 0, 1);
      Atomics.notify(ack, 0);
    }
  };
  const loop = createScanLoop({ config: cfg, configHash: configHash(cfg), board });
  loop.start();
  const scada = await startScadaServer({ config: cfg.scada, controller: loop, uplinkIds: [], logger: pino({ level: 'silent' }) });
  // A cabinet controller runs for months: measure it warm (JIT-compiled), not in its first seconds.
  // 5000 scans with edges are its first 8 minutes at the 100 ms scan period.
  for (let i = 0; i < WARM_UP_SCANS; i++) {
    board.cabinet.set('psu.2.ok', i % 2 === 1);
    loop.scanNow();
  }
  const load = loaded ? hammer(scada.port, Math.ceil((EDGES * 12) / 1000) + 3) : undefined;
  if (load) await sleep(500);
  // The edges come from another thread, as a GPIO interrupt wakes the event loop (onoff's epoll watch):
  // a message wakes the loop at once, where a ms timer would add up to 1 ms of its own granularity.
  const edges = new Worker(EDGE_WORKER, { eval: true, workerData: { edges: EDGES, ack: ack.buffer } });
  try {
    await new Promise<void>((resolve, reject) => {
      edges.on('message', (m: { i: number; atNs: bigint }) => {
        // A PSU contact toggles: PSU_REDUNDANCY_LOST raises or clears, and alarm.common follows in that scan.
        const ok = m.i % 2 === 1;
        if (pending) missed++; // no output within 1 s: reported, never silently dropped
        pending = { want: !ok, atNs: m.atNs };
        // The plant changes (cabinet.set: the physics only; setKnobs would also validate on a scratch
        // cabinet, the HTTP /sim path's cost, not the controller's), then the driver callback scans.
        board.cabinet.set('psu.2.ok', ok);
        loop.scanNow(); // what a driver's input-change callback does
      });
      edges.once('error', reject);
      edges.once('exit', () => resolve());
    });
  } finally {
    load?.kill();
    loop.stop();
    await scada.close();
  }
  return { samples, missed };
}

export async function bench(emit: Emit): Promise<void> {
  for (const loaded of [false, true]) {
    const { samples: xs, missed } = await measure(loaded);
    const tag = loaded ? 'loaded8' : 'idle';
    emit(`latency.scan_to_output.${tag}.p50`, pct(xs, 50), 'ms');
    emit(`latency.scan_to_output.${tag}.p99`, pct(xs, 99), 'ms');
    emit(`latency.scan_to_output.${tag}.max`, Math.max(...xs), 'ms');
    emit(`latency.scan_to_output.${tag}.samples`, xs.length, 'edges');
    emit(`latency.scan_to_output.${tag}.missed`, missed, 'edges');
  }
}
