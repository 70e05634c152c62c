// `twinfeed run` logs the board's pin warnings once at start, as pino warn lines in check-config's
// words: on the shipped Pi 4 board, the active-low relays that are on from power-on.
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { boardWarnings, logBoardWarnings } from '../../src/runtime/board-warnings.js';
import { formatError } from '../../src/config/errors.js';

const ROOT = join(import.meta.dirname, '..', '..');

function capture(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const out: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out.push(chunk.toString());
      cb();
    },
  });
  return {
    logger: pino({ level: 'info' }, sink),
    lines: () =>
      out
        .join('')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('board warnings at run start', () => {
  it('logs each check-config warning of the Pi 4 board as one warn line, with the fix', async () => {
    const board = join(ROOT, 'boards', 'rpi4-gpio-modbus.yaml');
    const { logger, lines } = capture();
    const n = await logBoardWarnings(board, logger);
    const expected = (await boardWarnings(board)).map((w) => `board: ${formatError(w)}`);
    expect(n).toBeGreaterThanOrEqual(4);
    expect(lines().map((l) => [l.level, l.msg])).toEqual(expected.map((m) => [40, m]));
    expect(lines().some((l) => String(l.msg).includes('signals.breaker.A.closeCmd.pin') && String(l.msg).includes('gpio=26,20,21,25=op,dh'))).toBe(true);
  });

  it('logs nothing for the simulated cabinet', async () => {
    const { logger, lines } = capture();
    expect(await logBoardWarnings(join(ROOT, 'boards', 'sim.yaml'), logger)).toBe(0);
    expect(lines()).toEqual([]);
  });
});
