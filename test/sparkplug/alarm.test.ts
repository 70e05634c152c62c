// SPARKPLUG_FAULT in the pure core: raised from the runtime's `sparkplug.fault` input, cleared when it
// goes, and it changes nothing but the alarm (and the common-alarm relay): the controller keeps
// controlling exactly as without it.
import { describe, expect, it } from 'vitest';
import { initialState, step } from '../../src/core/controller.js';
import { SPARKPLUG_FAULT_SIGNAL } from '../../src/core/signals.js';
import type { ControllerState } from '../../src/core/state.js';
import { ALARM_CODES, type ControllerEvent } from '../../src/core/types.js';
import { NORMAL, POWER_ONLY, snap, type InputValues } from '../core/fixtures.js';

function run(fault: (t: number) => boolean, plant: (t: number) => InputValues) {
  let state: ControllerState = initialState(POWER_ONLY, 0);
  const events: (ControllerEvent & { t: number })[] = [];
  const images: string[] = [];
  for (let t = 0; t <= 60_000; t += 100) {
    const r = step(POWER_ONLY, state, snap(t, { ...NORMAL, ...plant(t), [SPARKPLUG_FAULT_SIGNAL]: fault(t) }), []);
    state = r.state;
    for (const e of r.events) events.push({ t, ...e });
    images.push(JSON.stringify([...r.outputs].filter(([k]) => k !== 'alarm.common')));
  }
  return { events, images };
}

const outage = (t: number): InputValues => (t >= 5000 ? { 'feed.A.voltage': 0, 'feed.B.voltage': 230, 'feed.B.frequency': 50 } : {});

describe('SPARKPLUG_FAULT', () => {
  it('is appended after the codes before it, so no SCADA alarm bit moves', () => {
    expect(ALARM_CODES.at(-1)).toBe('SPARKPLUG_FAULT');
    expect(ALARM_CODES.indexOf('SPARKPLUG_FAULT')).toBeGreaterThan(ALARM_CODES.indexOf('GEN_NOT_IN_AUTO'));
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
