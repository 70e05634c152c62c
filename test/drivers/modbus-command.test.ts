// An output mapped to a command register (dse-gencomm systemControlKey): the key for the wanted state
// and its one's complement in ONE FC16, only when the commanded state changes (never as a refresh, nor
// again after a reconnect), and a failed write counted, logged once and tried again with the next image.
import { describe, expect, it, vi } from 'vitest';
import type { ModbusSection } from '../../src/drivers/board.js';
import type { SignalName } from '../../src/core/signals.js';
import { fakeModbusBus, modbusBoards, modbusSignal, slave, type FakeSlave } from './fake-modbus.js';
import { quietLogger, recordingLogger } from './fakes.js';
import { isSimBoard, validateBoard } from '../../src/drivers/board.js';
import { boardErrorLines } from '../error-lines.js';

const section: ModbusSection = {
  buses: { gw: { host: '127.0.0.1', port: 5020, connectTimeoutMs: 1000 } },
  devices: { genset: { bus: 'gw', unitId: 5, pollMs: 500, timeoutMs: 200, staleMs: 2000, refreshMs: 1000 } },
  signals: [
    modbusSignal({ name: 'generator.controlMode', kind: 'number', device: 'genset', table: 'holding', register: 772 }),
    modbusSignal({
      name: 'generator.start',
      direction: 'out',
      kind: 'bool',
      device: 'genset',
      table: 'holding',
      register: 4104,
      command: { on: 35732, off: 35733 },
    }),
  ],
};
const image = (on: boolean) => new Map<SignalName, boolean>([['generator.start', on]]);
const writes = (bus: ReturnType<typeof fakeModbusBus>) => bus.log.requests.filter((r) => r.includes('write'));

const openBoard = modbusBoards(section);
async function start(genset: FakeSlave, logger = quietLogger()) {
  const bus = fakeModbusBus({ 5: genset });
  return { bus, board: await openBoard(bus, logger) };
}

describe('modbus command outputs (GenComm system control key)', () => {
  it('writes key and complement in one FC16 on each change of the commanded state, and nothing as a refresh', async () => {
    const g = slave({ holding: Object.assign([], { 772: 1 }) });
    const { bus, board } = await start(g);
    expect(writes(bus)).toEqual([]);
    board.write(image(false), Date.now());
    await vi.advanceTimersByTimeAsync(0);
    expect(writes(bus)).toEqual(['5:write-registers@4104=35733,29802']);
    for (let i = 0; i < 5; i++) {
      board.write(image(false), Date.now());
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(writes(bus)).toHaveLength(1);
    board.write(image(true), Date.now());
    await vi.advanceTimersByTimeAsync(0);
    expect(writes(bus).slice(1)).toEqual(['5:write-registers@4104=35732,29803']);
    expect([g.holding[4104], g.holding[4105]]).toEqual([35732, 29803]);
    expect(board.stats?.()).toMatchObject({ modbus_writes: 2, modbus_writeFailures: 0 });
  });

  it('counts and logs a failed command once, sends it again with the next image, and not again after it landed', async () => {
    const g = slave();
    const rec = recordingLogger();
    const { bus, board } = await start(g, rec.logger);
    g.mode = 'timeout';
    board.write(image(true), Date.now());
    await vi.advanceTimersByTimeAsync(300);
    board.write(image(true), Date.now());
    await vi.advanceTimersByTimeAsync(300);
    expect(board.stats?.()).toMatchObject({ modbus_writeFailures: 2 });
    expect(rec.lines.filter((l) => l.msg === 'modbus command write failed')).toHaveLength(1);
    g.mode = 'ok';
    board.write(image(true), Date.now());
    await vi.advanceTimersByTimeAsync(300);
    expect(g.holding[4104]).toBe(35732);
    const sent = writes(bus).length;
    board.write(image(true), Date.now());
    await vi.advanceTimersByTimeAsync(3000);
    expect(writes(bus)).toHaveLength(sent);
  });
});

describe('mapping an output to a command register', () => {
  const board = (start: object) => ({
    name: 'g',
    driver: 'modbus',
    modbus: { buses: { gw: { host: '127.0.0.1', port: 502 } }, devices: { genset: { bus: 'gw', unitId: 5, profile: 'dse-gencomm' } } },
    signals: { 'generator.start': { device: 'genset', ...start } },
  });

  it('takes the profile point with on/off keys, and carries them to the driver', () => {
    expect(boardErrorLines(board({ point: 'systemControlKey' }))).toEqual([]);
    const resolved = validateBoard(board({ point: 'systemControlKey' }), 'test.yaml');
    const signals = isSimBoard(resolved) ? [] : resolved.modbus.signals;
    expect(signals.find((s) => s.name === 'generator.start')).toMatchObject({
      table: 'holding',
      register: 4104,
      command: { on: 35732, off: 35733 },
    });
  });

  it('refuses an output on a register that is not a command register', () => {
    expect(boardErrorLines(board({ point: 'controlMode' }))).toEqual([
      'signals.generator.start.point: "controlMode" is not a command register an output can drive (map the output to a coil, or to a point with on/off commands (twinfeed profiles))',
    ]);
  });
});
