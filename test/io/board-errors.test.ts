// Every board-file error a user can meet, exactly as it was worded before the drivers became plug-ins:
// the loader now runs a table of driver sections, and this pins the messages, their order and hints.
import { describe, expect, it } from 'vitest';
import { validateBoard } from '../../src/drivers/board.js';
import { boardErrorLines as errorsOf } from '../error-lines.js';

const CASES: [string, unknown, string[]][] = [
  [
    'unknownEntryKeyFar',
    { name: 'x', driver: 'gpio', signals: { 'ups.fault': { pin: 1, xyzzyq: 1 } } },
    [
      'signals.ups.fault.xyzzyq: unknown key (valid keys: driver, pin, analog, activeLow, contact, debounceMs, device, table, register, type, bit, wordOrder, scale, offset, point, staleMs, var)',
    ],
  ],
  [
    'unknownEntryKeyNear',
    { name: 'x', driver: 'gpio', signals: { 'ups.fault': { pin: 1, tipe: 'u16', stalems: 3 } } },
    ['signals.ups.fault.tipe: unknown key (did you mean "type"?)', 'signals.ups.fault.stalems: unknown key (did you mean "staleMs"?)'],
  ],
  [
    'badEntryDriver',
    { name: 'x', signals: { 'ups.fault': { driver: 'gpi', pin: 1 } } },
    ['signals.ups.fault.driver: invalid value (one of "gpio", "firmata", "modbus", "nut")'],
  ],
  ['badTopDriver', { name: 'x', driver: 'rpi', signals: {} }, ['driver: invalid value (one of "sim", "gpio", "firmata", "modbus", "nut")']],
  [
    'topUnknownFar',
    { name: 'x', driver: 'gpio', qqqqqqqq: 1, signals: { 'ups.fault': { pin: 1 } } },
    ['qqqqqqqq: unknown key (valid keys: name, driver, signals, gpio, firmata, modbus, nut)'],
  ],
  [
    'gpioForeign',
    {
      name: 'x',
      driver: 'gpio',
      signals: { 'ups.fault': { pin: 4, device: 'm', table: 'coil', register: 3, type: 'u16', bit: 1, wordOrder: 'big', analog: 1, scale: 2, offset: 1 } },
    },
    [
      'signals.ups.fault.device: does not apply to a gpio signal (remove it)',
      'signals.ups.fault.table: does not apply to a gpio signal (remove it)',
      'signals.ups.fault.register: does not apply to a gpio signal (remove it)',
      'signals.ups.fault.type: does not apply to a gpio signal (remove it)',
      'signals.ups.fault.bit: does not apply to a gpio signal (remove it)',
      'signals.ups.fault.wordOrder: does not apply to a gpio signal (remove it)',
      'signals.ups.fault.analog: does not apply to a digital signal (remove it)',
      'signals.ups.fault.scale: does not apply to a digital signal (remove it)',
      'signals.ups.fault.offset: does not apply to a digital signal (remove it)',
    ],
  ],
  [
    'gpioMeasurement',
    { name: 'x', driver: 'gpio', signals: { 'ups.chargePct': { pin: 1, analog: 2, scale: 2 } } },
    ['signals.ups.chargePct.driver: a GPIO pin cannot carry a measurement (read it from a modbus device (or a firmata analog channel))'],
  ],
  [
    'gpioNoPin',
    { name: 'x', driver: 'gpio', signals: { 'ups.fault': { activeLow: true } } },
    ['signals.ups.fault.pin: missing (give the BCM GPIO number (e.g. pin: 17))'],
  ],
  [
    'firmataNoPin',
    { name: 'x', driver: 'firmata', firmata: { path: '/dev/x' }, signals: { 'ups.fault': {} } },
    ['signals.ups.fault.pin: missing (give the Arduino digital pin (e.g. pin: 7))'],
  ],
  [
    'firmataAnalogStray',
    {
      name: 'x',
      driver: 'firmata',
      firmata: { path: '/dev/x' },
      signals: { 'ups.chargePct': { pin: 3, activeLow: true, contact: 'NC', debounceMs: 5, device: 'd' } },
    },
    [
      'signals.ups.chargePct.device: does not apply to a firmata signal (remove it)',
      'signals.ups.chargePct.pin: does not apply to an analog signal (remove it)',
      'signals.ups.chargePct.activeLow: does not apply to an analog signal (remove it)',
      'signals.ups.chargePct.contact: does not apply to an analog signal (remove it)',
      'signals.ups.chargePct.debounceMs: does not apply to an analog signal (remove it)',
      'signals.ups.chargePct.analog: missing (a measurement on Firmata needs an analog channel, e.g. analog: 0 for A0)',
    ],
  ],
  [
    'firmataAnalogMissing',
    { name: 'x', driver: 'firmata', firmata: { path: '/dev/x' }, signals: { 'ups.chargePct': { scale: 2 } } },
    ['signals.ups.chargePct.analog: missing (a measurement on Firmata needs an analog channel, e.g. analog: 0 for A0)'],
  ],
  [
    'firmataDigitalStray',
    { name: 'x', driver: 'firmata', firmata: { path: '/dev/x' }, signals: { 'ups.fault': { pin: 2, analog: 1, scale: 1, offset: 2 } } },
    [
      'signals.ups.fault.analog: does not apply to a digital signal (remove it)',
      'signals.ups.fault.scale: does not apply to a digital signal (remove it)',
      'signals.ups.fault.offset: does not apply to a digital signal (remove it)',
    ],
  ],
  [
    'firmataPinClashAndGpioSame',
    {
      name: 'x',
      firmata: { path: '/dev/x' },
      gpio: { base: 0 },
      signals: { 'ups.fault': { driver: 'firmata', pin: 2 }, 'ups.onBattery': { driver: 'firmata', pin: 2 }, 'ups.lowBattery': { driver: 'gpio', pin: 2 } },
    },
    ['signals.ups.onBattery.pin: firmata pin 2 is already used by ups.fault (every signal needs its own pin)'],
  ],
  [
    'modbusForeign',
    {
      name: 'x',
      driver: 'modbus',
      modbus: { buses: { b: { path: '/dev/x' } }, devices: { d: { bus: 'b', unitId: 1 } } },
      signals: { 'ups.fault': { device: 'd', register: 1, analog: 1, debounceMs: 4, pin: 3, activeLow: true, contact: 'NC' } },
    },
    [
      'signals.ups.fault.pin: does not apply to a modbus signal (remove it)',
      'signals.ups.fault.activeLow: does not apply to a modbus signal (remove it)',
      'signals.ups.fault.contact: does not apply to a modbus signal (remove it)',
      'signals.ups.fault.debounceMs: does not apply to a modbus signal (remove it)',
      'signals.ups.fault.analog: does not apply to a modbus signal (remove it)',
    ],
  ],
  [
    'modbusOutput',
    {
      name: 'x',
      driver: 'modbus',
      modbus: { buses: { b: { path: '/dev/x' } }, devices: { d: { bus: 'b', unitId: 1 } } },
      signals: { 'alarm.common': { device: 'd', register: 1, contact: 'NC', staleMs: 100, pin: 2 } },
    },
    [
      'signals.alarm.common.contact: does not apply to an output (remove it)',
      'signals.alarm.common.staleMs: does not apply to an output (remove it)',
      'signals.alarm.common.pin: does not apply to a modbus signal (remove it)',
      'signals.alarm.common.contact: does not apply to a modbus signal (remove it)',
    ],
  ],
  [
    'modbusMissing',
    { name: 'x', driver: 'modbus', signals: { 'ups.fault': { table: 'coil', type: 'u32', bit: 2, wordOrder: 'little' } } },
    [
      'signals.ups.fault.device: missing (name a device from modbus.devices)',
      'signals.ups.fault.register: missing (give the register or coil address (0-based, as on the wire))',
      'signals.ups.fault.type: does not apply to a coil (remove it)',
      'signals.ups.fault.bit: a bit of a u32 is not supported (use a 16-bit register (type: u16))',
    ],
  ],
  [
    'modbusBits',
    {
      name: 'x',
      driver: 'modbus',
      modbus: { buses: { b: { path: '/dev/x' } }, devices: { d: { bus: 'b', unitId: 1 } } },
      signals: {
        'ups.fault': { device: 'd', register: 1, type: 'u32', bit: 3, scale: 2 },
        'ups.onBattery': { device: 'd', table: 'discrete', register: 2, bit: 1 },
        'ups.lowBattery': { device: 'd', table: 'coil', register: 2, wordOrder: 'big' },
      },
    },
    [
      'signals.ups.fault.bit: a bit of a u32 is not supported (use a 16-bit register (type: u16))',
      'signals.ups.fault.scale: does not apply to an on/off signal (remove scale and offset)',
      'signals.ups.onBattery.bit: does not apply to a discrete (remove it)',
      'signals.ups.lowBattery.wordOrder: does not apply to a coil (remove it)',
    ],
  ],
  [
    'modbusNoDevices',
    { name: 'x', driver: 'modbus', signals: { 'ups.fault': { device: 'zz', register: 1 } } },
    ['signals.ups.fault.device: no device "zz" (define it under modbus.devices)'],
  ],
  [
    'modbusDeviceProblems',
    {
      name: 'x',
      driver: 'modbus',
      modbus: {
        buses: { b: { path: '/dev/x', parity: 'mark' }, c: { baudRate: -1 } },
        devices: { d: { bus: 'b', unitId: 1 }, e: { bus: 'b', unitId: 1 }, f: { bus: 'b', unitId: 300, colour: 1 }, g: 'nope' },
      },
      signals: { 'ups.fault': { device: 'd', register: 1 } },
    },
    [
      'modbus.buses.b.parity: invalid value (one of "none", "even", "odd")',
      'modbus.buses.c.path: missing (give a string)',
      'modbus.buses.c.baudRate: Too small: expected number to be >0 (must be at least 0)',
      'modbus.devices.f.unitId: Too big: expected number to be <=255 (must be at most 255)',
      'modbus.devices.f.colour: unknown key (valid keys: bus, unitId, pollMs, timeoutMs, staleMs, refreshMs, profile)',
      'modbus.devices.g: expected object, got string (give a object)',
      'modbus.devices.d.bus: no bus "b" (define it under modbus.buses)',
      'modbus.devices.e.bus: no bus "b" (define it under modbus.buses)',
      'modbus.devices.e.unitId: unit 1 is already device "d" on bus "b" (each device on a bus needs its own unitId)',
    ],
  ],
  [
    'badSectionKeys',
    { name: 'x', driver: 'gpio', gpio: { chipp: 'a', refreshMs: 'soon' }, firmata: { baud: 1 }, modbus: { bus: {} }, signals: { 'ups.fault': { pin: 1 } } },
    [
      'gpio.refreshMs: not a duration: "soon" (use a number of ms or a string like "500ms", "3s", "5m", "2h", "1d", "1m30s")',
      'gpio.chipp: unknown key (did you mean "chip"?)',
      'firmata.path: missing (give a string)',
      'firmata.baud: unknown key (valid keys: arduino, path, baudRate, readyTimeoutMs, refreshMs)',
      'modbus.bus: unknown key (did you mean "buses"?)',
    ],
  ],
  [
    'noSignals',
    { name: 'x', driver: 'gpio', signals: {} },
    ['signals: no signals mapped (map at least breaker.A.closedFb, breaker.B.closedFb and the close commands)'],
  ],
  [
    'noSignalsMissing',
    { name: 'x', driver: 'gpio' },
    ['signals: no signals mapped (map at least breaker.A.closedFb, breaker.B.closedFb and the close commands)'],
  ],
  [
    'entryErrorsOrder',
    {
      name: 'x',
      driver: 'modbus',
      modbus: { buses: { b: { path: '/dev/x' } }, devices: { d: { bus: 'q', unitId: 1 } } },
      signals: {
        'ups.fault': { device: 'd', register: 'one' },
        'breaker.A.closedFb': { pinn: 1, driver: 'gpio' },
        'feed.A.voltage': { device: 'd', register: 70000 },
      },
    },
    [
      'signals.ups.fault.register: expected number, got string (give a number)',
      'signals.breaker.A.closedFb.pinn: unknown key (did you mean "pin"?)',
      'signals.feed.A.voltage.register: Too big: expected number to be <=65535 (must be at most 65535)',
      'modbus.devices.d.bus: no bus "q" (did you mean "b"?)',
    ],
  ],
  [
    'badSignalNames',
    {
      name: 'x',
      driver: 'gpio',
      signals: { 'psu..ok': { pin: 1 }, 'uplink.LTE.powerCycle': { pin: 2 }, zzzzzzzzzzzz: { pin: 3 }, 'uplink.lte.carrier': { pin: 4 } },
    },
    [
      'signals.psu..ok: unknown signal (did you mean "psu.1.ok"?)',
      'signals.uplink.LTE.powerCycle: unknown signal (did you mean "uplink.lte.powerCycle"?)',
      'signals.zzzzzzzzzzzz: unknown signal (known signals: breaker.A.closedFb, breaker.B.closedFb, feed.A.voltage, feed.A.frequency, feed.B.voltage, feed.B.frequency, feed.A.available, feed.B.available, ups.onBattery, ups.lowBattery, ups.fault, ups.chargePct, ups.runtimeS, load.live, generator.controlMode, generator.engineHours, generator.starts, generator.fuelPct, generator.engineState, generator.namedAlarms1, generator.namedAlarms2, breaker.A.closeCmd, breaker.B.closeCmd, generator.start, alarm.common, psu.<id>.ok, uplink.<id>.powerCycle, uplink.<id>.selected)',
      'signals.uplink.lte.carrier: uplink carrier is read by the uplink driver, not the board (configure it under "uplinks:" in the config)',
    ],
  ],
  [
    'badValues',
    { name: 'x', driver: 'gpio', signals: { 'ups.fault': { pin: -1, contact: 'XX', debounceMs: '5x', activeLow: 'yes' } } },
    [
      'signals.ups.fault.pin: Too small: expected number to be >=0 (must be at least 0)',
      'signals.ups.fault.activeLow: expected boolean, got string (give a boolean)',
      'signals.ups.fault.contact: invalid value (one of "NO", "NC")',
      'signals.ups.fault.debounceMs: not a duration: "5x" (use a number of ms or a string like "500ms", "3s", "5m", "2h", "1d", "1m30s")',
    ],
  ],
  [
    'simWithSignals',
    { name: 'sim', driver: 'sim', signals: { a: 1 } },
    ['signals: a sim board maps no signals (remove "signals:" or choose a hardware driver)'],
  ],
  ['notObject', 'hello', ['(top): expected object, got string (give a object)']],
  ['nullEntry', { name: 'x', driver: 'gpio', signals: { 'ups.fault': null } }, ['signals.ups.fault.pin: missing (give the BCM GPIO number (e.g. pin: 17))']],
  ['emptyName', { name: '', signals: { 'ups.fault': { pin: 1 } } }, ['name: Too small: expected string to have >=1 characters (must be at least 1)']],
  [
    'analogNumberClash',
    { name: 'x', driver: 'firmata', firmata: { path: '/d', refreshMs: '1x' }, signals: { 'feed.A.voltage': { analog: 200 } } },
    ['firmata.refreshMs: not a duration: "1x" (use a number of ms or a string like "500ms", "3s", "5m", "2h", "1d", "1m30s")'],
  ],
];

describe('board-file errors (the wording users and docs rely on)', () => {
  it.each(CASES)('%s', (_name, raw, want) => {
    expect(errorsOf(raw)).toEqual(want);
  });

  it('resolves a board that uses all three drivers, with every default filled in', () => {
    expect(
      JSON.parse(
        JSON.stringify(
          validateBoard(
            {
              name: 'm',
              gpio: { base: 3, staleMs: '2s' },
              firmata: { path: '/dev/a' },
              modbus: { buses: { b: { path: '/dev/x' } }, devices: { d: { bus: 'b', unitId: 1 } } },
              signals: {
                'ups.fault': { driver: 'gpio', pin: 1, contact: 'NC' },
                'breaker.A.closeCmd': { driver: 'gpio', pin: 2, activeLow: true },
                'ups.onBattery': { driver: 'firmata', pin: 7 },
                'feed.A.voltage': { driver: 'firmata', analog: 1, scale: 2 },
                'alarm.common': { driver: 'firmata', pin: 9 },
                'ups.chargePct': { driver: 'modbus', device: 'd', register: 4, type: 'float32', wordOrder: 'little', offset: 1 },
                'ups.lowBattery': { driver: 'modbus', device: 'd', table: 'coil', register: 4, staleMs: 100 },
              },
            },
            'test.yaml',
          ),
        ),
      ),
    ).toEqual({
      name: 'm',
      source: 'test.yaml',
      gpio: {
        base: 3,
        refreshMs: 1000,
        signals: [
          { name: 'ups.fault', direction: 'in', pin: 1, activeLow: false, contact: 'NC', debounceMs: 20, staleMs: 2000 },
          { name: 'breaker.A.closeCmd', direction: 'out', pin: 2, activeLow: true, contact: 'NO', debounceMs: 20, staleMs: 2000 },
        ],
      },
      firmata: {
        arduino: 'uno',
        path: '/dev/a',
        baudRate: 57600,
        readyTimeoutMs: 10000,
        refreshMs: 1000,
        signals: [
          { name: 'ups.onBattery', direction: 'in', pin: 7, activeLow: false, contact: 'NO', debounceMs: 20, staleMs: 1000 },
          { name: 'alarm.common', direction: 'out', pin: 9, activeLow: false, contact: 'NO', debounceMs: 20, staleMs: 1000 },
        ],
        analog: [{ name: 'feed.A.voltage', analog: 1, scale: 2, offset: 0 }],
      },
      modbus: {
        buses: { b: { path: '/dev/x', baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 } },
        devices: { d: { bus: 'b', unitId: 1, pollMs: 1000, timeoutMs: 500, staleMs: 5000, refreshMs: 1000 } },
        signals: [
          {
            name: 'ups.chargePct',
            kind: 'number',
            device: 'd',
            direction: 'in',
            table: 'holding',
            register: 4,
            type: 'float32',
            wordOrder: 'little',
            scale: 1,
            offset: 1,
            staleMs: 5000,
          },
          {
            name: 'ups.lowBattery',
            kind: 'bool',
            device: 'd',
            direction: 'in',
            table: 'coil',
            register: 4,
            type: 'u16',
            wordOrder: 'big',
            scale: 1,
            offset: 0,
            staleMs: 100,
          },
        ],
      },
    });
  });
});
