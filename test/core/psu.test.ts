// DC PSU redundancy: redundant / degraded / insufficient from DC-OK contacts, with the alarms an operator sees.
import { describe, expect, it } from 'vitest';
import { psuStateFor, stepPsu } from '../../src/core/psu.js';
import { cfgOf, DEFAULTS, inputsOf, rig } from './fixtures.js';

const psu = DEFAULTS.psu;
const oks = (a: boolean | null | undefined, b: boolean | null | undefined, c: boolean | null | undefined) =>
  inputsOf({ 'psu.1.ok': a, 'psu.2.ok': b, 'psu.3.ok': c });

describe('PSU states (3 PSUs, 2 required)', () => {
  it.each([
    [3, 2, 'redundant'],
    [2, 2, 'degraded'],
    [1, 2, 'insufficient'],
    [0, 2, 'insufficient'],
    [0, 0, 'degraded'],
  ] as const)('%d OK with %d required → %s', (ok, req, state) => {
    expect(psuStateFor(ok, req)).toBe(state);
  });

  it('all OK → redundant, one `psu` event', () => {
    const r = stepPsu(null, oks(true, true, true), psu);
    expect(r.state).toEqual({ okIds: ['1', '2', '3'], state: 'redundant' });
    expect(r.events).toEqual([{ type: 'psu', ok: 3, required: 2, state: 'redundant' }]);
  });
  it('one lost → degraded; two lost → insufficient', () => {
    const a = stepPsu(null, oks(true, true, true), psu).state;
    const b = stepPsu(a, oks(true, false, true), psu);
    expect(b.state.state).toBe('degraded');
    expect(b.events).toEqual([{ type: 'psu', ok: 2, required: 2, state: 'degraded' }]);
    expect(stepPsu(b.state, oks(false, false, true), psu).state.state).toBe('insufficient');
  });
  it('a missing or stale DC-OK contact counts as not OK', () => {
    expect(stepPsu(null, oks(true, null, undefined), psu).state).toEqual({ okIds: ['1'], state: 'insufficient' });
  });
  it('no change → no event and the same state object', () => {
    const a = stepPsu(null, oks(true, true, false), psu).state;
    const b = stepPsu(a, oks(true, true, false), psu);
    expect(b.events).toEqual([]);
    expect(b.state).toBe(a);
  });
  it('a different PSU failing with the same count updates okIds but emits no event', () => {
    const a = stepPsu(null, oks(true, true, false), psu).state;
    const b = stepPsu(a, oks(true, false, true), psu);
    expect(b.state.okIds).toEqual(['1', '3']);
    expect(b.events).toEqual([]);
  });
  it('custom ids from config', () => {
    const cfg = cfgOf({ psu: { ids: ['left', 'right'], required: 1 } });
    expect(stepPsu(null, inputsOf({ 'psu.left.ok': true, 'psu.right.ok': true }), cfg.psu).state.state).toBe('redundant');
  });
});

describe('PSU alarms via step()', () => {
  it('degraded → PSU_REDUNDANCY_LOST only; insufficient → also PSU_CAPACITY_LOST; recovery clears both', () => {
    const r = rig();
    r.scan(0, { 'psu.2.ok': false });
    expect(Object.keys(r.state.alarms)).toContain('PSU_REDUNDANCY_LOST');
    expect(Object.keys(r.state.alarms)).not.toContain('PSU_CAPACITY_LOST');
    r.scan(1000, { 'psu.2.ok': false, 'psu.3.ok': false });
    expect(Object.keys(r.state.alarms)).toEqual(expect.arrayContaining(['PSU_REDUNDANCY_LOST', 'PSU_CAPACITY_LOST']));
    r.scan(2000, {});
    expect(Object.keys(r.state.alarms)).not.toContain('PSU_REDUNDANCY_LOST');
    expect(Object.keys(r.state.alarms)).not.toContain('PSU_CAPACITY_LOST');
  });
});
