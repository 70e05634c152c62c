// The Modbus master (modbus-serial 8 over serialport 13 or a TCP socket): one loop per bus polls its
// devices and writes the controller's coils, keeps every value with its time, and turns trouble
// into counted, logged staleness — never a throw into the scan.
import type { Logger } from 'pino';
import type { Reading, SignalName } from '../../core/types.js';
import type { BusSpec, ModbusSection } from './board.js';
import { defaultFactory, type ModbusClientFactory } from './client.js';
import { planReads } from './decode.js';
import { COUNTERS, startBusLink, type Counters, type DeviceState } from './link.js';
import type { OutputImage } from './outputs.js';
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

export async function openModbus(section: ModbusSection, deps: ModbusDeps): Promise<DriverBoard> {
  const log = deps.logger.child({ driver: 'modbus' });
  const clock = deps.clock ?? Date.now;
  const counters = Object.fromEntries(COUNTERS.map((k) => [k, 0])) as Counters;
  const values = new Map<SignalName, { value: boolean | number; atMs: number }>();
  const image: OutputImage = { desired: new Map(), latches: new Map() };
  const inputs = section.signals.filter((s) => s.direction === 'in');
  const outputs = section.signals.filter((s) => s.direction === 'out');
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
  const ctx = {
    log,
    clock,
    backoff: deps.backoff ?? { minMs: 1000, maxMs: 30_000 },
    createClient: deps.createClient ?? (await defaultFactory()),
    counters,
    values,
    image,
    sleep,
    closed: () => closed,
  };

  const byBus = new Map<string, DeviceState[]>();
  const now = clock();
  for (const [id, spec] of Object.entries(section.devices)) {
    const blocks = planReads(inputs.filter((s) => s.device === id));
    const coils = outputs.filter((s) => s.device === id);
    if (blocks.length === 0 && coils.length === 0) continue;
    byBus.set(spec.bus, [...(byBus.get(spec.bus) ?? []), { id, spec, blocks, coils, dueMs: now, commOk: undefined, writeOk: undefined }]);
  }
  const firsts: Promise<void>[] = [];
  const links = [...byBus].map(([busId, devices]) => {
    let signal = () => {};
    firsts.push(new Promise<void>((r) => (signal = r)));
    return startBusLink(busId, section.buses[busId] as BusSpec, devices, ctx, () => signal());
  });
  // The first scan should see values, not a burst of stale readings: wait for one round.
  await Promise.all(firsts);

  return {
    name: 'modbus',
    inputs: inputs.map((s) => s.name),
    outputs: outputs.map((s) => s.name),
    read(nowMs) {
      const out = new Map<SignalName, Reading>();
      for (const sig of inputs) {
        const v = values.get(sig.name);
        const ageMs = v ? Math.max(0, nowMs - v.atMs) : Infinity;
        out.set(sig.name, v && ageMs <= sig.staleMs ? { value: v.value, ageMs } : { value: undefined, reason: 'stale' });
      }
      return out;
    },
    write(next) {
      // A signal missing from the image is left as it is rather than guessed.
      for (const s of outputs) {
        const on = next.get(s.name);
        if (on !== undefined) image.desired.set(s.name, on);
      }
      for (const l of links) l.kick();
    },
    stats: () => Object.fromEntries(COUNTERS.map((k) => [`modbus_${k}`, counters[k]])),
    async close() {
      // The coils stay as last written: a restart must not drop a closed contactor.
      closed = true;
      for (const w of [...wakers]) w();
      await Promise.all(links.map((l) => l.done));
    },
  };
}
