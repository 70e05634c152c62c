// Every hardware driver, opened on its injected fake, passes the Board contract (test/io/board-contract.ts).
import { vi } from 'vitest';
import { openFirmata } from '../../src/drivers/firmata/driver.js';
import { openGpio } from '../../src/drivers/gpio/driver.js';
import { openModbus } from '../../src/drivers/modbus/master.js';
import { openNut } from '../../src/drivers/nut/driver.js';
import type { ModbusSection, PinSignal } from '../../src/drivers/board.js';
import { boardContract } from '../io/board-contract.js';
import { fakeFirmataIo } from './fake-firmata.js';
import { fakeModbusBus, modbusSignal, slave } from './fake-modbus.js';
import { fakeUpsd } from './fake-nut.js';
import { fakeOnoff, quietLogger } from './fakes.js';
import type { SignalName } from '../../src/core/signals.js';

const pin = (name: SignalName, p: number, direction: 'in' | 'out', activeLow = false): PinSignal => ({
  name,
  direction,
  pin: p,
  activeLow,
  contact: 'NO',
  debounceMs: 20,
  staleMs: 1000,
});
// An active-low relay next to an active-high one, so that logical on/off is checked through polarity.
const PINS = [
  pin('breaker.A.closedFb', 5, 'in', true),
  pin('breaker.A.closeCmd', 6, 'out', true),
  pin('alarm.common', 7, 'out'),
  pin('generator.start', 8, 'out'),
];
const outputsOf = (sigs: readonly PinSignal[]) => sigs.filter((s) => s.direction === 'out');

boardContract('gpio (fake onoff)', async () => {
  const onoff = fakeOnoff({ 5: 0 });
  const clock = { t: 1000 };
  const board = openGpio({ chip: undefined, base: 0, refreshMs: 1000, signals: PINS }, 'board.yaml', {
    Gpio: onoff.Gpio,
    logger: quietLogger(),
    clock: () => clock.t,
  });
  return {
    board,
    input: 'breaker.A.closedFb',
    staleAfterMs: 1000,
    now: () => clock.t,
    advance: async (ms) => void (clock.t += ms),
    silence: () => void (onoff.pins.get(5)!.failReads = true),
    hardware: () =>
      new Map(
        outputsOf(PINS).map((s) => {
          const p = onoff.pins.get(s.pin);
          // An unexported pin falls back to an input: its relay drops, so it is no longer driven.
          return [s.name, p === undefined || p.unexported ? undefined : (p.level === 1) !== s.activeLow];
        }),
      ),
  };
});

boardContract('firmata (fake IO plugin)', async () => {
  const f = fakeFirmataIo();
  const clock = { t: 1000 };
  // A long backoff: the lost link stays lost for the length of a test.
  const board = await openFirmata(
    { arduino: 'uno', path: '/dev/ttyACM0', baudRate: 57600, readyTimeoutMs: 2000, refreshMs: 1000, signals: PINS, analog: [] },
    { logger: quietLogger(), openIo: async () => f.io, clock: () => clock.t, backoff: { minMs: 3_600_000, maxMs: 3_600_000 } },
  );
  f.report(5, 0);
  return {
    board,
    input: 'breaker.A.closedFb',
    staleAfterMs: 1000,
    now: () => clock.t,
    advance: async (ms) => void (clock.t += ms),
    silence: () => void f.io.emit('close'),
    hardware: () =>
      new Map(
        outputsOf(PINS).map((s) => {
          const level = f.driven(s.pin);
          return [s.name, level === undefined ? undefined : (level === 1) !== s.activeLow];
        }),
      ),
  };
});

// The meter is polled; an I/O module's relays are coils 0..2, the controller's outputs.
const COILS: SignalName[] = ['breaker.A.closeCmd', 'breaker.B.closeCmd', 'generator.start'];
const modbusRig = (bus: ModbusSection['buses'][string]) => async () => {
  vi.useFakeTimers({ now: 0 });
  const meter = slave({ holding: [0x4366, 0x8000] });
  const io = slave();
  const fake = fakeModbusBus({ 1: meter, 2: io });
  const section: ModbusSection = {
    buses: { field: bus },
    devices: {
      meterA: { bus: 'field', unitId: 1, pollMs: 500, timeoutMs: 200, staleMs: 2000, refreshMs: 1000 },
      io: { bus: 'field', unitId: 2, pollMs: 500, timeoutMs: 200, staleMs: 2000, refreshMs: 1000 },
    },
    signals: [
      modbusSignal({ name: 'feed.A.voltage', device: 'meterA', type: 'float32', staleMs: 2000 }),
      ...COILS.map((name, i) => modbusSignal({ name, direction: 'out', kind: 'bool', device: 'io', table: 'coil', register: i })),
    ],
  };
  const pending = openModbus(section, { logger: quietLogger(), createClient: fake.createClient, backoff: { minMs: 1000, maxMs: 8000 } });
  await vi.advanceTimersByTimeAsync(0);
  const board = await pending;
  return {
    board,
    input: 'feed.A.voltage' as const,
    staleAfterMs: 2000,
    now: () => Date.now(),
    advance: (ms: number) => vi.advanceTimersByTimeAsync(ms).then(() => undefined),
    silence: () => void (meter.mode = 'timeout'),
    // What the I/O module's relays hold; a coil never written is undefined.
    hardware: () => new Map(COILS.map((name, i) => [name, io.coils[i]] as const)),
    dispose: () => void vi.useRealTimers(),
  };
};

boardContract('modbus RTU (fake bus)', modbusRig({ path: '/dev/ttyUSB0', baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 }));
boardContract('modbus TCP (fake connection)', modbusRig({ host: '127.0.0.1', port: 5020, connectTimeoutMs: 1000 }));

boardContract('nut (fake upsd)', async () => {
  vi.useFakeTimers({ now: 0 });
  const upsd = fakeUpsd('cab', { 'ups.status': 'OB LB', 'battery.charge': '42' });
  const signals = [{ name: 'ups.chargePct', kind: 'number', variable: 'battery.charge', tokens: undefined, staleMs: 3000 }] as const;
  const pending = openNut(
    { host: '127.0.0.1', port: 3493, ups: 'cab', pollMs: 500, timeoutMs: 200, signals },
    { logger: quietLogger(), connect: upsd.connect },
  );
  await vi.advanceTimersByTimeAsync(0);
  const board = await pending;
  return {
    board,
    input: 'ups.chargePct',
    staleAfterMs: 3000,
    now: () => Date.now(),
    advance: (ms) => vi.advanceTimersByTimeAsync(ms).then(() => undefined),
    silence: () => void (upsd.mode = 'silent'),
    // NUT drives no outputs: the output clauses check that nothing but reads goes to upsd.
    // Keyed by the request text, not a signal: any entry at all is a clause failure.
    hardware: () => new Map(upsd.requests.filter((r) => r !== 'LIST VAR cab').map((r) => [r as SignalName, true])),
    dispose: () => void vi.useRealTimers(),
  };
});
