// Board files: YAML that maps logical signals to a driver and a pin or register. Validation
// reports every problem at once as `path: problem (hint)`, like the config (exit 78).
import type { z } from 'zod';
import { ConfigInvalid, zodErrors, type ConfigError } from '../config/errors.js';
import { readYamlFile } from '../config/yaml.js';
import { hintFrom, resolveSignal, type Resolved } from './board-resolve.js';
import {
  boardTopSchema,
  busSchema,
  deviceSchema,
  signalEntrySchema,
  type BoardFile,
  type HardwareBoardFile,
  type SimBoardFile,
} from './board-schema.js';

export type * from './board-schema.js';

export const isSimBoard = (file: BoardFile): file is SimBoardFile => file.driver === 'sim';

/** Parses each entry of a map on its own, so one bad entry does not hide the others' errors. */
function parseEach<S extends z.ZodType>(schema: S, raw: Record<string, unknown>, prefix: string, errors: ConfigError[]): Map<string, z.output<S>> {
  const out = new Map<string, z.output<S>>();
  for (const [key, value] of Object.entries(raw)) {
    const r = schema.safeParse(value ?? {});
    if (r.success) out.set(key, r.data);
    else errors.push(...zodErrors(schema, r.error, `${prefix}.${key}`));
  }
  return out;
}

/** Validates a board file's data; throws ConfigInvalid listing every error. */
export function validateBoard(raw: unknown, source: string): BoardFile {
  const top = boardTopSchema.safeParse(raw ?? {});
  if (!top.success) throw new ConfigInvalid(zodErrors(boardTopSchema, top.error), source);
  const t = top.data;
  const errors: ConfigError[] = [];
  const err = (path: string, problem: string, hint?: string) => errors.push(hint ? { path, problem, hint } : { path, problem });

  if (t.driver === 'sim') {
    if (t.signals && Object.keys(t.signals).length > 0) err('signals', 'a sim board maps no signals', 'remove "signals:" or choose a hardware driver');
    if (errors.length) throw new ConfigInvalid(errors, source);
    return { name: t.name, driver: 'sim', source };
  }
  const buses = parseEach(busSchema, t.modbus.buses, 'modbus.buses', errors);
  const devices = parseEach(deviceSchema, t.modbus.devices, 'modbus.devices', errors);
  const entries = parseEach(signalEntrySchema, t.signals ?? {}, 'signals', errors);
  if (!t.signals || Object.keys(t.signals).length === 0) err('signals', 'no signals mapped', 'map at least breaker.A.closedFb, breaker.B.closedFb and the close commands');

  const unitIds = new Map<string, string>();
  for (const [id, d] of devices) {
    if (!buses.has(d.bus)) err(`modbus.devices.${id}.bus`, `no bus "${d.bus}"`, hintFrom(d.bus, [...buses.keys()], 'modbus.buses'));
    const key = `${d.bus}/${d.unitId}`;
    const clash = unitIds.get(key);
    if (clash) err(`modbus.devices.${id}.unitId`, `unit ${d.unitId} is already device "${clash}" on bus "${d.bus}"`, 'each device on a bus needs its own unitId');
    unitIds.set(key, id);
    if (d.timeoutMs >= d.pollMs) err(`modbus.devices.${id}.timeoutMs`, 'timeout is not shorter than the poll period', 'lower timeoutMs or raise pollMs');
  }

  const out: Resolved = { gpio: [], firmata: [], analog: [], modbus: [], pinsUsed: new Map() };
  const ctx = { defaultDriver: t.driver, gpioStaleMs: t.gpio.staleMs, devices, err, out };
  for (const [name, e] of entries) resolveSignal(name, e, ctx);
  const { gpio, firmata, analog, modbus } = out;
  if ((firmata.length > 0 || analog.length > 0) && !t.firmata) err('firmata', 'missing', 'signals use driver firmata: give firmata: { path: /dev/ttyACM0 }');
  if (errors.length) throw new ConfigInvalid(errors, source);

  const file: HardwareBoardFile = {
    name: t.name,
    driver: t.driver,
    source,
    gpio: { chip: t.gpio.chip, base: t.gpio.base, refreshMs: t.gpio.refreshMs, signals: gpio },
    firmata: t.firmata ? { ...t.firmata, signals: firmata, analog } : undefined,
    modbus: { buses: Object.fromEntries(buses), devices: Object.fromEntries(devices), signals: modbus },
  };
  return file;
}

/** Loads and validates a board file; throws ConfigInvalid (exit EX_CONFIG) with every error. */
export function loadBoardFile(path: string): BoardFile {
  const raw = readYamlFile(path);
  if (raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new ConfigInvalid([{ path: '', problem: 'the file is not a mapping of keys', hint: 'start with "name:" and "signals:"' }], path);
  }
  return validateBoard(raw, path);
}
