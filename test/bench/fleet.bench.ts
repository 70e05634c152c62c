// The fleet figures (README, Benchmarks): cabinets per core at real time (CPU time per cabinet-second,
// then a real-time check of that many), MQTT bytes per cabinet per day with one outage against polling
// the SCADA status block over Modbus TCP every second, and transfer → NDATA at a subscriber with 1 000
// cabinets on one mosquitto. 127.0.0.1 only; skipped with a message when mosquitto is missing.
import { loadavg } from 'node:os';
import { pino } from 'pino';
import { configHash, loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { startFleet } from '../../src/runtime/fleet/fleet.js';
import { incidentKinds } from '../../src/runtime/fleet/incidents.js';
import { startBroker, type Broker } from '../sparkplug/peers.js';
import { missingTools } from '../system-tools.js';
import { modbusPollBytes, startRelay, withTcpIp } from './fleet-wire.js';
import { transferLatency } from './fleet-latency.js';

type Emit = (name: string, value: number, unit: string) => void;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const silent = pino({ level: 'silent' });
/** A core kept at most this busy leaves room for the scans to stay on time (and for GC). */
const UTILIZATION = 0.7;
const NEVER = Number.MAX_SAFE_INTEGER / 4;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

function fleetConfig(broker: string, groupId: string): Config {
  return loadConfig(undefined, { http: { enabled: false }, scada: { enabled: false }, sparkplug: { broker, groupId, edgeNodeId: 'fleet' } }).config;
}

async function run(cfg: Config, cabinets: number, speed: number, meanIncidentGapMs: number) {
  return startFleet({ config: cfg, configHash: configHash(cfg), cabinets, speed, seed: 1, meanIncidentGapMs, logger: silent });
}

/** CPU time per simulated cabinet-second (40 cabinets at speed 5), then that many cabinets per core checked at speed 1. */
async function cabinetsPerCore(emit: Emit, broker: Broker): Promise<void> {
  const cabinets = 40;
  const fleet = await run(fleetConfig(broker.url, 'bench-cpu'), cabinets, 5, 3_600_000);
  await sleep(2000);
  const cpu0 = process.cpuUsage();
  const sim0 = fleet.now();
  await sleep(8000);
  const cpu = process.cpuUsage(cpu0);
  const cabinetSeconds = (cabinets * (fleet.now() - sim0)) / 1000;
  await fleet.stop();
  const cpuMs = (cpu.user + cpu.system) / 1000 / cabinetSeconds;
  emit('fleet.cpu_per_cabinet_second', cpuMs, 'ms');
  const perCore = Math.floor((UTILIZATION * 1000) / cpuMs);
  emit('fleet.cabinets_per_core_realtime', perCore, 'cabinets');
  // The check: that many (at most 1 000), and a fifth of it, at speed 1.
  const n = Math.min(perCore, 1000);
  await realTimeCheck(emit, broker, n, 'fleet.realtime_check', true);
  await realTimeCheck(emit, broker, Math.max(1, Math.round(n / 5)), 'fleet.realtime_check_fifth', false);
}

const heapAfterGc = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage();
};

/** `n` cabinets at speed 1 for 10 s: scans per cabinet-second, how late each came after the one before, CPU, memory. */
async function realTimeCheck(emit: Emit, broker: Broker, n: number, name: string, firstCheck: boolean): Promise<void> {
  // The previous fleet's last timers (its 2 s stop deadlines) must have run for its memory to be free.
  await sleep(2500);
  const before = heapAfterGc();
  const rt = fleetConfig(broker.url, 'bench-rt');
  const check = await run(rt, n, 1, 3_600_000);
  const period = rt.runtime.scanPeriodMs;
  const lateMs: number[] = [];
  await sleep(2000);
  const offs = check.cabinets.map((c) => {
    let last = 0;
    return c.loop.onEvents?.((_e, atMs) => {
      if (last > 0) lateMs.push(Math.max(0, atMs - last - period));
      last = atMs;
    });
  });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(10_000);
  const used = process.cpuUsage(c0);
  const elapsedMs = performance.now() - t0;
  for (const off of offs) off?.();
  const after = heapAfterGc();
  emit(`${name}.cabinets`, n, 'cabinets');
  // The machine's load at the time: on a shared VM a starved process scans late whatever its own cost.
  emit(`${name}.loadavg_1min`, loadavg()[0] ?? NaN, 'runnable');
  emit(`${name}.scans_per_cabinet_second`, lateMs.length / n / (elapsedMs / 1000), 'scans');
  emit(`${name}.cpu`, (used.user + used.system) / 1000 / elapsedMs, 'cores');
  emit(`${name}.scan_late_p99`, pct(lateMs, 99), 'ms');
  emit(`${name}.scan_late_max`, Math.max(...lateMs), 'ms');
  // RSS is not given back after a bigger fleet: only the first check's RSS growth means anything.
  if (firstCheck) emit(`${name}.rss_per_cabinet`, (after.rss - before.rss) / 1024 / n, 'KiB');
  emit(`${name}.heap_per_cabinet`, (after.heapUsed - before.heapUsed) / 1024 / n, 'KiB');
  await check.stop();
}

/** One cabinet through a counting relay: a quiet simulated hour and an hour with a 10 min utility outage, scaled to a day. */
async function bytesPerDay(emit: Emit, broker: Broker): Promise<void> {
  const relay = await startRelay(broker.port);
  const cfg = fleetConfig(`mqtt://127.0.0.1:${relay.port}`, 'bench-bytes');
  const speed = 200;
  const fleet = await run(cfg, 1, speed, NEVER);
  const cab = fleet.cabinets[0];
  if (!cab) throw new Error('no cabinet');
  const simSleep = (ms: number) => sleep(ms / speed);
  await sleep(1500);
  const birth = { ...relay.counts };
  await simSleep(3_600_000);
  const quiet = { bytes: relay.counts.bytes - birth.bytes, chunks: relay.counts.chunks - birth.chunks };
  const outage = incidentKinds(cfg)[0];
  if (!outage) throw new Error('no utility outage for this config');
  const o0 = { ...relay.counts };
  cab.setKnobs({ ...outage.knobs });
  await simSleep(600_000);
  cab.setKnobs({ ...outage.restore });
  await simSleep(3_000_000);
  const hour = { bytes: relay.counts.bytes - o0.bytes, chunks: relay.counts.chunks - o0.chunks };
  await fleet.stop();
  await relay.close();
  // MQTT keepalive runs on real time (30 s): 2 880 PINGREQ/PINGRESP pairs (2 + 2 bytes) a day, added here.
  const pings = 86_400 / 30;
  const mqttBytes = birth.bytes + hour.bytes + 23 * quiet.bytes + pings * 4;
  const mqttSegments = birth.chunks + hour.chunks + 23 * quiet.chunks + pings * 2;
  const poll = modbusPollBytes();
  const modbusBytes = 86_400 * (poll.request + poll.response);
  emit('fleet.mqtt.birth_bytes', birth.bytes, 'B');
  emit('fleet.mqtt.quiet_hour_bytes', quiet.bytes, 'B');
  emit('fleet.mqtt.outage_hour_bytes', hour.bytes, 'B');
  emit('fleet.mqtt.bytes_per_cabinet_day', mqttBytes, 'B');
  emit('fleet.mqtt.bytes_per_cabinet_day_tcpip', withTcpIp(mqttBytes, mqttSegments), 'B');
  emit('fleet.modbus_poll.bytes_per_day', modbusBytes, 'B');
  emit('fleet.modbus_poll.bytes_per_day_tcpip', withTcpIp(modbusBytes, 86_400 * 2), 'B');
  emit('fleet.mqtt_over_modbus', withTcpIp(mqttBytes, mqttSegments) / withTcpIp(modbusBytes, 86_400 * 2), 'ratio');
}

export async function bench(emit: Emit): Promise<void> {
  const missing = missingTools('mosquitto');
  if (missing) {
    process.stderr.write(`fleet bench skipped: ${missing}\n`);
    return;
  }
  const broker = await startBroker();
  try {
    await cabinetsPerCore(emit, broker);
    await bytesPerDay(emit, broker);
    await transferLatency(emit, broker, 1000);
  } finally {
    await broker.stop();
  }
}
