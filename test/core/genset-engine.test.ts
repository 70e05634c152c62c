// The genset controller's engine state and named alarms (GenComm 1408, page 154): where mapped, the
// generator machine takes "running" and "fail to start" from the controller, and a shutdown alarm
// is reported; where not mapped, the feed voltage judges as before.
import { describe, expect, it } from 'vitest';
import { engineReport as reportWith } from '../../src/core/genset-engine.js';
import { ALARM_CODES, type Reading, type SignalName } from '../../src/core/types.js';
import { POWER_ONLY, rig } from './fixtures.js';

const fresh = (v: number): Reading => ({ value: v, ageMs: 0 });
const inputs = (o: Record<string, number>) => new Map<SignalName, Reading>(Object.entries(o).map(([k, v]) => [k as SignalName, fresh(v)]));
const DEFAULT_CODES = POWER_ONLY.power.generator.engineStates;
const engineReport = (i: ReadonlyMap<SignalName, Reading>) => reportWith(i, DEFAULT_CODES);
const states = (r: ReturnType<typeof rig>) => r.of('generator').map((g) => [g.t, g.state]);

describe('engineReport', () => {
  it('reads running from the engine state, and knows nothing where it is not mapped', () => {
    // The table Victron's driver uses for real DSE modules: 2 warming up, 3 running, 4 cooling down run.
    for (const code of [2, 3, 4]) expect(engineReport(inputs({ 'generator.engineState': code })).running).toBe(true);
    // 0 and 5 engine stopped, 1 pre-start (not started yet), 6 post run.
    for (const code of [0, 1, 5, 6]) expect(engineReport(inputs({ 'generator.engineState': code })).running).toBe(false);
    expect(engineReport(inputs({})).running).toBeUndefined();
    // A code outside the (assumed) table, e.g. GenComm's unimplemented 0xFFFF: the voltage judges, not a guess.
    expect(engineReport(inputs({ 'generator.engineState': 0xffff })).running).toBeUndefined();
    expect(engineReport(inputs({ 'generator.engineState': 15 })).running).toBeUndefined(); // "not available"
    expect(engineReport(inputs({ 'generator.engineState': 9 })).running).toBeUndefined();
  });

  it('takes the running and not-running codes from power.generator.engineStates, for a module whose table differs', () => {
    const own = { running: [5], notRunning: [0] };
    expect(reportWith(inputs({ 'generator.engineState': 5 }), own).running).toBe(true);
    expect(reportWith(inputs({ 'generator.engineState': 3 }), own).running).toBeUndefined();
    expect(reportWith(inputs({ 'generator.engineState': 0 }), own).running).toBe(false);
  });

  it('decodes alarm 7 (fail to start) from the second register, 4 bits each, alarm 5 in the top nibble', () => {
    expect(engineReport(inputs({ 'generator.namedAlarms2': 0x1121 })).failToStart).toBe(true); // warning
    expect(engineReport(inputs({ 'generator.namedAlarms2': 0x1131 })).failToStart).toBe(true); // shutdown
    expect(engineReport(inputs({ 'generator.namedAlarms2': 0x1111 })).failToStart).toBe(false); // not active
    expect(engineReport(inputs({ 'generator.namedAlarms2': 0xffff })).failToStart).toBe(false); // unimplemented
    expect(engineReport(inputs({ 'generator.namedAlarms2': 0x3111 })).failToStart).toBe(false); // that is under speed
  });

  it('lists the alarms at shutdown or electrical trip level, not warnings', () => {
    const r = engineReport(inputs({ 'generator.namedAlarms1': 0x1312, 'generator.namedAlarms2': 0x4111 }));
    expect(r.shutdowns).toEqual(['low oil pressure (shutdown)', 'under speed (electrical trip)']);
  });
});

describe('the generator machine with a genset controller', () => {
  const outage = { 'feed.A.voltage': 0 };

  it('fails at once when the controller reports fail to start (not after the 30 s start timeout)', () => {
    const r = rig(POWER_ONLY);
    r.run(0, 2900, { ...outage, 'generator.engineState': 0, 'generator.namedAlarms2': 0x1111 });
    r.run(3000, 9900, { ...outage, 'generator.engineState': 1, 'generator.namedAlarms2': 0x1111 });
    expect(states(r)).toEqual([[0, 'starting']]);
    r.scan(10_000, { ...outage, 'generator.engineState': 0, 'generator.namedAlarms2': 0x1131 });
    expect(states(r)).toEqual([
      [0, 'starting'],
      [10_000, 'failed'],
    ]);
    const alarms = r.of('alarm').filter((a) => a.active && a.code.startsWith('GEN_'));
    expect(alarms.map((a) => [a.code, a.message])).toEqual([
      ['GEN_FAIL_TO_START', 'generator controller reports fail to start'],
      ['GEN_SHUTDOWN', expect.stringContaining('fail to start (shutdown)')],
    ]);
  });

  it('is running when the controller says so, before the feed voltage is in', () => {
    const r = rig(POWER_ONLY);
    r.run(0, 5900, { ...outage, 'generator.engineState': 1 });
    r.scan(6000, { ...outage, 'generator.engineState': 3 });
    expect(states(r)).toEqual([
      [0, 'starting'],
      [6000, 'running'],
    ]);
  });

  it('counts a warm-up as running: a warm-up longer than the start timeout is no fail-to-start', () => {
    const r = rig(POWER_ONLY);
    r.run(0, 4900, { ...outage, 'generator.engineState': 1 });
    // DSE warms the set up before it offers load; 60 s here, twice the 30 s start timeout, with no voltage yet.
    r.run(5000, 65_000, { ...outage, 'generator.engineState': 2 });
    expect(states(r)).toEqual([
      [0, 'starting'],
      [5000, 'running'],
    ]);
    expect(r.of('alarm').filter((a) => a.code === 'GEN_FAIL_TO_START')).toEqual([]);
  });

  it('does not call the generator running on voltage alone while the controller says its engine is stopped', () => {
    const r = rig(POWER_ONLY);
    r.run(0, 9900, { ...outage, 'generator.engineState': 1 });
    r.run(10_000, 12_000, { ...outage, 'generator.engineState': 0, 'feed.B.voltage': 230, 'feed.B.frequency': 50 });
    expect(states(r)).toEqual([[0, 'starting']]);
  });

  it('judges by voltage as before where no engine state is mapped', () => {
    const r = rig(POWER_ONLY);
    r.run(0, 9900, { ...outage, 'feed.B.voltage': 0 });
    r.scan(10_000, { ...outage, 'feed.B.voltage': 230, 'feed.B.frequency': 50 });
    expect(states(r)).toEqual([
      [0, 'starting'],
      [10_000, 'running'],
    ]);
  });

  it('GEN_SHUTDOWN is appended after GEN_NOT_IN_AUTO: SCADA alarm bit 21, no older bit moves', () => {
    expect(ALARM_CODES.indexOf('GEN_NOT_IN_AUTO')).toBe(20);
    expect(ALARM_CODES.indexOf('GEN_SHUTDOWN')).toBe(21);
  });
});
