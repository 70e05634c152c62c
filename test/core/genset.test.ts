// GEN_NOT_IN_AUTO: the genset controller's key out of auto is an alarm before any outage; a mode
// that is not mapped or not fresh raises nothing (unknown is not "not in auto").
import { describe, expect, it } from 'vitest';
import { ALARM_CODES } from '../../src/core/types.js';
import { POWER_ONLY, rig } from './fixtures.js';

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
