import { describe, expect, it, vi } from 'vitest';
import { classifyError } from '../../src/drivers/modbus/master.js';
import type { ModbusSection, ModbusSignal } from '../../src/drivers/board.js';
import { fakeModbusBus, modbusBoards, modbusSignal, slave } from './fake-modbus.js';
import { recordingLogger } from './fakes.js';
import type { SignalName } from '../../src/core/signals.js';

const sig = (name: SignalName, device: string, over: Partial<ModbusSignal> = {}): ModbusSignal => modbusSignal({ name, device, staleMs: 2000, ...over });

const cabinet: ModbusSection = {
  buses: { rs485: { path: '/dev/ttyUSB0', baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 } },
  devices: {
    meterA: { bus: 'rs485', unitId: 1, pollMs: 500, timeoutMs: 200, staleMs: 2000, refreshMs: 1000 },
    ups: { bus: 'rs485', unitId: 2, pollMs: 1000, timeoutMs: 200, staleMs: 2000, refreshMs: 1000 },
  },
  signals: [
    sig('feed.A.voltage', 'meterA', { type: 'float32' }),
    sig('feed.A.frequency', 'meterA', { register: 2, scale: 0.01 }),
    sig('ups.onBattery', 'ups', { kind: 'bool', table: 'discrete' }),
    sig('ups.chargePct', 'ups', { table: 'input', register: 4 }),
  ],
};

const start = modbusBoards(cabinet);

describe('Modbus RTU poller', () => {
  it('polls every device on its period and hands the core decoded values with their age', async () => {
    const bus = fakeModbusBus({ 1: slave({ holding: [0x4366, 0x8000, 4998] }), 2: slave({ discrete: [true], input: [0, 0, 0, 0, 87] }) });
    const board = await start(bus);
    await vi.advanceTimersByTimeAsync(100);
    const r = board.read(Date.now());
    expect(r.get('feed.A.voltage')).toEqual({ value: 230.5, ageMs: 100 });
    expect(r.get('feed.A.frequency')).toMatchObject({ value: 49.98 });
    expect(r.get('ups.onBattery')).toMatchObject({ value: true });
    expect(r.get('ups.chargePct')).toMatchObject({ value: 87 });
    // the meter and its two values are one request; the UPS has two tables, so two requests
    expect(bus.log.requests.slice(0, 3)).toEqual(['1:holding@0+3', '2:input@4+1', '2:discrete@0+1']);
    await vi.advanceTimersByTimeAsync(2000);
    const polls = bus.log.requests.filter((q) => q.startsWith('1:')).length;
    expect(polls).toBe(5); // t = 0, 500, 1000, 1500, 2000
  });

  it('makes a silent device stale after staleMs, logs it once, and recovers when it answers', async () => {
    const { logger, lines } = recordingLogger();
    const meter = slave({ holding: [0x4366, 0x8000, 5000] });
    const bus = fakeModbusBus({ 1: meter, 2: slave() });
    const board = await start(bus, logger);
    meter.mode = 'timeout';
    await vi.advanceTimersByTimeAsync(1900);
    expect(board.read(Date.now()).get('feed.A.voltage')?.value).toBe(230.5); // 1.9 s old: still trusted
    await vi.advanceTimersByTimeAsync(200);
    expect(board.read(Date.now()).get('feed.A.voltage')).toEqual({ value: undefined, reason: 'stale' });
    expect(board.read(Date.now()).get('ups.onBattery')?.value).toBe(false); // the other device is unaffected
    expect(board.stats?.().modbus_timeout).toBeGreaterThanOrEqual(4);
    expect(lines.filter((l) => l.msg.startsWith('modbus device not answering'))).toHaveLength(1);
    meter.mode = 'ok';
    await vi.advanceTimersByTimeAsync(500);
    expect(board.read(Date.now()).get('feed.A.voltage')?.value).toBe(230.5);
    expect(lines.some((l) => l.msg === 'modbus device answering again' && l.device === 'meterA')).toBe(true);
  });

  it('counts CRC errors without throwing into the scan', async () => {
    const meter = slave({ holding: [0x4366, 0x8000, 5000], mode: 'crc' });
    const board = await start(fakeModbusBus({ 1: meter, 2: slave() }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(board.stats?.().modbus_crc).toBe(3);
    expect(board.read(Date.now()).get('feed.A.voltage')).toEqual({ value: undefined, reason: 'stale' });
  });

  it('retries an adapter that cannot be opened with growing backoff, then polls', async () => {
    const bus = fakeModbusBus({ 1: slave({ holding: [0x4366, 0x8000, 5000] }), 2: slave() });
    bus.log.failConnects = 3;
    const board = await start(bus);
    expect(board.read(Date.now()).get('feed.A.voltage')).toEqual({ value: undefined, reason: 'stale' });
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 3999);
    expect(bus.log.connects).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(bus.log.connects).toBe(1);
    expect(board.read(Date.now()).get('feed.A.voltage')?.value).toBe(230.5);
  });

  it('logs a bus that cannot be opened once per spell, not at every retry, and says when it opens', async () => {
    const bus = fakeModbusBus({ 1: slave({ holding: [0x4366, 0x8000, 5000] }), 2: slave() });
    bus.log.failConnects = 5;
    const { logger, lines } = recordingLogger();
    await start(bus, logger);
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000 + 8000 + 8000 + 1);
    expect(bus.log.connects).toBe(1);
    const bus_ = lines.filter((l) => String(l.msg).startsWith('modbus bus'));
    expect(bus_.map((l) => [l.msg, l.failedOpens])).toEqual([
      ['modbus bus cannot be opened: retrying with backoff (logged again when it opens)', undefined],
      ['modbus bus open', 5],
    ]);
  });

  it('reopens the port when it goes away (USB adapter unplugged and back)', async () => {
    const meter = slave({ holding: [0x4366, 0x8000, 5000] });
    const bus = fakeModbusBus({ 1: meter, 2: slave() });
    const board = await start(bus);
    meter.mode = 'portGone';
    await vi.advanceTimersByTimeAsync(600);
    expect(board.stats?.().modbus_reconnects).toBe(1);
    meter.mode = 'ok';
    await vi.advanceTimersByTimeAsync(1500);
    expect(bus.log.connects).toBe(2);
    expect(board.read(Date.now()).get('feed.A.voltage')).toMatchObject({ value: 230.5 });
  });

  it('stops polling on close', async () => {
    const bus = fakeModbusBus({ 1: slave(), 2: slave() });
    const board = await start(bus);
    await board.close();
    const n = bus.log.requests.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(bus.log.requests.length).toBe(n);
    expect(bus.log.closed).toBe(1);
  });

  it('sorts errors by cause', () => {
    expect(classifyError(Object.assign(new Error('Timed out'), { name: 'TransactionTimedOutError' }))).toBe('timeout');
    expect(classifyError(new Error('CRC error'))).toBe('crc');
    expect(classifyError(new Error('Modbus exception 2: Illegal data address (register not supported by device)'))).toBe('exception');
    expect(classifyError(new Error('Port Not Open'))).toBe('port');
    expect(classifyError(new Error('Data length error, expected 9 got 4'))).toBe('garbage');
  });
});
