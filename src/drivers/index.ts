// Opens a hardware board file: loads only the drivers it uses (a cabinet without an Arduino never
// imports johnny-five, one without GPIO never touches onoff) and composes them into one Board.
import type { Logger } from 'pino';
import type { Reading, SignalName } from '../core/types.js';
import { isSimBoard, loadBoardFile, type HardwareBoardFile } from './board.js';
import type { DriverPlugin } from './plugin.js';
import { DRIVERS, type DriverDeps, type DriverName } from './registry.js';
import type { DriverBoard } from './types.js';

export type { DriverBoard } from './types.js';

export interface OpenBoardOptions {
  readonly logger: Logger;
  /** Only these signals are opened (the config's PSU ids, feeds sensed by meter or contact …). */
  readonly signalsNeeded?: readonly SignalName[];
  /** Test seams: device libraries to use instead of the real ones. */
  readonly deps?: DriverDeps;
}

/** The table with its types erased to what the composer needs (each entry still checks its own). */
const plugins = Object.entries(DRIVERS) as [DriverName, DriverPlugin<unknown, unknown>][];

/** Keeps only the signals the caller needs, so an unused pin is never exported or polled. */
function onlyNeeded(file: HardwareBoardFile, needed: readonly string[] | undefined): HardwareBoardFile {
  if (!needed) return file;
  const keep = new Set(needed);
  const sections = Object.fromEntries(plugins.map(([n, p]) => [n, p.only(file[n], keep)]));
  return { ...file, ...sections };
}

async function openParts(file: HardwareBoardFile, opts: OpenBoardOptions, opened: DriverBoard[]): Promise<void> {
  for (const [name, plugin] of plugins) {
    const section: unknown = file[name];
    if (plugin.used(section)) opened.push(await plugin.open(section, { logger: opts.logger, source: file.source, deps: opts.deps?.[name] }));
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
