// Alarms: active/cleared events on every change, acknowledge, and the common-alarm output an operator sees.
import { describe, expect, it } from 'vitest';
import { activeAlarms, stepAlarms, unackedAlarms, type AlarmState } from '../../src/core/alarms.js';
import { ALARM_CODES, type AlarmCode } from '../../src/core/types.js';
import { POWER_ONLY, rig } from './fixtures.js';

const cond = (...codes: AlarmCode[]) => new Map(codes.map((c) => [c, `${c} message`] as const));

describe('alarm codes', () => {
  it("include the spec's minimum set", () => {
    const spec = [
      'SOURCE_A_FAIL',
      'SOURCE_B_FAIL',
      'FAIL_TO_OPEN',
      'FAIL_TO_CLOSE',
      'POSITION_MISMATCH',
      'INTERLOCK_BLOCKED',
      'GEN_FAIL_TO_START',
      'TRANSFER_RATE_LIMIT',
      'UPS_ON_BATTERY',
      'UPS_LOW_BATTERY',
      'UPS_FAULT',
      'UPS_COMM_LOST',
      'METER_COMM_LOST',
      'PSU_REDUNDANCY_LOST',
      'PSU_CAPACITY_LOST',
      'UPLINK_DOWN',
      'NO_UPLINK',
      'RETRANSFER_PENDING_APPROVAL',
    ];
    expect(ALARM_CODES).toEqual(expect.arrayContaining(spec));
  });
});

describe('stepAlarms', () => {
  it('a new condition raises one active event; while it persists, no more events', () => {
    const a = stepAlarms({}, cond('UPS_ON_BATTERY'), false, 1000);
    expect(a.events).toEqual([{ type: 'alarm', code: 'UPS_ON_BATTERY', active: true, message: 'UPS_ON_BATTERY message' }]);
    const b = stepAlarms(a.state, cond('UPS_ON_BATTERY'), false, 2000);
    expect(b.events).toEqual([]);
    expect(b.state).toBe(a.state);
    expect(b.state.UPS_ON_BATTERY?.sinceMs).toBe(1000);
  });

  it('a condition that goes raises one cleared event', () => {
    const a = stepAlarms({}, cond('UPS_ON_BATTERY'), false, 1000);
    const b = stepAlarms(a.state, cond(), false, 2000);
    expect(b.events).toEqual([{ type: 'alarm', code: 'UPS_ON_BATTERY', active: false, message: 'UPS_ON_BATTERY message: cleared' }]);
    expect(activeAlarms(b.state)).toEqual([]);
  });

  it('ack marks the active alarms seen; an alarm raised later is unacked', () => {
    let s: AlarmState = stepAlarms({}, cond('UPS_ON_BATTERY', 'SOURCE_A_FAIL'), false, 1000).state;
    expect(unackedAlarms(s).sort()).toEqual(['SOURCE_A_FAIL', 'UPS_ON_BATTERY']);
    s = stepAlarms(s, cond('UPS_ON_BATTERY', 'SOURCE_A_FAIL'), true, 2000).state;
    expect(unackedAlarms(s)).toEqual([]);
    expect(activeAlarms(s).sort()).toEqual(['SOURCE_A_FAIL', 'UPS_ON_BATTERY']);
    s = stepAlarms(s, cond('UPS_ON_BATTERY', 'SOURCE_A_FAIL', 'UPS_LOW_BATTERY'), false, 3000).state;
    expect(unackedAlarms(s)).toEqual(['UPS_LOW_BATTERY']);
  });

  it('an acked alarm that clears and comes back is unacked again', () => {
    let s = stepAlarms({}, cond('FAIL_TO_OPEN'), true, 1000).state;
    expect(unackedAlarms(s)).toEqual([]);
    s = stepAlarms(s, cond(), false, 2000).state;
    s = stepAlarms(s, cond('FAIL_TO_OPEN'), false, 3000).state;
    expect(unackedAlarms(s)).toEqual(['FAIL_TO_OPEN']);
  });
});

describe('alarms via step(): events and the common-alarm output', () => {
  it('UPS on battery raises UPS_ON_BATTERY and alarm.common; ackAlarms turns alarm.common off; clearing emits active:false', () => {
    const r = rig(POWER_ONLY);
    r.run(0, 5000, {}, 1000);
    expect(r.last?.outputs.get('alarm.common')).toBe(false);
    r.scan(6000, { 'ups.onBattery': true });
    expect(r.of('alarm').filter((a) => a.code === 'UPS_ON_BATTERY')).toEqual([expect.objectContaining({ active: true, t: 6000 })]);
    expect(r.last?.outputs.get('alarm.common')).toBe(true);
    r.scan(7000, { 'ups.onBattery': true }, [{ name: 'ackAlarms' }]);
    expect(r.of('command').at(-1)).toMatchObject({ name: 'ackAlarms', accepted: true });
    expect(r.last?.outputs.get('alarm.common')).toBe(false);
    expect(r.state.alarms.UPS_ON_BATTERY?.acked).toBe(true);
    r.scan(8000, {});
    expect(
      r
        .of('alarm')
        .filter((a) => a.code === 'UPS_ON_BATTERY')
        .map((a) => a.active),
    ).toEqual([true, false]);
  });

  it('a healthy cabinet has no active alarm and alarm.common off', () => {
    const r = rig(POWER_ONLY);
    r.run(0, 60_000, {}, 1000);
    expect(r.last?.outputs.get('alarm.common')).toBe(false);
    expect(activeAlarms(r.state.alarms)).toEqual([]);
  });
});
