// What a user sees when a config or board file is refused: its `path: problem (hint)` lines. One
// helper for every test that asserts those lines (none when the file is accepted).
import { validateConfig } from '../src/config/load.js';
import { ConfigInvalid, formatError } from '../src/config/errors.js';
import { validateBoard } from '../src/drivers/board.js';

export function errorLines(validate: () => unknown): string[] {
  try {
    validate();
    return [];
  } catch (err) {
    if (err instanceof ConfigInvalid) return err.errors.map(formatError);
    throw err;
  }
}

export const configErrorLines = (raw: unknown, source = 'test.yaml'): string[] => errorLines(() => validateConfig(raw, source));
export const boardErrorLines = (raw: unknown, source = 'test.yaml'): string[] => errorLines(() => validateBoard(raw, source));
