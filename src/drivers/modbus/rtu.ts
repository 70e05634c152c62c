// Modbus RTU master: polls each device on its period over modbus-serial 8 (serialport 13), keeps
// every value with its time, and turns bus trouble into counted, logged staleness — never a throw.
import type { Logger } from 'pino';
import type { Reading, SignalName } from '../../core/types.js';
import type { BusSpec, DeviceSpec, ModbusSection } from './board.js';
import { classifyError, closeClient, defaultFactory, readBlock, type ModbusClient, type ModbusClientFactory } from './client.js';
import { decodeSignal, planReads, type ReadBlock } from './decode.js';
import { errorText } from '../pins.js';
import type { DriverBoard } from '../types.js';

export { classifyError, type ErrorKind, type ModbusClient, type ModbusClientFactory } from './client.js';

export interface ModbusDeps {
  readonly logger: Logger;
  /** Default: `new ModbusRTU()` from modbus-serial. */
  readonly createClient?: ModbusClientFactory;
  readonly clock?: () => number;
  /** Reconnect backoff: doubles from minMs up to maxMs. */
  readonly backoff?: { readonly minMs: number; readonly maxMs: number };
}

const COUNTERS = ['requests', 'responses', 'timeout', 'crc', 'exception', 'garbage', 'port', 'reconnects', 'badValues'] as const;
type Counters = Record<(typeof COUNTERS)[number], number>;
/** This many failed transactions in a row on one bus (no answer from anyone) reopen the port. */
const REOPEN_AFTER_FAILURES = 10;

interface DeviceState {
  readonly id: string;
  readonly spec: DeviceSpec;
  readonly blocks: readonly ReadBlock[];
  dueMs: number;
  commOk: boolean | undefined;
}

export async function openModbus(section: ModbusSection, deps: ModbusDeps): Promise<DriverBoard> {
  const log = deps.logger.child({ driver: 'modbus' });
  const clock = deps.clock ?? Date.now;
  const backoff = deps.backoff ?? { minMs: 1000, maxMs: 30_000 };
  const createClient = deps.createClient ?? (await defaultFactory());
  const counters = Object.fromEntries(COUNTERS.map((k) => [k, 0])) as Counters;
  const values = new Map<SignalName, { value: boolean | number; atMs: number }>();
  let closed = false;
  const wakers = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      wakers.add(done);
    });

  const pollDevice = async (client: ModbusClient, d: DeviceState): Promise<boolean> => {
    client.setID(d.spec.unitId);
    client.setTimeout(d.spec.timeoutMs);
    for (const b of d.blocks) {
      counters.requests++;
      try {
        const { data } = await readBlock(client, b);
        counters.responses++;
        const atMs = clock();
        for (const sig of b.signals) {
          const v = decodeSignal(sig, b, data);
          if (v === undefined) counters.badValues++;
          else values.set(sig.name, { value: v, atMs });
        }
      } catch (err) {
        const kind = classifyError(err);
        counters[kind]++;
        if (d.commOk !== false) log.warn({ device: d.id, unitId: d.spec.unitId, kind, err: errorText(err) }, 'modbus device not answering: its values go stale');
        d.commOk = false;
        return kind !== 'port';
      }
    }
    if (d.commOk === false) log.info({ device: d.id }, 'modbus device answering again');
    d.commOk = true;
    return true;
  };

  const runBus = async (busId: string, bus: BusSpec, devices: DeviceState[], firstRound: () => void) => {
    let client: ModbusClient | undefined;
    let delayMs = backoff.minMs;
    let failuresInRow = 0;
    let polledOnce = 0;
    while (!closed) {
      if (!client) {
        const c = createClient();
        try {
          await c.connectRTUBuffered(bus.path, { baudRate: bus.baudRate, parity: bus.parity, dataBits: bus.dataBits, stopBits: bus.stopBits });
          client = c;
          delayMs = backoff.minMs;
          log.info({ bus: busId, path: bus.path }, 'modbus bus open');
        } catch (err) {
          log.warn({ bus: busId, path: bus.path, err: errorText(err), retryMs: delayMs }, 'modbus bus cannot be opened');
          firstRound();
          await sleep(delayMs);
          delayMs = Math.min(delayMs * 2, backoff.maxMs);
          continue;
        }
      }
      const next = devices.reduce((a, b) => (b.dueMs < a.dueMs ? b : a));
      const waitMs = next.dueMs - clock();
      if (waitMs > 0) {
        await sleep(waitMs);
        continue;
      }
      const ok = await pollDevice(client, next);
      next.dueMs = Math.max(next.dueMs + next.spec.pollMs, clock());
      if (++polledOnce === devices.length) firstRound();
      failuresInRow = next.commOk ? 0 : failuresInRow + 1;
      if (!ok || failuresInRow >= REOPEN_AFTER_FAILURES) {
        // A vanished USB adapter or a wedged port often shows up only as silence: start afresh.
        counters.reconnects++;
        failuresInRow = 0;
        await closeClient(client);
        client = undefined;
        await sleep(delayMs);
        delayMs = Math.min(delayMs * 2, backoff.maxMs);
      }
    }
    if (client) await closeClient(client);
  };

  const byBus = new Map<string, DeviceState[]>();
  const now = clock();
  for (const [id, spec] of Object.entries(section.devices)) {
    const blocks = planReads(section.signals.filter((s) => s.device === id));
    if (blocks.length === 0) continue;
    byBus.set(spec.bus, [...(byBus.get(spec.bus) ?? []), { id, spec, blocks, dueMs: now, commOk: undefined }]);
  }
  const firsts: Promise<void>[] = [];
  const loops = [...byBus].map(([busId, devices]) => {
    let signal = () => {};
    firsts.push(new Promise<void>((r) => (signal = r)));
    return runBus(busId, section.buses[busId] as BusSpec, devices, () => signal());
  });
  // The first scan should see values, not a burst of stale readings: wait for one round.
  await Promise.all(firsts);

  return {
    name: 'modbus',
    inputs: section.signals.map((s) => s.name),
    outputs: [],
    read(nowMs) {
      const out = new Map<SignalName, Reading>();
      for (const sig of section.signals) {
        const v = values.get(sig.name);
        const ageMs = v ? Math.max(0, nowMs - v.atMs) : Infinity;
        out.set(sig.name, v && ageMs <= sig.staleMs ? { value: v.value, ageMs } : { value: undefined, reason: 'stale' });
      }
      return out;
    },
    write() {},
    stats: () => Object.fromEntries(COUNTERS.map((k) => [`modbus_${k}`, counters[k]])),
    async close() {
      closed = true;
      for (const w of [...wakers]) w();
      await Promise.all(loops);
    },
  };
}
