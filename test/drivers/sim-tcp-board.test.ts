// boards/sim-tcp.yaml is the plant's device map seen from the controller: every point it maps sits
// exactly where sim/plant/devices.ts puts it, and it validates with the shipped configs.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadBoardFile, type HardwareBoardFile } from '../../src/drivers/board.js';
import { PROFILES } from '../../src/drivers/modbus/profiles.js';
import { checkBoardFile, signalsNeeded } from '../../src/runtime/boards.js';
import { deviceLayout, METER_REGISTERS, UNIT, UPS_FLAG_BITS, UPS_REGISTERS } from '../../sim/plant/devices.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BOARD = join(ROOT, 'boards', 'sim-tcp.yaml');
const board = loadBoardFile(BOARD) as HardwareBoardFile;
const defaults = loadConfig(undefined).config;
const layout = deviceLayout(
  defaults.psu.ids,
  defaults.uplinks.links.map((l) => l.id),
);
const sig = (name: string) => board.modbus.signals.find((s) => s.name === name);
const unitOf = (name: string) => board.modbus.devices[sig(name)?.device ?? '']?.unitId;

describe('boards/sim-tcp.yaml', () => {
  it('talks to the plant at 127.0.0.1:5020', () => {
    expect(Object.values(board.modbus.buses)).toEqual([{ host: '127.0.0.1', port: 5020, connectTimeoutMs: 1000 }]);
  });

  it("maps the I/O module's coils and contacts at the plant's addresses", () => {
    layout.coils.forEach((name, i) => expect(sig(name), name).toMatchObject({ direction: 'out', table: 'coil', register: i }));
    layout.coils.forEach((name) => expect(unitOf(name)).toBe(UNIT.io));
    // The carriers after the PSUs are the uplink driver's, not the board's.
    layout.discretes.forEach((name, i) => {
      if (name.endsWith('.carrier')) return expect(sig(name)).toBeUndefined();
      expect(sig(name), name).toMatchObject({ direction: 'in', table: 'discrete', register: i });
      expect(unitOf(name)).toBe(UNIT.io);
    });
  });

  it('reads each feed from its SDM120 meter by profile, where the plant serves voltage and frequency', () => {
    expect(PROFILES.get('eastron-sdm120')?.points.voltage?.register).toBe(METER_REGISTERS.voltage);
    for (const [feed, unit] of [
      ['A', UNIT.meterA],
      ['B', UNIT.meterB],
    ] as const) {
      expect(sig(`feed.${feed}.voltage`)).toMatchObject({ table: 'input', register: METER_REGISTERS.voltage, type: 'float32', wordOrder: 'big' });
      expect(sig(`feed.${feed}.frequency`)).toMatchObject({ table: 'input', register: METER_REGISTERS.frequency, type: 'float32', wordOrder: 'big' });
      expect(unitOf(`feed.${feed}.voltage`)).toBe(unit);
    }
  });

  it("reads the UPS card's flags, charge and runtime", () => {
    for (const [name, bit] of Object.entries(UPS_FLAG_BITS)) expect(sig(`ups.${name}`)).toMatchObject({ table: 'holding', register: UPS_REGISTERS.flags, bit });
    expect(sig('ups.chargePct')).toMatchObject({ table: 'holding', register: UPS_REGISTERS.chargePct, scale: 1 });
    expect(sig('ups.runtimeS')).toMatchObject({ table: 'holding', register: UPS_REGISTERS.runtimeS, scale: 1 });
    expect(unitOf('ups.chargePct')).toBe(UNIT.ups);
  });

  it('maps every signal the default config uses that the plant has', () => {
    const mapped = new Set(board.modbus.signals.map((s) => s.name));
    const plantHas = new Set([
      ...layout.coils,
      ...layout.discretes,
      'feed.A.voltage',
      'feed.A.frequency',
      'feed.B.voltage',
      'feed.B.frequency',
      ...Object.keys(UPS_FLAG_BITS).map((b) => `ups.${b}`),
      'ups.chargePct',
      'ups.runtimeS',
    ]);
    expect(signalsNeeded(defaults).filter((s) => plantHas.has(s) && !mapped.has(s))).toEqual([]);
  });

  it.each([undefined, join(ROOT, 'deploy', 'config.example.yaml')])('passes check-config with %s', async (cfg) => {
    await expect(checkBoardFile(BOARD, loadConfig(cfg).config)).resolves.toBeUndefined();
  });
});
