// `twinfeed plant`: the simulated cabinet in real time as a process of its own (software in the
// loop). Its field devices answer Modbus TCP, one unit id each (sim/plant/devices.ts); HTTP takes
// the same knobs as the sim board (POST /sim) and reports what the plant measured (GET /summary).
// A controller killed and restarted against it finds the breakers where its last image left them.
import { createServer, type Server } from 'node:http';
import ModbusSerial from 'modbus-serial';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { closeCmdSignal, GEN_CONTROL_MODE } from '../core/signals.js';
import type { SignalName } from '../core/types.js';
import { createSimCabinet, setKnobsAtomically } from '../../sim/plant/cabinet.js';
import { applyControlKey } from '../../sim/plant/power.js';
import {
  deviceLayout,
  discreteBits,
  gensetRegister,
  GENCOMM_CONTROL_KEY,
  GENCOMM_REGISTERS,
  meterWords,
  NO_ANSWER,
  UNIT,
  upsWords,
  METER_INPUT_WORDS,
  UPS_HOLDING_WORDS,
} from '../../sim/plant/devices.js';
import { ConfigInvalid } from '../config/errors.js';
import { EX_CONFIG, EX_OK, EX_OSERR } from '../config/exit-codes.js';
import { readBody, send } from './http.js';

export interface PlantOptions {
  readonly config: Config;
  readonly bind: string;
  readonly modbusPort: number;
  readonly httpPort: number;
  readonly seed: number;
  readonly logger: Logger;
  readonly clock?: () => number;
}

export interface Plant {
  close(): Promise<void>;
  /** The summary so far (GET /summary). */
  summary(): Record<string, unknown>;
}

/** Modbus exceptions as modbus-serial's server wants them thrown. */
const fail = (code: number, msg: string) => Object.assign(new Error(msg), { modbusErrorCode: code });
const ILLEGAL_FUNCTION = 0x01;
const ILLEGAL_ADDRESS = 0x02;
const ILLEGAL_VALUE = 0x03;
/** What a Modbus TCP gateway answers for a device behind it that does not respond. */
const TARGET_FAILED = 0x0b;
/** Plant time follows the wall clock at least this often, requests or not (battery, timers). */
const TICK_MS = 50;

export async function startPlant(o: PlantOptions): Promise<Plant> {
  const clock = o.clock ?? Date.now;
  const cabinet = createSimCabinet(o.config, o.seed, clock());
  const layout = deviceLayout(
    o.config.psu.ids,
    o.config.uplinks.links.map((l) => l.id),
  );
  const log = o.logger.child({ subsystem: 'plant' });
  // The coils start as the plant's relays are (preferred feed closed): a controller that starts or
  // restarts against the plant finds them as its own bumpless boot expects.
  const coils = new Map<SignalName, boolean>(layout.coils.map((n) => [n, false]));
  for (const f of ['A', 'B'] as const) coils.set(closeCmdSignal(f), cabinet.state.breakers[f].coil);

  const now = () => {
    const t = clock();
    if (t > cabinet.state.nowMs) cabinet.advance(t);
    return t;
  };
  const inputs = () => cabinet.read(now());
  const words = (unit: number, table: 'input' | 'holding'): number[] => {
    const s = cabinet.state;
    if (table === 'input' && (unit === UNIT.meterA || unit === UNIT.meterB)) {
      const feed = unit === UNIT.meterA ? 'A' : 'B';
      const w = meterWords(inputs(), feed, s.meterComm[feed]);
      if (w === NO_ANSWER) throw fail(TARGET_FAILED, `meter ${feed} does not answer`);
      return w;
    }
    if (table === 'holding' && unit === UNIT.ups) {
      const w = upsWords(inputs(), s.ups.comm);
      if (w === NO_ANSWER) throw fail(TARGET_FAILED, 'UPS does not answer');
      return w;
    }
    if (isDevice(unit)) throw fail(ILLEGAL_FUNCTION, 'no such table on this device');
    throw fail(TARGET_FAILED, `no device at unit ${unit}`);
  };
  const hasGenset = inputs().has(GEN_CONTROL_MODE);
  const isDevice = (unit: number) =>
    unit === UNIT.io || unit === UNIT.meterA || unit === UNIT.meterB || unit === UNIT.ups || (hasGenset && unit === UNIT.genset);
  // The genset controller's registers are sparse (GenComm pages), so it is read address by address.
  const gensetRange = (addr: number, length: number): number[] => {
    const r = inputs();
    return Array.from({ length }, (_, i) => {
      const w = gensetRegister(r, addr + i);
      if (w === undefined) throw fail(ILLEGAL_ADDRESS, `genset controller: no register ${addr + i}`);
      return w;
    });
  };
  const range = (unit: number, table: 'input' | 'holding', addr: number, length: number): number[] => {
    if (hasGenset && unit === UNIT.genset && table === 'holding') return gensetRange(addr, length);
    const all = words(unit, table);
    if (addr + length > all.length) throw fail(ILLEGAL_ADDRESS, `registers ${addr}..${addr + length - 1} are past ${all.length - 1}`);
    return all.slice(addr, addr + length);
  };
  const ioOnly = (unit: number) => {
    if (unit !== UNIT.io) throw fail(isDevice(unit) ? ILLEGAL_FUNCTION : TARGET_FAILED, 'bits live on the I/O module (unit 1)');
    if (!cabinet.state.ioComm) throw fail(TARGET_FAILED, 'the I/O module does not answer (knob io.comm)');
  };
  const bitAt = <T>(xs: readonly T[], addr: number): T => {
    if (addr >= xs.length) throw fail(ILLEGAL_ADDRESS, `point ${addr} is past ${xs.length - 1}`);
    return xs[addr] as T;
  };

  const vector = {
    getCoil: (addr: number, unit: number) => {
      ioOnly(unit);
      return coils.get(bitAt(layout.coils, addr)) === true;
    },
    getDiscreteInput: (addr: number, unit: number) => {
      ioOnly(unit);
      return bitAt(discreteBits(inputs(), layout), addr);
    },
    getInputRegister: (addr: number, unit: number) => range(unit, 'input', addr, 1)[0] as number,
    getHoldingRegister: (addr: number, unit: number) => range(unit, 'holding', addr, 1)[0] as number,
    getMultipleInputRegisters: (addr: number, length: number, unit: number) => range(unit, 'input', addr, length),
    getMultipleHoldingRegisters: (addr: number, length: number, unit: number) => range(unit, 'holding', addr, length),
    setCoil: (addr: number, value: boolean, unit: number) => {
      ioOnly(unit);
      const name = bitAt(layout.coils, addr);
      const t = now();
      if (coils.get(name) === value) return;
      coils.set(name, value);
      // A new image each time: the plant's relay-operation count compares it with the last one.
      cabinet.write(new Map(coils), t);
    },
    // The genset controller's system control key: key and complement in one FC16 at 4104 (GenComm page 16).
    setRegisterArray: (addr: number, values: number[], unit: number) => {
      if (!(hasGenset && unit === UNIT.genset && addr === GENCOMM_CONTROL_KEY)) throw fail(ILLEGAL_FUNCTION, `unit ${unit}: no writable registers at ${addr}`);
      now();
      const [key, complement] = values;
      if (values.length !== 2 || key === undefined || complement === undefined || !applyControlKey(cabinet.state, key, complement))
        throw fail(ILLEGAL_VALUE, `genset controller: ${values.join(', ')} is not a known key and its complement`);
    },
    setRegister: (_addr: number, _value: number, unit: number) => {
      throw fail(ILLEGAL_FUNCTION, `unit ${unit}: the plant has no writable registers`);
    },
  };

  const modbus = new ModbusSerial.ServerTCP(vector, { host: o.bind, port: o.modbusPort, unitID: 255 });
  modbus.on('socketError', (err: unknown) => log.debug({ err: String(err) }, 'Modbus client socket error'));
  await new Promise<void>((resolve, reject) => {
    modbus.once('initialized', () => resolve());
    modbus.once('serverError', (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))));
  });
  cabinet.write(new Map(coils), now());
  const ticker = setInterval(now, TICK_MS);

  const summary = () => ({ atMs: now(), ...cabinet.summary(cabinet.state.nowMs) });
  const http: Server = createServer((req, res) => {
    const route = `${req.method} ${(req.url ?? '/').split('?')[0]}`;
    if (route === 'GET /summary') return send(res, 200, summary());
    if (route === 'GET /devices')
      return send(res, 200, {
        units: UNIT,
        coils: layout.coils,
        discretes: layout.discretes,
        meterInputWords: METER_INPUT_WORDS,
        upsHoldingWords: UPS_HOLDING_WORDS,
        gensetRegisters: hasGenset ? GENCOMM_REGISTERS : null,
      });
    if (route === 'POST /sim') {
      readBody(req).then(
        (body) => {
          if (typeof body !== 'object' || body === null || Array.isArray(body)) return send(res, 400, { error: 'body must be an object of knob: value' });
          now();
          const err = setKnobsAtomically(o.config, o.seed, cabinet, body as Record<string, unknown>);
          log.info({ knobs: body, error: err }, 'plant knobs');
          return err ? send(res, 400, { error: err }) : send(res, 200, { ok: true });
        },
        (e: unknown) => send(res, (e as { status?: number }).status ?? 400, { error: (e as Error).message }),
      );
      return;
    }
    return send(res, 404, { error: 'not found', routes: ['GET /summary', 'GET /devices', 'POST /sim'] });
  });
  http.headersTimeout = 10_000;
  http.requestTimeout = 10_000;
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(o.httpPort, o.bind, () => resolve());
    });
  } catch (e) {
    clearInterval(ticker);
    await new Promise<void>((r) => modbus.close(() => r()));
    throw e;
  }

  return {
    summary,
    async close() {
      clearInterval(ticker);
      await new Promise<void>((r) => http.close(() => r()));
      await new Promise<void>((r) => modbus.close(() => r()));
    },
  };
}

export interface RunPlantOptions {
  readonly config: string | undefined;
  readonly bind: string;
  readonly modbusPort: number;
  readonly httpPort: number;
  readonly seed: number;
}

/** The `twinfeed plant` command: runs until SIGINT/SIGTERM (exit 0); 78 bad config, 71 a port in use. */
export async function runPlant(opts: RunPlantOptions): Promise<number> {
  const { loadConfig } = await import('../config/load.js');
  const { pino } = await import('pino');
  const logger = pino({ base: { app: 'twinfeed-plant' }, level: process.stdout.isTTY ? 'warn' : 'info' });
  let config: Config;
  try {
    config = loadConfig(opts.config).config;
  } catch (e) {
    if (!(e instanceof ConfigInvalid)) throw e;
    process.stderr.write(e.message + '\n');
    return EX_CONFIG;
  }
  let plant: Plant;
  try {
    plant = await startPlant({ config, bind: opts.bind, modbusPort: opts.modbusPort, httpPort: opts.httpPort, seed: opts.seed, logger });
  } catch (e) {
    process.stderr.write(`twinfeed plant: cannot listen: ${(e as Error).message} (change --modbus-port / --http-port)\n`);
    return EX_OSERR;
  }
  process.stdout.write(
    `twinfeed plant: Modbus TCP ${opts.bind}:${opts.modbusPort} (units: 1 I/O, 2 meter A, 3 meter B, 4 UPS, 5 genset controller where a feed is a generator), HTTP http://${opts.bind}:${opts.httpPort}/summary — Ctrl-C stops\n`,
  );
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
  await plant.close();
  return EX_OK;
}
