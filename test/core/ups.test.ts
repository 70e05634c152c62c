// UPS: on battery, low battery by charge / runtime / flag, fault, comm lost by staleness (holding the last values).
import { describe, expect, it } from 'vitest';
import { stepUps, UPS_UNKNOWN, type UpsState } from '../../src/core/ups.js';
import type { Reading, SignalName } from '../../src/core/types.js';
import { DEFAULTS, fresh, inputsOf, rig, type InputValues } from './fixtures.js';

const ups = DEFAULTS.ups;
const OK: InputValues = { 'ups.onBattery': false, 'ups.lowBattery': false, 'ups.fault': false, 'ups.chargePct': 100, 'ups.runtimeS': 1200 };
const stepWith = (prev: UpsState, v: InputValues) => stepUps(prev, inputsOf({ ...OK, ...v }), ups);
const good = stepWith(UPS_UNKNOWN, {}).state;

describe('UPS evaluation', () => {
  it('fresh values: comm, not on battery, not low', () => {
    expect(good).toEqual({ comm: true, onBattery: false, lowBattery: false, fault: false, chargePct: 100, runtimeS: 1200 });
  });
  it('low battery by charge: 24 % is low, 25 % is not', () => {
    expect(stepWith(good, { 'ups.chargePct': 24 }).state.lowBattery).toBe(true);
    expect(stepWith(good, { 'ups.chargePct': 25 }).state.lowBattery).toBe(false);
  });
  it('low battery by runtime: 299 s is low, 300 s is not', () => {
    expect(stepWith(good, { 'ups.runtimeS': 299 }).state.lowBattery).toBe(true);
    expect(stepWith(good, { 'ups.runtimeS': 300 }).state.lowBattery).toBe(false);
  });
  it("low battery by the UPS's own flag at full charge", () => {
    expect(stepWith(good, { 'ups.lowBattery': true }).state.lowBattery).toBe(true);
  });
  it('on battery and fault follow their signals, with one `ups` event per change', () => {
    const r = stepWith(good, { 'ups.onBattery': true, 'ups.chargePct': 90 });
    expect(r.state.onBattery).toBe(true);
    expect(r.events).toEqual([{ type: 'ups', onBattery: true, lowBattery: false, chargePct: 90, comm: true }]);
    expect(stepWith(r.state, { 'ups.onBattery': true, 'ups.chargePct': 89 }).events).toEqual([]);
    expect(stepWith(good, { 'ups.fault': true }).state.fault).toBe(true);
  });
  it('comm lost by staleness (older than 5 s): comm false, last values held', () => {
    const onBatt = stepWith(good, { 'ups.onBattery': true, 'ups.chargePct': 60 }).state;
    const aged = new Map<SignalName, Reading>(
      [...inputsOf({ ...OK, 'ups.onBattery': true, 'ups.chargePct': 60 })].map(([k, v]) => [k, fresh(v.value as boolean | number, 5001)]),
    );
    const r = stepUps(onBatt, aged, ups);
    expect(r.state).toEqual({ ...onBatt, comm: false });
    expect(r.events).toEqual([{ type: 'ups', onBattery: true, lowBattery: false, chargePct: 60, comm: false }]);
  });
  it('a reading exactly 5 s old is still fresh', () => {
    const aged = new Map<SignalName, Reading>([...inputsOf(OK)].map(([k, v]) => [k, fresh(v.value as boolean | number, 5000)]));
    expect(stepUps(good, aged, ups).state.comm).toBe(true);
  });
  it('one stale signal among fresh ones is comm lost', () => {
    expect(stepWith(good, { 'ups.chargePct': null }).state.comm).toBe(false);
  });
  it('no UPS signals at all: comm false', () => {
    expect(stepUps(UPS_UNKNOWN, new Map(), ups).state.comm).toBe(false);
  });
  it('disabled: nothing changes, no events', () => {
    const r = stepUps(UPS_UNKNOWN, inputsOf(OK), { ...ups, enabled: false });
    expect(r).toEqual({ state: UPS_UNKNOWN, events: [] });
  });
});

describe('UPS alarms via step()', () => {
  it('stale UPS → UPS_COMM_LOST, UPS_ON_BATTERY held while comm is lost', () => {
    const r = rig();
    r.run(0, 2000, { 'ups.onBattery': true }, 1000);
    r.run(3000, 5000, { 'ups.onBattery': null, 'ups.chargePct': null, 'ups.lowBattery': null, 'ups.fault': null, 'ups.runtimeS': null }, 1000);
    const active = Object.keys(r.state.alarms);
    expect(active).toContain('UPS_COMM_LOST');
    expect(active).toContain('UPS_ON_BATTERY');
  });
  it('low charge → UPS_LOW_BATTERY alarm', () => {
    const r = rig();
    r.scan(0, { 'ups.chargePct': 10 });
    expect(r.of('alarm').some((a) => a.code === 'UPS_LOW_BATTERY' && a.active)).toBe(true);
  });
});
