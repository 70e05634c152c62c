// SPARKPLUG_FAULT in the pure core: raised from the runtime's `sparkplug.fault` input, cleared when it
// goes, and it changes nothing but the alarm (and the common-alarm relay): the controller keeps
// controlling exactly as without it.
import { describe, expect, it } from 'vitest';
import { SPARKPLUG_FAULT_SIGNAL } from '../../src/core/signals.js';
import { ALARM_CODES } from '../../src/core/types.js';
import { OUTAGE_AT_5S, runWithRuntimeInput, type InputValues } from '../core/fixtures.js';

const run = (value: (t: number) => boolean, plant: (t: number) => InputValues) => runWithRuntimeInput(SPARKPLUG_FAULT_SIGNAL, value, plant);
const outage = OUTAGE_AT_5S;

describe('SPARKPLUG_FAULT', () => {
  it('is appended after the codes before it, so no SCADA alarm bit moves', () => {
    // SCADA alarm bit 22 for good: codes appended later (BREAKER_FEEDBACK_LOST, bit 23) come after it.
    expect(ALARM_CODES.indexOf('SPARKPLUG_FAULT')).toBe(22);
    expect(ALARM_CODES.indexOf('BREAKER_FEEDBACK_LOST')).toBe(23);
  });

  it('follows the sparkplug.fault input: active while it is true, cleared after', () => {
    const { events } = run(
      (t) => t >= 1000 && t < 3000,
      () => ({}),
    );
    const alarms = events.filter((e) => e.type === 'alarm' && e.code === 'SPARKPLUG_FAULT');
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
