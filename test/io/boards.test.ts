// Every board file shipped in boards/ must validate: they are the examples installers copy.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSimBoard, loadBoardFile, type HardwareBoardFile } from '../../src/drivers/board.js';

const dir = join(import.meta.dirname, '..', '..', 'boards');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'sim.yaml');

describe('shipped board files', () => {
  it('there are hardware board files to check', () => {
    expect(files).toEqual(expect.arrayContaining(['rpi4-gpio-modbus.yaml', 'arduino-firmata.yaml']));
  });

  it.each(files)('%s validates and maps both breakers', (f) => {
    const board = loadBoardFile(join(dir, f));
    expect(isSimBoard(board)).toBe(false);
    const hw = board as HardwareBoardFile;
    const names = [...hw.gpio.signals, ...(hw.firmata?.signals ?? []), ...(hw.firmata?.analog ?? []), ...hw.modbus.signals].map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['breaker.A.closeCmd', 'breaker.B.closeCmd', 'breaker.A.closedFb', 'breaker.B.closedFb']));
  });
});
