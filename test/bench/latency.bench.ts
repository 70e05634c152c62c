// Scan-to-output latency in the real runtime: an input edge in the simulated plant (as a driver's
// interrupt would deliver it) → the scan → the output image written. Idle, and while 8 Modbus TCP
// clients hammer the SCADA server from another process (the libmodbus load generator, or a Node one).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { configHash, loadConfig } from '../../src/config/load.js';
import type { SignalName } from '../../src/core/types.js';
import { createScanLoop } from '../../src/runtime/scan.js';
import { createSimBoard } from '../../src/runtime/simboard.js';
import { startScadaServer } from '../../src/scada/server.js';

type Emit = (name: string, value: number, unit: string) => void;
const EDGES = 400;
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
  const ref = join(process.env.MODBUS_REF_BIN ?? join(process.env.TMPDIR ?? tmpdir(), 'modbus-ref-bench'), 'load');
  return existsSync(ref)
    ? spawn(ref, ['127.0.0.1', String(port), '8', String(seconds), '10', '3'], { stdio: 'ignore' })
    : spawn(process.execPath, ['-e', NODE_LOAD, String(port), '8', String(seconds)], { stdio: 'ignore' });
}

async function measure(loaded: boolean): Promise<number[]> {
  const cfg = loadConfig(undefined, { scada: { port: 0, maxConnections: 16 }, uplinks: { enabled: false } }).config;
  const board = createSimBoard(cfg, Date.now());
  let pending: { want: boolean; atNs: bigint } | undefined;
  const samples: number[] = [];
  const realWrite = board.write.bind(board);
  board.write = (image: ReadonlyMap<SignalName, boolean>, nowMs: number) => {
    realWrite(image, nowMs);
    if (pending && image.get('alarm.common') === pending.want) {
      samples.push(Number(process.hrtime.bigint() - pending.atNs) / 1e6);
      pending = undefined;
    }
  };
  const loop = createScanLoop({ config: cfg, configHash: configHash(cfg), board });
  loop.start();
  const scada = await startScadaServer({ config: cfg.scada, controller: loop, uplinkIds: [], logger: pino({ level: 'silent' }) });
  const load = loaded ? hammer(scada.port, Math.ceil((EDGES * 12) / 1000) + 3) : undefined;
  if (load) await sleep(500);
  try {
    for (let i = 0; i < EDGES; i++) {
      // A PSU contact toggles: PSU_REDUNDANCY_LOST raises or clears, and alarm.common follows in that scan.
      const ok = i % 2 === 1;
      const dueNs = process.hrtime.bigint() + BigInt(2 + (i % 7)) * 1_000_000n;
      await new Promise<void>((r) =>
        setTimeout(() => {
          // Timers may fire up to 1 ms early (ms rounding): the edge is then the callback's start.
          const startNs = process.hrtime.bigint();
          pending = { want: !ok, atNs: startNs < dueNs ? startNs : dueNs };
          board.setKnobs({ 'psu.2.ok': ok });
          loop.scanNow(); // what a driver's input-change callback does
          r();
        }, Number((dueNs - process.hrtime.bigint()) / 1_000_000n)),
      );
      await sleep(3);
    }
  } finally {
    load?.kill();
    loop.stop();
    await scada.close();
  }
  return samples;
}

export async function bench(emit: Emit): Promise<void> {
  for (const loaded of [false, true]) {
    const xs = await measure(loaded);
    const tag = loaded ? 'loaded8' : 'idle';
    emit(`latency.scan_to_output.${tag}.p50`, pct(xs, 50), 'ms');
    emit(`latency.scan_to_output.${tag}.p99`, pct(xs, 99), 'ms');
    emit(`latency.scan_to_output.${tag}.max`, Math.max(...xs), 'ms');
    emit(`latency.scan_to_output.${tag}.samples`, xs.length, 'edges');
  }
}
