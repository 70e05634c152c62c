import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHardwareBoard } from '../../src/drivers/index.js';
import { fakeModbusBus, slave } from './fake-modbus.js';
import { fakeOnoff, fakeSysfs, quietLogger } from './fakes.js';

const dir = mkdtempSync(join(tmpdir(), 'twinfeed-open-'));
const boardFile = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const GPIO_AND_MODBUS = boardFile(
  'pi.yaml',
  `name: pi
driver: gpio
gpio: { base: 512 }
signals:
  breaker.A.closeCmd: { pin: 26 }
  breaker.A.closedFb: { pin: 5, activeLow: true }
  psu.1.ok: { pin: 12 }
  psu.3.ok: { pin: 16 }
  feed.A.voltage: { driver: modbus, device: meterA, register: 0, type: float32 }
modbus:
  buses: { rs485: { path: /dev/null-rs485 } }
  devices: { meterA: { bus: rs485, unitId: 1, pollMs: 200ms, timeoutMs: 100ms } }
`,
);

const noJohnnyFive = async () => {
  throw new Error('johnny-five must not be loaded for this board');
};

describe('openHardwareBoard', () => {
  it('composes the drivers a board names into one board and loads no others', async () => {
    const onoff = fakeOnoff({ 517: 0 });
    const bus = fakeModbusBus({ 1: slave({ holding: [0x4366, 0x8000] }) });
    const board = await openHardwareBoard(GPIO_AND_MODBUS, {
      logger: quietLogger(),
      deps: { gpio: { Gpio: onoff.Gpio, sysfs: fakeSysfs([]) }, modbus: { createClient: bus.createClient }, firmata: { loadJohnnyFive: noJohnnyFive } },
    });
    try {
      expect(board.name).toBe('pi');
      expect(board.outputs).toEqual(['breaker.A.closeCmd']);
      const r = board.read(Date.now());
      expect(r.get('breaker.A.closedFb')?.value).toBe(true);
      expect(r.get('feed.A.voltage')?.value).toBe(230.5);
      board.write(new Map([['breaker.A.closeCmd', true]]), Date.now());
      expect(onoff.pins.get(538)?.level).toBe(1);
    } finally {
      await board.close();
    }
  });

  it('opens only the signals the config needs', async () => {
    const onoff = fakeOnoff();
    const bus = fakeModbusBus({});
    const board = await openHardwareBoard(GPIO_AND_MODBUS, {
      logger: quietLogger(),
      signalsNeeded: ['breaker.A.closeCmd', 'breaker.A.closedFb', 'psu.1.ok'],
      deps: { gpio: { Gpio: onoff.Gpio }, modbus: { createClient: bus.createClient } },
    });
    await board.close();
    expect([...onoff.pins.keys()].sort()).toEqual([517, 524]); // psu.3.ok (528) never exported; outputs wait for an image
    expect(bus.log.connects).toBe(0); // no meter signal needed: the serial port is not even opened
    expect(board.inputs).toEqual(['breaker.A.closedFb', 'psu.1.ok']);
  });

  it('releases what it opened when a later driver fails', async () => {
    const onoff = fakeOnoff();
    const path = boardFile(
      'mixed.yaml',
      `name: mixed
gpio: { base: 0 }
firmata: { path: /dev/ttyACM9, readyTimeoutMs: 100ms }
signals:
  breaker.A.closedFb: { driver: gpio, pin: 5 }
  breaker.B.closedFb: { driver: firmata, pin: 2 }
`,
    );
    await expect(
      openHardwareBoard(path, {
        logger: quietLogger(),
        deps: { gpio: { Gpio: onoff.Gpio }, firmata: { openIo: async () => Promise.reject(new Error('cannot open /dev/ttyACM9')) } },
      }),
    ).rejects.toThrow(/ttyACM9/);
    expect(onoff.pins.get(5)?.unexported).toBe(true);
  });

  it('rejects the sim board and invalid files with the config error format', async () => {
    await expect(openHardwareBoard(boardFile('sim.yaml', 'name: sim\ndriver: sim\n'), { logger: quietLogger() })).rejects.toThrow(/simulated plant/);
    await expect(openHardwareBoard(boardFile('bad.yaml', 'name: bad\nsignals: { ups.fault: { pin: 1 } }\n'), { logger: quietLogger() })).rejects.toThrow(
      /signals\.ups\.fault\.driver: missing/,
    );
  });
});
