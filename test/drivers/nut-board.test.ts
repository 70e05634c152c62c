// The `nut:` section and `driver: nut` signals in a board file: defaults, the `var` override, and
// every mistake reported as path: problem (hint).
import { describe, expect, it } from 'vitest';
import { ConfigInvalid, formatError } from '../../src/config/errors.js';
import { validateBoard, type HardwareBoardFile } from '../../src/drivers/board.js';

const errorsOf = (raw: unknown): string[] => {
  try {
    validateBoard(raw, 't.yaml');
    return [];
  } catch (err) {
    if (err instanceof ConfigInvalid) return err.errors.map(formatError);
    throw err;
  }
};

describe('nut in a board file', () => {
  it('defaults: upsd on 127.0.0.1:3493, the UPS signals read ups.status, battery.charge and battery.runtime', () => {
    const b = validateBoard(
      {
        name: 'x',
        driver: 'nut',
        nut: { ups: 'cab' },
        signals: { 'ups.onBattery': {}, 'ups.chargePct': {}, 'ups.runtimeS': { staleMs: '10s' }, 'feed.A.voltage': { var: 'input.voltage' } },
      },
      't',
    ) as HardwareBoardFile;
    expect(b.nut).toEqual({
      host: '127.0.0.1',
      port: 3493,
      ups: 'cab',
      pollMs: 1000,
      timeoutMs: 1000,
      signals: [
        { name: 'ups.onBattery', kind: 'bool', variable: 'ups.status', tokens: ['OB', 'FSD'], staleMs: 5000 },
        { name: 'ups.chargePct', kind: 'number', variable: 'battery.charge', tokens: undefined, staleMs: 5000 },
        { name: 'ups.runtimeS', kind: 'number', variable: 'battery.runtime', tokens: undefined, staleMs: 10_000 },
        { name: 'feed.A.voltage', kind: 'number', variable: 'input.voltage', tokens: undefined, staleMs: 5000 },
      ],
    });
  });

  it('reports each mistake with its path', () => {
    expect(errorsOf({ name: 'x', driver: 'nut', signals: { 'ups.onBattery': {} } })).toEqual([
      'nut: missing (signals use driver nut: give nut: { ups: NAME } (host 127.0.0.1, port 3493 by default))',
    ]);
    expect(
      errorsOf({
        name: 'x',
        driver: 'nut',
        nut: { ups: 'cab', pollMs: '5s', staleMs: '5s' },
        signals: {
          'load.live': {},
          'ups.chargePct': { var: 'ups.status' },
          'psu.1.ok': { var: 'ups.status' },
          'ups.fault': { var: 'ups status' },
          'alarm.common': {},
        },
      }),
    ).toEqual([
      'signals.ups.fault.var: letters, digits, ".", "_" or "-" (e.g. "ups" or "battery.charge")',
      'nut.staleMs: not longer than pollMs: every value would read stale between polls (make staleMs a few poll periods, e.g. 5s with pollMs 1s)',
      'signals.load.live.var: missing (only the ups.* signals have a default NUT variable: name one, e.g. var: ups.beeper.status)',
      'signals.ups.chargePct.var: ups.status is a list of flags, not a number (ups.onBattery, ups.lowBattery and ups.fault read ups.status; name another variable)',
      'signals.psu.1.ok.var: ups.status has no flag for psu.1.ok (ups.onBattery, ups.lowBattery and ups.fault read ups.status; name another variable)',
      'signals.alarm.common.driver: outputs cannot be NUT variables (drive outputs from gpio or firmata or modbus)',
    ]);
    expect(errorsOf({ name: 'x', driver: 'nut', nut: { ups: 'a b', port: 0 }, signals: { 'ups.fault': {} } })).toHaveLength(2);
    expect(errorsOf({ name: 'x', driver: 'gpio', signals: { 'ups.fault': { pin: 4, var: 'ups.status' } } })).toEqual([
      'signals.ups.fault.var: does not apply to a gpio signal (remove it)',
    ]);
  });
});
