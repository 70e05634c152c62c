// STORAGE_FAULT in the pure core: raised from the runtime's `storage.fault` input, cleared when it
// goes, and it changes nothing but the alarm (and the common-alarm relay): a utility failure is
// transferred exactly as without it.
import { describe, expect, it } from 'vitest';
import { initialState, step } from '../../../src/core/controller.js';
import { STORAGE_FAULT_SIGNAL } from '../../../src/core/signals.js';
import type { ControllerState } from '../../../src/core/state.js';
import { ALARM_CODES, type ControllerEvent } from '../../../src/core/types.js';
import { NORMAL, POWER_ONLY, snap, type InputValues } from '../../core/fixtures.js';

function run(storageFault: (t: number) => boolean, plant: (t: number) => InputValues) {
  let state: ControllerState = initialState(POWER_ONLY, 0);
  const events: (ControllerEvent & { t: number })[] = [];
  const images: string[] = [];
  for (let t = 0; t <= 60_000; t += 100) {
    const r = step(POWER_ONLY, state, snap(t, { ...NORMAL, ...plant(t), [STORAGE_FAULT_SIGNAL]: storageFault(t) }), []);
    state = r.state;
    for (const e of r.events) events.push({ t, ...e });
    images.push(JSON.stringify([...r.outputs].filter(([k]) => k !== 'alarm.common')));
  }
  return { events, images };
}

// Utility fails at 5 s and the generator's voltage is there from then on (no plant: enough for a transfer).
const outage = (t: number): InputValues => (t >= 5000 ? { 'feed.A.voltage': 0, 'feed.B.voltage': 230, 'feed.B.frequency': 50 } : {});

describe('STORAGE_FAULT', () => {
  it('is appended after UPLINK_ROUTE_FAULT, so no SCADA alarm bit of an older code moves', () => {
    expect(ALARM_CODES.indexOf('STORAGE_FAULT')).toBe(ALARM_CODES.indexOf('UPLINK_ROUTE_FAULT') + 1);
    expect(ALARM_CODES[ALARM_CODES.length - 1]).toBe('STORAGE_FAULT');
  });

  it('follows the storage.fault input: active while it is true, cleared after', () => {
    const { events } = run(
      (t) => t >= 1000 && t < 3000,
      () => ({}),
    );
    const alarms = events.filter((e) => e.type === 'alarm' && e.code === 'STORAGE_FAULT');
    expect(alarms.map((e) => [e.t, e.type === 'alarm' && e.active])).toEqual([
      [1000, true],
      [3000, false],
    ]);
  });

  it('changes no output but the common alarm: the same outage gives the same images with and without it', () => {
    const withFault = run(() => true, outage);
    const without = run(() => false, outage);
    expect(withFault.images).toEqual(without.images);
    expect(withFault.events.some((e) => e.type === 'transfer.begin')).toBe(true);
  });
});
