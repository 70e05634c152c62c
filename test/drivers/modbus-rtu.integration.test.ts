// The poller against a real Modbus RTU slave (pymodbus) over a socat pty pair, with real
// modbus-serial and serialport 13 underneath. Skipped without socat/pymodbus, except in CI.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openModbus } from '../../src/drivers/modbus/master.js';
import type { DriverBoard } from '../../src/drivers/types.js';
import type { ModbusSection, ModbusSignal } from '../../src/drivers/board.js';
import { modbusSignal } from './fake-modbus.js';
import { quietLogger } from './fakes.js';
import { injectBytes, missingPeers, ptyPair, rtuSlave } from './rtu-peers.js';
import type { SignalName } from '../../src/core/signals.js';

const missing = missingPeers();
const mustRun = Boolean(process.env.CI);
if (missing && !mustRun) console.warn(`skipping Modbus RTU integration tests: ${missing}`);

const sig = (name: SignalName, device: string, over: Partial<ModbusSignal>): ModbusSignal => modbusSignal({ name, device, staleMs: 1000, ...over });

const section = (path: string): ModbusSection => ({
  buses: { rs485: { path, baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 } },
  devices: {
    meterA: { bus: 'rs485', unitId: 1, pollMs: 200, timeoutMs: 150, staleMs: 1000, refreshMs: 1000 },
    ups: { bus: 'rs485', unitId: 2, pollMs: 200, timeoutMs: 150, staleMs: 1000, refreshMs: 1000 },
  },
  signals: [
    sig('feed.A.voltage', 'meterA', { type: 'float32' }),
    sig('feed.A.frequency', 'meterA', { register: 2, scale: 0.01 }),
    sig('ups.onBattery', 'ups', { kind: 'bool', table: 'discrete', register: 0 }),
    sig('ups.chargePct', 'ups', { table: 'input', register: 4 }),
  ],
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const value = (board: DriverBoard, name: SignalName) => board.read(Date.now()).get(name)?.value;

async function eventually(check: () => void, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (err) {
      if (Date.now() > end) throw err;
      await sleep(50);
    }
  }
}

describe.skipIf(missing !== undefined && !mustRun)('Modbus RTU poller with a pymodbus slave on a pty pair', () => {
  let pty: Awaited<ReturnType<typeof ptyPair>>;
  let slave: Awaited<ReturnType<typeof rtuSlave>>;
  let board: DriverBoard;

  beforeAll(async () => {
    if (missing) throw new Error(`${missing} — required when CI is set`);
    pty = await ptyPair(mkdtempSync(join(tmpdir(), 'twinfeed-rtu-')));
    slave = await rtuSlave(pty.b);
    board = await openModbus(section(pty.a), { logger: quietLogger(), backoff: { minMs: 200, maxMs: 1000 } });
  });

  afterAll(async () => {
    await board?.close();
    await slave?.close();
    await pty?.close();
  });

  it('reads a meter and a UPS and follows their changes', async () => {
    await eventually(() => {
      expect(value(board, 'feed.A.voltage')).toBe(230.5);
      expect(value(board, 'feed.A.frequency')).toBe(49.98);
      expect(value(board, 'ups.onBattery')).toBe(false);
      expect(value(board, 'ups.chargePct')).toBe(87);
    });
    await slave.send('set 1 3 0 0 0'); // feed A outage: 0.0 V
    await slave.send('set 2 2 0 1'); // UPS on battery
    await eventually(() => {
      expect(value(board, 'feed.A.voltage')).toBe(0);
      expect(value(board, 'ups.onBattery')).toBe(true);
    });
    const r = board.read(Date.now()).get('feed.A.voltage');
    expect(r && 'ageMs' in r ? r.ageMs : Infinity).toBeLessThan(500);
  });

  it('turns a meter that stops answering stale within staleMs, and fresh again when it returns', async () => {
    const before = board.stats?.().modbus_timeout ?? 0;
    await slave.send('mute 1');
    await eventually(() => expect(board.read(Date.now()).get('feed.A.voltage')).toEqual({ value: undefined, reason: 'stale' }), 2500);
    expect(value(board, 'ups.chargePct')).toBe(87); // the UPS on the same bus still answers
    expect(board.stats?.().modbus_timeout).toBeGreaterThan(before);
    await slave.send('unmute 1');
    await eventually(() => expect(value(board, 'feed.A.frequency')).toBe(49.98));
  });

  it('survives garbage on the line, counts it, and recovers', async () => {
    const errorsBefore = errorsOf(board);
    const end = Date.now() + 1500;
    while (Date.now() < end) {
      // Noise, plus what a second talker would send: a reply header from unit 1 with a broken body.
      injectBytes(pty.b, Buffer.concat([randomBytes(7), Buffer.from([0x01, 0x03, 0x06]), randomBytes(11)]));
      await sleep(15);
    }
    expect(errorsOf(board)).toBeGreaterThan(errorsBefore);
    await eventually(() => {
      expect(value(board, 'feed.A.frequency')).toBe(49.98);
      expect(value(board, 'ups.chargePct')).toBe(87);
    });
  });
});

function errorsOf(board: DriverBoard): number {
  const s = board.stats?.() ?? {};
  return (s.modbus_timeout ?? 0) + (s.modbus_crc ?? 0) + (s.modbus_garbage ?? 0) + (s.modbus_exception ?? 0);
}
