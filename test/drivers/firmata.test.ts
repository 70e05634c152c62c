import { afterEach, describe, expect, it } from 'vitest';
import { firmataOver, openFirmata } from '../../src/drivers/firmata/driver.js';
import type { DriverBoard } from '../../src/drivers/types.js';
import type { FirmataSection, PinSignal } from '../../src/drivers/board.js';
import { quietLogger } from './fakes.js';
import { fakeFirmataIo } from './fake-firmata.js';
import { fakeUno } from './firmata-uno.js';
import type { SignalName } from '../../src/core/signals.js';

const pin = (name: SignalName, p: number, direction: 'in' | 'out', over: Partial<PinSignal> = {}): PinSignal => ({
  name,
  direction,
  pin: p,
  activeLow: false,
  contact: 'NO',
  debounceMs: 0,
  staleMs: 1000,
  ...over,
});

const section = (over: Partial<FirmataSection> = {}): FirmataSection => ({
  arduino: 'uno',
  path: '/dev/ttyACM0',
  baudRate: 57600,
  readyTimeoutMs: 2000,
  refreshMs: 1000,
  signals: [pin('breaker.A.closedFb', 2, 'in', { activeLow: true }), pin('breaker.A.closeCmd', 8, 'out'), pin('alarm.common', 9, 'out', { activeLow: true })],
  analog: [{ name: 'ups.chargePct', analog: 0, scale: 100 / 1023, offset: 0 }],
  ...over,
});

const opened: DriverBoard[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((b) => b.close()));
});

describe('Firmata driver (real johnny-five, fake IO plugin)', () => {
  it('reads contacts and analog channels through johnny-five once the board is ready', async () => {
    const f = fakeFirmataIo();
    const clock = { t: 0 };
    const board = await openFirmata(section(), { logger: quietLogger(), openIo: async () => f.io, clock: () => clock.t });
    opened.push(board);
    // an active-low contact gets the AVR pull-up, so an open contact reads high
    expect(f.record.modes).toContainEqual([2, 11]);
    f.report(2, 0); // contact closed to ground
    f.reportAnalog(0, 1023);
    expect(board.read(10).get('breaker.A.closedFb')).toEqual({ value: true, ageMs: 0 });
    expect(board.read(10).get('ups.chargePct')).toEqual({ value: 100, ageMs: 10 });
    expect(board.read(5000).get('ups.chargePct')).toEqual({ value: undefined, reason: 'stale' });
  });

  it('leaves outputs as inputs until the first image, then writes on change and every refreshMs', async () => {
    const f = fakeFirmataIo();
    const board = await openFirmata(section(), { logger: quietLogger(), openIo: async () => f.io });
    opened.push(board);
    expect(f.record.modes.filter(([p]) => p === 8 || p === 9)).toEqual([]);
    const image = new Map<SignalName, boolean>([
      ['breaker.A.closeCmd', true],
      ['alarm.common', false],
    ]);
    board.write(image, 0);
    board.write(image, 500);
    board.write(image, 1000);
    expect(f.record.modes).toContainEqual([8, 1]);
    expect(f.record.writes).toEqual([
      [8, 1],
      [9, 1], // alarm relay is active-low: "off" is level 1
      [8, 1],
      [9, 1],
    ]);
  });

  it('reads everything as stale while the USB link is down, reconnects, and sets its outputs again', async () => {
    const links = [fakeFirmataIo(), fakeFirmataIo()];
    let opens = 0;
    const openIo = async () => (links[opens++] ?? fakeFirmataIo()).io;
    const board = await openFirmata(section(), { logger: quietLogger(), openIo, backoff: { minMs: 50, maxMs: 50 } });
    opened.push(board);
    const [first, second] = links as [ReturnType<typeof fakeFirmataIo>, ReturnType<typeof fakeFirmataIo>];
    const image = new Map<SignalName, boolean>([['breaker.A.closeCmd', true]]);
    board.write(image, 0);
    first.io.emit('close');
    expect(board.read(10).get('breaker.A.closedFb')).toEqual({ value: undefined, reason: 'stale' });
    board.write(image, 20);
    expect(first.record.writes).toEqual([[8, 1]]); // nothing written into a dead link
    await until(() => board.stats?.().firmataConnected === 1);
    second.report(2, 0);
    expect(board.read(200).get('breaker.A.closedFb')).toEqual({ value: true, ageMs: 0 });
    board.write(image, 210); // same image, but the Uno has reset: mode and level are set again
    expect(second.record.modes).toContainEqual([8, 1]);
    expect(second.record.writes).toEqual([[8, 1]]);
    expect(board.stats?.().firmataReconnects).toBe(1);
  });

  it('fails to open with a clear message when the board never answers', async () => {
    const f = fakeFirmataIo({ answers: false });
    await expect(openFirmata(section({ readyTimeoutMs: 200 }), { logger: quietLogger(), openIo: async () => f.io })).rejects.toThrow(
      /no answer from \/dev\/ttyACM0 within 200 ms \(is StandardFirmata flashed/,
    );
    expect(f.record.closed).toBe(true); // the serial port is released for the next attempt
  });
});

describe('Firmata driver on the real stack (johnny-five 2.1 + Firmata.js + serialport 13 mock port)', () => {
  it('handshakes with a StandardFirmata Uno, reads a contact and drives a relay', async () => {
    const plugged: { uno?: ReturnType<typeof fakeUno> } = {};
    const openIo = () => firmataOver(() => (plugged.uno = fakeUno('/dev/fake-uno')).port);
    const board = await openFirmata(section({ analog: [] }), { logger: quietLogger(), openIo });
    const uno = plugged.uno;
    if (!uno) throw new Error('the Uno was never connected');
    opened.push(board);
    uno.setInput(2, 0); // aux contact of A closes to ground
    await until(() => board.read(Date.now()).get('breaker.A.closedFb')?.value === true);
    board.write(
      new Map([
        ['breaker.A.closeCmd', true],
        ['alarm.common', false],
      ]),
      Date.now(),
    );
    await until(() => uno.driven.get(8) === 1);
    expect(uno.driven.get(9)).toBe(1); // active-low alarm relay held off
  });
});

async function until(ok: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
