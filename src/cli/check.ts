// `twinfeed check-config FILE [--board FILE]`: every error at once as `path: problem (hint)`, then
// the board's warnings (pins with a fixed role, outputs that are on from power-on) in the same form.
import { ConfigInvalid, formatError, type ConfigError } from '../config/errors.js';
import { EX_CONFIG, EX_OK } from '../config/exit-codes.js';
import { loadConfig } from '../config/load.js';

type Out = { out: (line: string) => void; err: (line: string) => void };

export async function checkConfig(path: string, board: string | undefined, io: Out): Promise<number> {
  try {
    const { config } = loadConfig(path);
    if (board) {
      const { checkBoardFile } = await import('../runtime/boards.js');
      await checkBoardFile(board, config);
      const warnings = await boardWarnings(board);
      if (warnings.length > 0) io.err(`${board}: ${warnings.length} warning(s)`);
      for (const w of warnings) io.err(`  ${formatError(w)}`);
    }
    io.out(`${path}: valid${board ? ` (with board ${board})` : ''}`);
    return EX_OK;
  } catch (e) {
    if (!(e instanceof ConfigInvalid)) throw e;
    for (const line of e.message.split('\n')) io.err(line);
    return EX_CONFIG;
  }
}

/** What a valid board file may still get wrong on its hardware (it runs, but an operator should know). */
export async function boardWarnings(path: string): Promise<ConfigError[]> {
  const { isSimBoard, loadBoardFile } = await import('../drivers/board.js');
  const file = loadBoardFile(path);
  if (isSimBoard(file)) return [];
  const { isPiHeader, piPinWarnings } = await import('../drivers/gpio/header.js');
  const { firmataPinWarnings } = await import('../drivers/firmata/board.js');
  const serialPaths = Object.values(file.modbus.buses).flatMap((b) => ('path' in b ? [b.path] : []));
  return [...(isPiHeader(file.gpio) ? piPinWarnings(file.gpio.signals, serialPaths) : []), ...(file.firmata ? firmataPinWarnings(file.firmata) : [])];
}
