// What a valid board file may still get wrong on its hardware: pins with a fixed role, outputs that
// are on from power-on. `check-config` prints them; `twinfeed run` logs them once at start.
import type { Logger } from 'pino';
import { formatError, type ConfigError } from '../config/errors.js';

/** The board's warnings (it runs, but an operator should know); none for the simulated cabinet. */
export async function boardWarnings(path: string): Promise<ConfigError[]> {
  const { isSimBoard, loadBoardFile } = await import('../drivers/board.js');
  const file = loadBoardFile(path);
  if (isSimBoard(file)) return [];
  const { isPiHeader, piPinWarnings } = await import('../drivers/gpio/header.js');
  const { firmataPinWarnings } = await import('../drivers/firmata/board.js');
  const serialPaths = Object.values(file.modbus.buses).flatMap((b) => ('path' in b ? [b.path] : []));
  return [...(isPiHeader(file.gpio) ? piPinWarnings(file.gpio.signals, serialPaths) : []), ...(file.firmata ? firmataPinWarnings(file.firmata) : [])];
}

/** One pino warn line per warning, in check-config's words, so journald keeps what the installer showed. */
export async function logBoardWarnings(path: string, logger: Logger): Promise<number> {
  const warnings = await boardWarnings(path);
  for (const w of warnings) logger.warn({ board: path, path: w.path }, `board: ${formatError(w)}`);
  return warnings.length;
}
