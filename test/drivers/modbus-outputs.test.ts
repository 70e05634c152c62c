// The modbus driver's coil outputs and TCP buses on a fake modbus-serial client: nothing before the
// first image, a change at once, neighbours in one FC15, the whole image again every refreshMs, a
// failed write counted and logged (never thrown) and healed, and a TCP connection that drops reopened.
import { describe, expect, it, vi } from 'vitest';
import type { ModbusSection } from '../../src/drivers/board.js';
import { fakeModbusBus, modbusBoards, modbusSignal, slave, type FakeSlave } from './fake-modbus.js';
import { quietLogger, recordingLogger } from './fakes.js';
import type { SignalName } from '../../src/core/signals.js';

const out = (name: SignalName, register: number) => modbusSignal({ name, direction: 'out', kind: 'bool', device: 'io', table: 'coil', register });
const section: ModbusSection = {
  buses: { gw: { host: '127.0.0.1', port: 5020, connectTimeoutMs: 1000 } },
  devices: { io: { bus: 'gw', unitId: 1, pollMs: 500, timeoutMs: 200, staleMs: 2000, refreshMs: 1000 } },
  signals: [
    modbusSignal({ name: 'breaker.A.closedFb', kind: 'bool', device: 'io', table: 'discrete', register: 0 }),
    out('breaker.A.closeCmd', 0),
    out('breaker.B.closeCmd', 1),
    out('generator.start', 2),
    out('alarm.common', 7),
  ],
};
const image = (on: Partial<Record<SignalName, boolean>>) => new Map(Object.entries(on) as [SignalName, boolean][]);
const ALL_OFF = { 'breaker.A.closeCmd': false, 'breaker.B.closeCmd': false, 'generator.start': false, 'alarm.common': false };
const writes = (bus: ReturnType<typeof fakeModbusBus>) => bus.log.requests.filter((r) => r.includes('write'));

const openBoard = modbusBoards(section);
async function start(io: FakeSlave, logger = quietLogger()) {
  const bus = fakeModbusBus({ 1: io });
  return { bus, board: await openBoard(bus, logger) };
}

describe('modbus coil outputs over TCP', () => {
  it('connects to host:port and writes no coil before the first image', async () => {
    const io = slave({ discrete: [true] });
    const { bus, board } = await start(io);
    expect(bus.log.connectedTo).toEqual(['127.0.0.1:5020']);
    expect(board.outputs).toEqual(['breaker.A.closeCmd', 'breaker.B.closeCmd', 'generator.start', 'alarm.common']);
    await vi.advanceTimersByTimeAsync(3000);
    expect(writes(bus)).toEqual([]);
    expect(board.read(Date.now()).get('breaker.A.closedFb')).toMatchObject({ value: true });
  });

  it('writes the first image with FC15 for neighbouring coils and FC5 for a lone one, then only changes', async () => {
    const io = slave();
    const { bus, board } = await start(io);
    board.write(image({ ...ALL_OFF, 'breaker.A.closeCmd': true }), Date.now());
    await vi.advanceTimersByTimeAsync(0);
    expect(writes(bus)).toEqual(['1:write-coils@0+3', '1:write-coils@7+1']);
    expect([io.coils[0], io.coils[1], io.coils[2], io.coils[7]]).toEqual([true, false, false, false]);
    board.write(image({ ...ALL_OFF, 'breaker.A.closeCmd': true }), Date.now() + 100);
    await vi.advanceTimersByTimeAsync(100);
    expect(writes(bus)).toHaveLength(2); // unchanged and not yet due: nothing on the wire
    board.write(image({ ...ALL_OFF, 'alarm.common': true }), Date.now());
    await vi.advanceTimersByTimeAsync(0);
    expect(writes(bus).slice(2)).toEqual(['1:write-coils@0+1', '1:write-coils@7+1']);
    expect(io.coils[0]).toBe(false);
    expect(io.coils[7]).toBe(true);
  });

  it('re-writes the whole image every refreshMs, so a relay changed behind its back is put back', async () => {
    const io = slave();
    const { bus, board } = await start(io);
    board.write(image({ ...ALL_OFF, 'breaker.A.closeCmd': true }), Date.now());
    io.coils[0] = false; // someone else's write, or a module that restarted
    for (let t = 0; t < 10; t++) {
      await vi.advanceTimersByTimeAsync(100);
      board.write(image({ ...ALL_OFF, 'breaker.A.closeCmd': true }), Date.now());
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(io.coils[0]).toBe(true);
    expect(writes(bus)).toHaveLength(4);
  });

  it('leaves a coil that is missing from the image as it is', async () => {
    const io = slave({ coils: [false, false, true] });
    const { board } = await start(io);
    board.write(image({ 'breaker.A.closeCmd': true }), Date.now());
    await vi.advanceTimersByTimeAsync(2000);
    expect(io.coils.slice(0, 3)).toEqual([true, false, true]);
  });

  it('counts and logs a failed write once, never throws, and writes again when the module answers', async () => {
    const { logger, lines } = recordingLogger();
    const io = slave({ mode: 'timeout' });
    const { board } = await start(io, logger);
    for (let t = 0; t < 5; t++) {
      expect(() => board.write(image({ ...ALL_OFF, 'breaker.B.closeCmd': true }), Date.now())).not.toThrow();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(board.stats?.().modbus_writeFailures).toBeGreaterThanOrEqual(5);
    expect(lines.filter((l) => l.msg === 'modbus coil write failed')).toHaveLength(1);
    io.mode = 'ok';
    board.write(image({ ...ALL_OFF, 'breaker.B.closeCmd': true }), Date.now());
    await vi.advanceTimersByTimeAsync(0);
    expect(io.coils.slice(0, 2)).toEqual([false, true]);
    expect(lines.some((l) => l.msg === 'modbus coil writes work again')).toBe(true);
  });

  it('reconnects a dropped TCP connection with backoff and writes the image again at once', async () => {
    const io = slave();
    const { bus, board } = await start(io);
    board.write(image({ ...ALL_OFF, 'breaker.A.closeCmd': true }), Date.now());
    io.mode = 'portGone';
    bus.log.failConnects = 1;
    await vi.advanceTimersByTimeAsync(600);
    expect(board.stats?.().modbus_reconnects).toBe(1);
    io.mode = 'ok';
    io.coils[0] = false; // the I/O module restarted with its relays dropped
    await vi.advanceTimersByTimeAsync(1000 + 2000);
    expect(bus.log.connects).toBe(2);
    expect(io.coils[0]).toBe(true);
  });

  it('does not write on close(): the relays stay as they are', async () => {
    const io = slave();
    const { bus, board } = await start(io);
    board.write(image({ ...ALL_OFF, 'breaker.A.closeCmd': true }), Date.now());
    await vi.advanceTimersByTimeAsync(0);
    const n = writes(bus).length;
    await board.close();
    await vi.advanceTimersByTimeAsync(5000);
    expect(writes(bus)).toHaveLength(n);
    expect(io.coils[0]).toBe(true);
  });
});
