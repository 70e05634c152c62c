// step() answers every request with a verdict, in request order, whichever sub-machine handled it;
// the `command` events keep their stream order (power commands first, then uplink ones).
import { describe, expect, it } from 'vitest';
import { DEFAULTS, rig } from './fixtures.js';

describe('command verdicts', () => {
  it('come back in request order with uplink and power commands mixed', () => {
    const r = rig(DEFAULTS);
    r.scan(0);
    const res = r.scan(100, {}, [
      { name: 'selectUplink', id: 'nope' },
      { name: 'transferTo', source: 'B' },
      { name: 'selectUplink', id: 'lte' },
      { name: 'setMode', mode: 'manual' },
      { name: 'releaseUplink' },
    ]);
    expect(res.verdicts).toEqual([
      { accepted: false, reason: 'unknown uplink "nope" (one of fiber, lte)' },
      { accepted: false, reason: 'mode is auto: set mode manual first' },
      { accepted: true },
      { accepted: true },
      { accepted: true },
    ]);
    const commands = res.events.filter((e) => e.type === 'command').map((e) => [e.name, e.accepted]);
    expect(commands).toEqual([
      ['transferTo', false],
      ['setMode', true],
      ['selectUplink', false],
      ['selectUplink', true],
      ['releaseUplink', true],
    ]);
  });

  it('every verdict says what its `command` event says', () => {
    const r = rig(DEFAULTS);
    r.scan(0);
    const res = r.scan(100, {}, [{ name: 'ackAlarms' }, { name: 'stopTest' }, { name: 'resetLockout' }]);
    expect(res.verdicts).toEqual([{ accepted: true }, { accepted: false, reason: 'no test is running' }, { accepted: false, reason: 'not locked out' }]);
    expect(res.events.filter((e) => e.type === 'command').map((e) => (e.type === 'command' ? e.reason : null))).toEqual([
      undefined,
      'no test is running',
      'not locked out',
    ]);
  });

  it('a scan without requests has no verdicts', () => {
    const r = rig(DEFAULTS);
    expect(r.scan(0).verdicts).toEqual([]);
  });
});
