// GEN_NOT_IN_AUTO: the genset controller's key out of auto is an alarm before any outage; a mode
// that is not mapped or not fresh raises nothing (unknown is not "not in auto").
import { describe, expect, it } from 'vitest';
import { statusOf } from '../../src/core/status.js';
import { ALARM_CODES, type Status } from '../../src/core/types.js';
import { REGISTERS } from '../../src/scada/map.js';
import { published } from '../scada/fakes.js';
import { POWER_ONLY, rig } from './fixtures.js';

/** Registers 39..44 as SCADA reads them for this status. */
function registersOf(status: Status): number[] {
  const at = (name: string) => REGISTERS.find((d) => d.name === name);
  return ['genControlMode', 'genEngineHours', 'genStarts', 'genFuelPct'].flatMap((name) => {
    const v = Number(at(name)?.read?.(published(status), { uplinkIds: [] }) ?? NaN);
    return at(name)?.type === 'u32' ? [Math.floor(v / 0x10000), v % 0x10000] : [v];
  });
}

const alarmsAt = (r: ReturnType<typeof rig>) => r.of('alarm').filter((a) => a.code === 'GEN_NOT_IN_AUTO');

describe('GEN_NOT_IN_AUTO', () => {
  it('is appended after STORAGE_FAULT: SCADA alarm bit 20, no older bit moves', () => {
    expect(ALARM_CODES.indexOf('STORAGE_FAULT')).toBe(19);
    expect(ALARM_CODES.indexOf('GEN_NOT_IN_AUTO')).toBe(20);
  });

  it.each([
    [0, 'stop'],
    [2, 'manual'],
    [3, 'test on load'],
    [6, 'test off load'],
    [7, 'off'],
  ])('is raised while the controller reports mode %i (%s), with the utility healthy', (mode, name) => {
    const r = rig(POWER_ONLY);
    r.scan(0, { 'generator.controlMode': 1 });
    r.scan(100, { 'generator.controlMode': mode });
    expect(alarmsAt(r)).toMatchObject([{ t: 100, active: true, message: expect.stringContaining(`in ${name}, not auto`) }]);
    expect(r.last?.outputs.get('alarm.common')).toBe(true);
    expect(r.last?.outputs.get('generator.start')).toBe(false);
  });

  it('clears when the key is back in auto', () => {
    const r = rig(POWER_ONLY);
    r.scan(0, { 'generator.controlMode': 7 });
    r.scan(100, { 'generator.controlMode': 1 });
    expect(alarmsAt(r).map((a) => [a.t, a.active])).toEqual([
      [0, true],
      [100, false],
    ]);
  });

  it('names a mode GenComm does not define', () => {
    const r = rig(POWER_ONLY);
    r.scan(0, { 'generator.controlMode': 5 });
    expect(alarmsAt(r)[0]?.message).toContain('unknown mode 5');
  });

  it('is not raised when the mode is not mapped, or stale', () => {
    const r = rig(POWER_ONLY);
    r.run(0, 1000);
    r.scan(1100, { 'generator.controlMode': null });
    expect(alarmsAt(r)).toEqual([]);
    expect(r.last?.outputs.get('alarm.common')).toBe(false);
  });
});

describe("the genset controller's readings", () => {
  it('are reported in status and SCADA where mapped, and unknown (null, 0xFFFF) where not or stale', () => {
    const r = rig(POWER_ONLY);
    r.scan(0);
    const unknown = statusOf(POWER_ONLY, r.state, 0);
    expect(unknown.genset).toEqual({ controlMode: null, engineHours: null, starts: null, fuelPct: null, engineState: null });
    expect(registersOf(unknown)).toEqual([0xffff, 0, 0, 0, 0, 0xffff]);
    r.scan(100, { 'generator.controlMode': 0, 'generator.engineHours': 70000.25, 'generator.starts': 70000, 'generator.fuelPct': 0 });
    const known = statusOf(POWER_ONLY, r.state, 100);
    expect(known.genset).toEqual({ controlMode: 0, engineHours: 70000.25, starts: 70000, fuelPct: 0, engineState: null });
    // 700 002.5 tenths of an hour round to 700 003 = 0x000A_ae63; 70 000 starts = 0x0001_1170.
    expect(registersOf(known)).toEqual([0, 0x000a, 0xae63, 0x0001, 0x1170, 0]);
    r.scan(200, { 'generator.controlMode': null, 'generator.engineHours': null, 'generator.starts': null, 'generator.fuelPct': null });
    expect(statusOf(POWER_ONLY, r.state, 200).genset).toEqual(unknown.genset);
  });
});
