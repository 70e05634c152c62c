// STORAGE_FAULT in the pure core: raised from the runtime's `storage.fault` input, cleared when it
// goes, and it changes nothing but the alarm (and the common-alarm relay): a utility failure is
// transferred exactly as without it.
import { describe, expect, it } from 'vitest';
import { STORAGE_FAULT_SIGNAL } from '../../../src/core/signals.js';
import { ALARM_CODES } from '../../../src/core/types.js';
import { OUTAGE_AT_5S, runWithRuntimeInput, type InputValues } from '../../core/fixtures.js';

const run = (value: (t: number) => boolean, plant: (t: number) => InputValues) => runWithRuntimeInput(STORAGE_FAULT_SIGNAL, value, plant);
const outage = OUTAGE_AT_5S;

describe('STORAGE_FAULT', () => {
  it('is appended after UPLINK_ROUTE_FAULT, so no SCADA alarm bit of an older code moves', () => {
    expect(ALARM_CODES.indexOf('STORAGE_FAULT')).toBe(ALARM_CODES.indexOf('UPLINK_ROUTE_FAULT') + 1);
    // Its bit (19) is fixed from here on: codes added later come after it.
    expect(ALARM_CODES.indexOf('STORAGE_FAULT')).toBe(19);
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
