// Transfer → NDATA at a subscriber with many cabinets on one broker: `twinfeed fleet` in its own
// process (so the subscriber's event loop is not the fleet's), a subscriber here decoding with the
// tests' own decoder. A sample is the arrival time minus the real time of the scan that saw the
// source change (its metric timestamp, simulated, mapped back with the fleet's origin and speed).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { connect } from 'mqtt';
import type { Broker } from '../sparkplug/peers.js';
import { decodeSparkplug } from '../sparkplug/wire.js';

type Emit = (name: string, value: number, unit: string) => void;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MAIN = join(resolve(import.meta.dirname, '..', '..'), 'src', 'cli', 'main.js');
/** Twice real time; incidents every simulated minute on average so a minute's run has transfers. */
const SPEED = 2;
const RUN_MS = 60_000;

/** CPU seconds a process has used (utime + stime from /proc, 100 ticks a second); NaN off Linux. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

export async function transferLatency(emit: Emit, broker: Broker, cabinets: number): Promise<void> {
  const group = 'bench-latency';
  const sub = connect(broker.url, { protocolVersion: 4, clean: true, reconnectPeriod: 0 });
  await new Promise<void>((ok, fail) => (sub.once('connect', () => ok()), sub.once('error', fail)));
  await sub.subscribeAsync(`spBv1.0/${group}/#`, { qos: 0 });
  let origin = NaN;
  const samples: number[] = [];
  const births = new Set<string>();
  sub.on('message', (topic, payload) => {
    const at = Date.now();
    const [, , type, edge] = topic.split('/');
    if (type === 'NBIRTH' && edge) births.add(edge);
    if (type !== 'NDATA' || Number.isNaN(origin)) return;
    for (const m of decodeSparkplug(payload).metrics) {
      if (m.name !== 'Power/Source' || m.isHistorical || m.timestamp === undefined) continue;
      samples.push(at - (origin + (m.timestamp - origin) / SPEED));
    }
  });
  const args = ['fleet', '--cabinets', String(cabinets), '--broker', broker.url, '--speed', String(SPEED), '--group', group, '--incident-every', '1m'];
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /origin (\d+)/.exec(out);
    if (m && Number.isNaN(origin)) origin = Number(m[1]);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (let i = 0; Number.isNaN(origin) && i < 1200; i++) await sleep(100);
  const cpu0 = cpuSeconds(child.pid);
  await sleep(RUN_MS);
  const fleetCores = (cpuSeconds(child.pid) - cpu0) / (RUN_MS / 1000);
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(30_000)]);
  child.kill('SIGKILL');
  await sub.endAsync();
  emit('fleet.latency.cabinets_born', births.size, 'cabinets');
  emit('fleet.latency.fleet_cpu', fleetCores, 'cores');
  emit('fleet.latency.transfers', samples.length, 'count');
  emit('fleet.latency.transfer_to_ndata_p50', pct(samples, 50), 'ms');
  emit('fleet.latency.transfer_to_ndata_p99', pct(samples, 99), 'ms');
}
