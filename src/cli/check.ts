// `twinfeed check-config FILE [--board FILE]`: every error at once as `path: problem (hint)`, then
// the board's warnings (pins with a fixed role, outputs that are on from power-on) in the same form.
import { ConfigInvalid, formatError } from '../config/errors.js';
import { boardWarnings } from '../runtime/board-warnings.js';
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

export { boardWarnings };
