// Board files for the modbus driver: TCP buses beside serial ones, coils as outputs, device profiles
// named by point — and the `path: problem (hint)` a user sees for each mistake.
import { describe, expect, it } from 'vitest';
import { ConfigInvalid, formatError } from '../../src/config/errors.js';
import { validateBoard, type HardwareBoardFile } from '../../src/drivers/board.js';
import { PROFILES } from '../../src/drivers/modbus/profiles.js';
import { showProfiles } from '../../src/cli/profiles.js';

function errorsOf(raw: unknown): string[] {
  try {
    validateBoard(raw, 'test.yaml');
  } catch (err) {
    if (err instanceof ConfigInvalid) return err.errors.map(formatError);
    throw err;
  }
  return [];
}
const modbus = (sec: Record<string, unknown>, signals: Record<string, unknown>) => ({ name: 'x', driver: 'modbus', modbus: sec, signals });
const gateway = {
  buses: { gw: { host: '192.0.2.10' } },
  devices: { io: { bus: 'gw', unitId: 1 }, meterA: { bus: 'gw', unitId: 2, profile: 'eastron-sdm120' } },
};

describe('modbus board files', () => {
  it('takes a TCP bus by host (port 502 by default) beside a serial one by path', () => {
    const b = validateBoard(
      modbus(
        { buses: { gw: { host: '192.0.2.10' }, rs485: { path: '/dev/ttyUSB0' } }, devices: { a: { bus: 'gw', unitId: 255 }, b: { bus: 'rs485', unitId: 1 } } },
        { 'ups.fault': { device: 'a', register: 0 }, 'ups.onBattery': { device: 'b', register: 0 } },
      ),
      'test.yaml',
    ) as HardwareBoardFile;
    expect(b.modbus.buses).toEqual({
      gw: { host: '192.0.2.10', port: 502, connectTimeoutMs: 3000 },
      rs485: { path: '/dev/ttyUSB0', baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 },
    });
  });

  it('refuses a bus with both path and host, with neither, and serial keys on a TCP bus', () => {
    expect(
      errorsOf(
        modbus(
          { buses: { both: { path: '/dev/x', host: 'h' }, none: {}, half: { port: 502 }, mixed: { host: 'h', baudRate: 9600 } } },
          { 'ups.fault': { driver: 'gpio', pin: 4 } },
        ),
      ),
    ).toEqual([
      'modbus.buses.both: has both path (a serial line) and host (Modbus TCP) (a bus is one or the other: path for RS-485, host and port for Modbus TCP)',
      'modbus.buses.none: names neither a serial path nor a TCP host (give path: /dev/ttyUSB0 for RS-485, or host: 192.0.2.10 and port: 502 for Modbus TCP)',
      'modbus.buses.half: names neither a serial path nor a TCP host (give path: /dev/ttyUSB0 for RS-485, or host: 192.0.2.10 and port: 502 for Modbus TCP)',
      'modbus.buses.mixed.baudRate: unknown key (valid keys: host, port, connectTimeoutMs)',
    ]);
  });

  it('allows unit 0 or 255 on TCP only', () => {
    const errs = errorsOf(
      modbus({ buses: { rs: { path: '/dev/x' } }, devices: { d: { bus: 'rs', unitId: 255 } } }, { 'ups.fault': { device: 'd', register: 0 } }),
    );
    expect(errs).toEqual(['modbus.devices.d.unitId: 255 is not a serial unit address (use 1..247 on an RS-485 line)']);
  });

  it('makes a coil mapped to an output of the controller an output, and one mapped to an input a contact read', () => {
    const b = validateBoard(
      modbus(gateway, { 'breaker.A.closeCmd': { device: 'io', register: 0 }, 'breaker.A.closedFb': { device: 'io', table: 'coil', register: 0 } }),
      'test.yaml',
    ) as HardwareBoardFile;
    expect(b.modbus.signals.map((s) => [s.name, s.direction, s.table, s.register])).toEqual([
      ['breaker.A.closeCmd', 'out', 'coil', 0],
      ['breaker.A.closedFb', 'in', 'coil', 0],
    ]);
    expect(errorsOf(modbus(gateway, { 'alarm.common': { device: 'io', table: 'discrete', register: 3 } }))).toEqual([
      'signals.alarm.common.table: an output is written as a coil, not a discrete register (use table: coil (FC5/FC15))',
    ]);
  });

  it('resolves a profile point to its register, type and word order', () => {
    const b = validateBoard(modbus(gateway, { 'feed.A.frequency': { device: 'meterA', point: 'frequency' } }), 'test.yaml') as HardwareBoardFile;
    expect(b.modbus.signals[0]).toMatchObject({ table: 'input', register: 0x46, type: 'float32', wordOrder: 'big', scale: 1 });
  });

  it('names the path and the valid names for an unknown profile or point', () => {
    const bad = { ...gateway, devices: { ...gateway.devices, meterB: { bus: 'gw', unitId: 3, profile: 'eastron-sdm12' } } };
    expect(
      errorsOf(
        modbus(bad, {
          'feed.A.voltage': { device: 'meterA', point: 'voltag' },
          'feed.A.frequency': { device: 'meterA', point: 'frequency', register: 70, type: 'u16' },
          'feed.B.voltage': { device: 'meterB', point: 'voltage' },
          'ups.chargePct': { device: 'io', point: 'voltage' },
        }),
      ),
    ).toEqual([
      'modbus.devices.meterB.profile: unknown profile "eastron-sdm12" (did you mean "eastron-sdm120"? known profiles: eastron-sdm120, eastron-sdm630, dse-gencomm)',
      `signals.feed.A.voltage.point: no point "voltag" in profile eastron-sdm120 (did you mean "voltage"? known points: ${Object.keys(PROFILES.get('eastron-sdm120')?.points ?? {}).join(', ')})`,
      'signals.feed.A.frequency.register: given by the profile\'s point "frequency" (remove it)',
      'signals.feed.A.frequency.type: given by the profile\'s point "frequency" (remove it)',
      'signals.ups.chargePct.point: device "io" has no profile (give the device a profile (twinfeed profiles), or give table and register here)',
    ]);
  });

  it('refuses to read a write-only command register of a profile', () => {
    const gen = { buses: { gw: { host: 'h' } }, devices: { gen: { bus: 'gw', unitId: 10, profile: 'dse-gencomm' } } };
    expect(errorsOf(modbus(gen, { 'ups.runtimeS': { device: 'gen', point: 'systemControlKey' } }))).toEqual([
      'signals.ups.runtimeS.point: "systemControlKey" is a command register, written, never read (map a point that can be read)',
    ]);
  });

  it('ships the profiles the issue names, each citing its source, with the registers of the public maps', () => {
    const reg = (p: string, pt: string) => PROFILES.get(p)?.points[pt]?.register;
    for (const p of PROFILES.values()) expect(p.source.length).toBeGreaterThan(20);
    expect(['voltage', 'current', 'power', 'frequency', 'importKwh'].map((pt) => reg('eastron-sdm120', pt))).toEqual([0x0000, 0x0006, 0x000c, 0x0046, 0x0048]);
    expect(['voltageL1', 'currentL1', 'powerL1', 'frequency', 'importKwh'].map((pt) => reg('eastron-sdm630', pt))).toEqual([
      0x0000, 0x0006, 0x000c, 0x0046, 0x0048,
    ]);
    expect(['controlMode', 'engineState', 'alarmCount', 'systemControlKey', 'systemControlKeyComplement'].map((pt) => reg('dse-gencomm', pt))).toEqual([
      772,
      1408,
      154 * 256,
      4104,
      4105,
    ]);
  });

  it('lists the profiles and their points (`twinfeed profiles`)', () => {
    const lines: string[] = [];
    expect(showProfiles(false, { out: (l) => lines.push(l) })).toBe(0);
    const text = lines.join('\n');
    expect(text).toMatch(/^eastron-sdm120: Eastron SDM120/m);
    expect(text).toMatch(/^ {2}frequency +input 70 \(0x0046\) float32/m);
    expect(text).toMatch(/^dse-gencomm: /m);
    expect(text).toMatch(/systemControlKey +holding 4104 \(0x1008\) u16 +write-only/);
  });
});
