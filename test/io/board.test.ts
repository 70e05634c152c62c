import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSimBoard, loadBoardFile, validateBoard, type HardwareBoardFile } from '../../src/drivers/board.js';
import { boardErrorLines as errorsOf } from '../error-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'twinfeed-board-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const hardware = (raw: unknown) => validateBoard(raw, 'test.yaml') as HardwareBoardFile;

const minimal = {
  name: 'bench',
  driver: 'gpio',
  signals: {
    'breaker.A.closeCmd': { pin: 17, activeLow: true },
    'breaker.A.closedFb': { pin: 27, contact: 'NC', debounceMs: '50ms' },
  },
};

describe('board files', () => {
  it('resolves a small GPIO board with defaults filled in', () => {
    const b = hardware(minimal);
    expect(b.gpio.signals).toEqual([
      { name: 'breaker.A.closeCmd', direction: 'out', pin: 17, activeLow: true, contact: 'NO', debounceMs: 20, staleMs: 1000 },
      { name: 'breaker.A.closedFb', direction: 'in', pin: 27, activeLow: false, contact: 'NC', debounceMs: 50, staleMs: 1000 },
    ]);
    expect(b.gpio.refreshMs).toBe(1000);
    expect(b.firmata).toBeUndefined();
  });

  it('recognises the sim board', () => {
    const b = loadBoardFile(file('sim.yaml', 'name: sim\ndriver: sim\n'));
    expect(isSimBoard(b)).toBe(true);
    expect(isSimBoard(hardware(minimal))).toBe(false);
  });

  it('suggests the signal the user probably meant', () => {
    expect(errorsOf({ name: 'x', driver: 'gpio', signals: { 'breaker.A.closeFb': { pin: 4 } } })).toEqual([
      'signals.breaker.A.closeFb: unknown signal (did you mean "breaker.A.closedFb"?)',
    ]);
  });

  it('accepts any PSU id and modem power relays, refuses uplink carriers (the uplink driver owns them)', () => {
    expect(errorsOf({ name: 'x', driver: 'gpio', signals: { 'psu.rect-3.ok': { pin: 5 } } })).toEqual([]);
    expect(errorsOf({ name: 'x', driver: 'gpio', signals: { 'uplink.lte.carrier': { pin: 5 } } })[0]).toMatch(/uplink driver/);
    // the modem power relay is an output like any other
    expect(hardware({ name: 'x', driver: 'gpio', signals: { 'uplink.lte.powerCycle': { pin: 7 } } }).gpio.signals[0]?.direction).toBe('out');
  });

  it('reports every problem at once, each with its path and a hint', () => {
    const errors = errorsOf({
      name: 'x',
      driver: 'gpio',
      signals: {
        'breaker.A.closeCmd': { pin: 17 },
        'breaker.B.closeCmd': { pin: 17 },
        'feed.A.voltage': { pin: 3 },
        'breaker.B.closedFb': { pinn: 22 },
        'alarm.common': { pin: 9, debounceMs: 10 },
      },
    });
    expect(errors).toEqual([
      'signals.breaker.B.closedFb.pinn: unknown key (did you mean "pin"?)',
      'signals.breaker.B.closeCmd.pin: gpio pin 17 is already used by breaker.A.closeCmd (every signal needs its own pin)',
      'signals.feed.A.voltage.driver: a GPIO pin cannot carry a measurement (read it from a modbus device (or a firmata analog channel))',
      'signals.alarm.common.debounceMs: does not apply to an output (remove it)',
    ]);
  });

  it('needs a driver for every signal', () => {
    expect(errorsOf({ name: 'x', signals: { 'ups.fault': { pin: 4 } } })).toEqual([
      'signals.ups.fault.driver: missing (give driver: gpio | firmata | modbus | nut here, or a top-level "driver:")',
    ]);
  });

  const modbusBoard = (signals: Record<string, unknown>, devices: Record<string, unknown> = { meterA: { bus: 'rs485', unitId: 1 } }) => ({
    name: 'm',
    driver: 'modbus',
    modbus: { buses: { rs485: { path: '/dev/ttyUSB0' } }, devices },
    signals,
  });

  it('resolves Modbus signals against their device', () => {
    const b = hardware(modbusBoard({ 'feed.A.voltage': { device: 'meterA', register: 0, table: 'input', type: 'float32' } }));
    expect(b.modbus.buses.rs485).toEqual({ path: '/dev/ttyUSB0', baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 });
    expect(b.modbus.signals[0]).toMatchObject({ device: 'meterA', table: 'input', type: 'float32', wordOrder: 'big', scale: 1, staleMs: 5000 });
  });

  it('catches Modbus mistakes: unknown device or bus, a measurement in a coil, a value past 65535, an output not on a coil', () => {
    const errors = errorsOf(
      modbusBoard(
        {
          'feed.A.voltage': { device: 'metreA', register: 0 },
          'ups.chargePct': { device: 'ups', register: 1, table: 'coil' },
          'ups.runtimeS': { device: 'ups', register: 65535, type: 'u32' },
          'breaker.A.closeCmd': { device: 'ups', register: 3, table: 'holding' },
        },
        { meterA: { bus: 'rs485', unitId: 1 }, ups: { bus: 'rs458', unitId: 1, pollMs: 500, timeoutMs: 800 } },
      ),
    );
    expect(errors).toEqual([
      'modbus.devices.ups.bus: no bus "rs458" (did you mean "rs485"?)',
      'modbus.devices.ups.timeoutMs: timeout is not shorter than the poll period (lower timeoutMs or raise pollMs)',
      'signals.feed.A.voltage.device: no device "metreA" (did you mean "meterA"?)',
      'signals.ups.chargePct.table: a coil is one bit and cannot carry a measurement (use table: holding or input)',
      'signals.ups.runtimeS.register: the value runs past register 65535 (check the address)',
      'signals.breaker.A.closeCmd.table: an output is written as a coil, not a holding register (use table: coil (FC5/FC15))',
    ]);
  });

  it('asks for the firmata section when a signal uses firmata', () => {
    expect(errorsOf({ name: 'x', driver: 'firmata', signals: { 'ups.onBattery': { pin: 2 } } })).toEqual([
      'firmata: missing (signals use driver firmata: give firmata: { path: /dev/ttyACM0 })',
    ]);
  });

  it('reports a YAML syntax error with its line, and a missing file', () => {
    expect(() => loadBoardFile(file('bad.yaml', 'name: x\nsignals:\n  a: [1\n'))).toThrow(/line \d+, column \d+/);
    expect(() => loadBoardFile(join(dir, 'nope.yaml'))).toThrow(/cannot read file \(ENOENT\)/);
  });

  it('rejects signals on a sim board and unknown top-level keys', () => {
    expect(errorsOf({ name: 'sim', driver: 'sim', signals: { 'ups.fault': { pin: 1 } } })[0]).toMatch(/^signals: a sim board maps no signals/);
    expect(errorsOf({ name: 'x', drivers: 'gpio' })).toEqual(['drivers: unknown key (did you mean "driver"?)']);
  });
});
