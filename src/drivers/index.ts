// Opens a hardware board file: loads only the drivers it names (a cabinet without an Arduino never
// imports johnny-five, one without GPIO never touches onoff) and composes them into one Board.
import type { Logger } from 'pino';
import type { Reading, SignalName } from '../core/types.js';
import { isSimBoard, loadBoardFile, type HardwareBoardFile } from '../io/board.js';
import type { FirmataDeps } from './firmata.js';
import type { GpioDeps } from './gpio.js';
import type { ModbusDeps } from './modbus-rtu.js';
import type { DriverBoard } from './types.js';

export type { DriverBoard } from './types.js';

export interface OpenBoardOptions {
  readonly logger: Logger;
  /** Only these signals are opened (the config's PSU ids, feeds sensed by meter or contact …). */
  readonly signalsNeeded?: readonly string[];
  /** Test seams: device libraries to use instead of the real ones. */
  readonly deps?: {
    readonly gpio?: Partial<Omit<GpioDeps, 'logger'>>;
    readonly firmata?: Partial<Omit<FirmataDeps, 'logger'>>;
    readonly modbus?: Partial<Omit<ModbusDeps, 'logger'>>;
  };
}

/** Keeps only the signals the caller needs, so an unused pin is never exported or polled. */
function onlyNeeded(file: HardwareBoardFile, needed: readonly string[] | undefined): HardwareBoardFile {
  if (!needed) return file;
  const keep = new Set(needed);
  const pick = <T extends { name: string }>(xs: readonly T[]) => xs.filter((x) => keep.has(x.name));
  return {
    ...file,
    gpio: { ...file.gpio, signals: pick(file.gpio.signals) },
    firmata: file.firmata && { ...file.firmata, signals: pick(file.firmata.signals), analog: pick(file.firmata.analog) },
    modbus: { ...file.modbus, signals: pick(file.modbus.signals) },
  };
}

async function openParts(file: HardwareBoardFile, opts: OpenBoardOptions, opened: DriverBoard[]): Promise<void> {
  const logger = opts.logger;
  if (file.gpio.signals.length > 0) {
    const { openGpio } = await import('./gpio.js');
    const Gpio = opts.deps?.gpio?.Gpio ?? (await import('onoff')).Gpio;
    opened.push(openGpio(file.gpio, file.source, { ...opts.deps?.gpio, Gpio, logger }));
  }
  if (file.firmata && (file.firmata.signals.length > 0 || file.firmata.analog.length > 0)) {
    const { openFirmata } = await import('./firmata.js');
    opened.push(await openFirmata(file.firmata, { ...opts.deps?.firmata, logger }));
  }
  if (file.modbus.signals.length > 0) {
    const { openModbus } = await import('./modbus-rtu.js');
    opened.push(await openModbus(file.modbus, { ...opts.deps?.modbus, logger }));
  }
}

/** Composes driver boards: reads merge, every driver sees the full output image, close closes all. */
export function composeBoards(name: string, parts: readonly DriverBoard[]): DriverBoard {
  return {
    name,
    inputs: parts.flatMap((p) => p.inputs),
    outputs: parts.flatMap((p) => p.outputs),
    read(nowMs) {
      const out = new Map<SignalName, Reading>();
      for (const p of parts) for (const [k, v] of p.read(nowMs)) out.set(k, v);
      return out;
    },
    write(image, nowMs) {
      for (const p of parts) p.write(image, nowMs);
    },
    onInputChange(listener) {
      const offs = parts.map((p) => p.onInputChange?.(listener));
      return () => offs.forEach((off) => off?.());
    },
    stats: () => Object.assign({}, ...parts.map((p) => p.stats?.() ?? {})) as Record<string, number>,
    async close() {
      await Promise.allSettled(parts.map((p) => p.close()));
    },
  };
}

/** Opens the board file at `path` (a hardware board; the sim board is the runtime's business). */
export async function openHardwareBoard(path: string, opts: OpenBoardOptions): Promise<DriverBoard> {
  const file = loadBoardFile(path);
  if (isSimBoard(file)) throw new Error(`${path}: this is the simulated plant (driver: sim), not hardware`);
  const log = opts.logger.child({ board: file.name });
  const selected = onlyNeeded(file, opts.signalsNeeded);
  const opened: DriverBoard[] = [];
  try {
    await openParts(selected, { ...opts, logger: log }, opened);
  } catch (err) {
    // Leave nothing half-open: a failed start must not hold the serial port or GPIOs.
    await Promise.allSettled(opened.map((p) => p.close()));
    throw err;
  }
  const board = composeBoards(file.name, opened);
  const provided = new Set([...board.inputs, ...board.outputs]);
  const missing = (opts.signalsNeeded ?? []).filter((s) => !provided.has(s));
  if (missing.length > 0) log.warn({ missing }, 'board file maps none of these signals; the controller sees them as absent');
  log.info({ inputs: board.inputs.length, outputs: board.outputs.length }, 'board opened');
  return board;
}
