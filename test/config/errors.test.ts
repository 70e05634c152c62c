// Config loading: durations, `path: problem (hint)` errors (all at once), YAML syntax errors, deep merge, configHash, JSON Schema.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatDuration, parseDuration } from '../../src/config/duration.js';
import { ConfigInvalid, formatError } from '../../src/config/errors.js';
import { configHash, configJsonSchema, deepMerge, loadConfig, validateConfig } from '../../src/config/load.js';
import { parseYaml } from '../../src/config/yaml.js';

/** The `path: problem (hint)` lines a raw config produces, or [] when it is valid. */
function errorsOf(raw: unknown): string[] {
  try {
    validateConfig(raw, 'test.yaml');
    return [];
  } catch (e) {
    if (e instanceof ConfigInvalid) return e.errors.map(formatError);
    throw e;
  }
}

const LINE = /^[^\s:][^:]*: .+ \(.+\)$/;

describe('durations', () => {
  it.each([
    ['250ms', 250],
    ['3s', 3000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    [1234, 1234],
    [0, 0],
  ] as const)('%j is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['soon', '3', '5 minutes', '-3s', '', 's', '3x'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('negative and non-finite numbers are not durations', () => {
    expect(parseDuration(-1)).toBeUndefined();
    expect(parseDuration(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(parseDuration(Number.NaN)).toBeUndefined();
  });

  it('formatDuration picks the largest whole unit and parses back to the same ms (property)', () => {
    expect([
      formatDuration(250),
      formatDuration(3000),
      formatDuration(300_000),
      formatDuration(7_200_000),
      formatDuration(86_400_000),
      formatDuration(0),
    ]).toEqual(['250ms', '3s', '5m', '2h', '1d', '0ms']);
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 * 86_400_000 }), (ms) => parseDuration(formatDuration(ms)) === ms));
  });

  it('config timers accept duration strings and yield milliseconds', () => {
    const c = validateConfig(
      { power: { transfer: { neutralDelayMs: '250ms', operateTimeoutMs: '3s' }, retransfer: { delayMs: '5m' }, generator: { cooldownMs: '2h' } } },
      't',
    );
    expect(c.power.transfer.neutralDelayMs).toBe(250);
    expect(c.power.transfer.operateTimeoutMs).toBe(3000);
    expect(c.power.retransfer.delayMs).toBe(300_000);
    expect(c.power.generator.cooldownMs).toBe(7_200_000);
  });

  it('a bad duration names its path and says what a duration looks like', () => {
    const errs = errorsOf({ power: { retransfer: { delayMs: 'soon' } } });
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^power\.retransfer\.delayMs: not a duration: "soon" \(.*"3s".*\)$/);
  });
});

describe('config errors are `path: problem (hint)`, all at once', () => {
  it('reports every error of a file in one go, each as path: problem (hint)', () => {
    const errs = errorsOf({
      power: { transfer: { neutralDelay: 5 }, retransfer: { delayMs: 'soon', policy: 'sometimes' } },
      scada: { port: 70000, writes: { allow: ['10.0.0.0/33'] } },
      http: { bind: 'localhost' },
    });
    expect(errs).toHaveLength(6);
    for (const e of errs) expect(e).toMatch(LINE);
    const paths = errs.map((e) => e.split(':')[0]);
    expect(paths.sort()).toEqual(
      ['http.bind', 'power.retransfer.delayMs', 'power.retransfer.policy', 'power.transfer.neutralDelay', 'scada.port', 'scada.writes.allow[0]'].sort(),
    );
  });

  it('an unknown key suggests the nearest valid key', () => {
    expect(errorsOf({ power: { transfer: { neutralDelay: 5 } } })).toEqual(['power.transfer.neutralDelay: unknown key (did you mean "neutralDelayMs"?)']);
    expect(errorsOf({ powr: {} })).toEqual(['powr: unknown key (did you mean "power"?)']);
  });

  it('an unknown key with no near match lists the valid keys', () => {
    const [e] = errorsOf({ power: { zzzzzzzzzz: 1 } });
    expect(e).toMatch(/^power\.zzzzzzzzzz: unknown key \(valid keys: .*neutral|^power\.zzzzzzzzzz: unknown key \(valid keys: .*preferred/);
  });

  it('an invalid enum value lists the allowed values', () => {
    expect(errorsOf({ power: { retransfer: { policy: 'sometimes' } } })).toEqual([
      'power.retransfer.policy: invalid value (one of "auto", "manual", "window")',
    ]);
  });

  it.each([['10.0.0.0/33'], ['banana'], ['10.0.0.0/x'], ['10.0.0.0/8/8'], ['300.1.1.1/8'], ['::1/129']])('CIDR %j is refused with a hint', (net) => {
    const errs = errorsOf({ scada: { writes: { allow: ['127.0.0.1/32', net] } } });
    expect(errs).toEqual([`scada.writes.allow[1]: not a network (use CIDR such as "127.0.0.1/32" or "10.20.0.0/16")`]);
  });

  it('accepts IPv4 and IPv6 networks and bare addresses', () => {
    expect(errorsOf({ scada: { writes: { allow: ['10.0.0.0/8', '::1/128', '192.168.1.1', '0.0.0.0/0'] } } })).toEqual([]);
  });

  it.each([
    ['scada', 70000, 'at most 65535'],
    ['scada', -1, 'at least 0'],
    ['http', 65536, 'at most 65535'],
    ['http', -1, 'at least 0'],
  ] as const)('%s.port %d is out of range (%s)', (section, value, bound) => {
    const errs = errorsOf({ [section]: { port: value } });
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(new RegExp(`^${section}\\.port: .+ \\(must be ${bound}\\)$`));
  });

  it.each([0, 248, 1.5])('scada.unitId %d is refused (1..247)', (unitId) => {
    const errs = errorsOf({ scada: { unitId } });
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^scada\.unitId: /);
  });

  it.each([['scada'], ['http']])('%s.bind must be an IP address', (section) => {
    expect(errorsOf({ [section]: { bind: 'localhost' } })).toEqual([`${section}.bind: not an IP address (e.g. "127.0.0.1" or "0.0.0.0")`]);
  });

  it('ports 0 and 65535 are valid', () => {
    expect(errorsOf({ scada: { port: 0 }, http: { port: 65535 } })).toEqual([]);
  });

  it.each([
    ['undervoltage', 90, 90, 'pickupPct must be above dropoutPct'],
    ['overvoltage', 110, 112, 'pickupPct must be below dropoutPct'],
    ['underfrequency', 96, 95, 'pickupPct must be above dropoutPct'],
    ['overfrequency', 104, 104, 'pickupPct must be below dropoutPct'],
  ] as const)('%s dropout %d / pickup %d without a gap is refused', (band, dropoutPct, pickupPct, hint) => {
    expect(errorsOf({ power: { thresholds: { [band]: { dropoutPct, pickupPct } } } })).toEqual([
      `power.thresholds.${band}: dropout/pickup have no gap (${hint})`,
    ]);
  });

  it('a gap error is reported together with errors in other sections', () => {
    const errs = errorsOf({ power: { thresholds: { undervoltage: { dropoutPct: 90, pickupPct: 90 } } }, scada: { port: 99999 } });
    expect(errs.map((e) => e.split(':')[0]).sort()).toEqual(['power.thresholds.undervoltage', 'scada.port']);
  });

  // Regression: zod skips the power section's superRefine when any other key in `power` is invalid, so a
  // threshold without a gap goes unreported until the user fixes the other error (not "all at once").
  // Input: { power: { thresholds: { undervoltage: { dropoutPct: 90, pickupPct: 90 } }, transfer: { neutralDelayMs: 'x' } } }
  it('a gap error is reported together with another error inside `power`', () => {
    const errs = errorsOf({ power: { thresholds: { undervoltage: { dropoutPct: 90, pickupPct: 90 } }, transfer: { neutralDelayMs: 'x' } } });
    expect(errs.map((e) => e.split(':')[0]).sort()).toEqual(['power.thresholds.undervoltage', 'power.transfer.neutralDelayMs']);
  });

  it('an unknown time zone is refused with an IANA example', () => {
    expect(errorsOf({ power: { retransfer: { window: { timeZone: 'Mars/Olympus' } } } })).toEqual([
      'power.retransfer.window.timeZone: unknown time zone (use an IANA name such as "Europe/Berlin" or "UTC")',
    ]);
  });

  it('known time zones are accepted', () => {
    expect(errorsOf({ power: { retransfer: { window: { timeZone: 'Europe/Berlin' } } } })).toEqual([]);
    expect(errorsOf({ power: { retransfer: { window: { timeZone: 'America/New_York' } } } })).toEqual([]);
  });

  it('a window time that is not HH:MM is refused', () => {
    const errs = errorsOf({ power: { retransfer: { window: { start: '25:00' } } } });
    expect(errs).toEqual(['power.retransfer.window.start: must be HH:MM (24 h)']);
  });

  it('more PSUs required than listed is refused with a hint', () => {
    expect(errorsOf({ psu: { ids: ['1'], required: 2 } })).toEqual(['psu.required: 2 required but only 1 PSUs listed (lower required or list more ids)']);
  });

  it('a generator as the preferred feed is refused', () => {
    const errs = errorsOf({ power: { preferred: 'B' } });
    expect(errs).toEqual(['power.preferred: the preferred feed B is the generator (prefer the utility feed)']);
  });

  // Regression: zod 4 issues do not carry the input unless asked, so zodErrors reported any value of the wrong
  // type as "missing". Input: { scada: { port: 'abc' } } → "scada.port: missing (give a number)";
  // also { ups: { enabled: 'yes' } } → "ups.enabled: missing (give a boolean)".
  it('a value of the wrong type is reported as the wrong type, not as missing', () => {
    expect(errorsOf({ scada: { port: 'abc' } })).toEqual(['scada.port: expected number, got string (give a number)']);
  });
});

describe('YAML files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'twinfeed-config-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('a syntax error names its line', () => {
    try {
      parseYaml('power:\n  transfer:\n    neutralDelayMs: [1, 2\nscada: {', 'bad.yaml');
      expect.unreachable('parseYaml accepted broken YAML');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigInvalid);
      const errs = (e as ConfigInvalid).errors.map(formatError);
      expect(errs.length).toBeGreaterThan(0);
      expect(errs[0]).toMatch(/^line 4, column \d+: .+ \(fix the YAML syntax\)$/);
    }
  });

  it('a duplicate key is a syntax error with its line', () => {
    try {
      parseYaml('http:\n  port: 1\n  port: 2\n', 'dup.yaml');
      expect.unreachable('duplicate key accepted');
    } catch (e) {
      expect((e as ConfigInvalid).errors[0]?.path).toMatch(/^line 3/);
    }
  });

  it('loadConfig reads only the differences and merges them over the defaults', () => {
    const { config } = loadConfig(file('ok.yaml', 'http:\n  port: 9090\npower:\n  transfer:\n    neutralDelayMs: 2s\n'));
    expect(config.http.port).toBe(9090);
    expect(config.http.bind).toBe('127.0.0.1');
    expect(config.power.transfer.neutralDelayMs).toBe(2000);
    expect(config.power.transfer.operateTimeoutMs).toBe(1000);
  });

  it('an empty file is the default config', () => {
    expect(loadConfig(file('empty.yaml', '')).config).toEqual(validateConfig({}, 'x'));
  });

  it('a file that is not a mapping is refused', () => {
    expect(() => loadConfig(file('list.yaml', '- 1\n- 2\n'))).toThrow(ConfigInvalid);
  });

  it('a missing file is a config error naming the cause', () => {
    try {
      loadConfig(join(dir, 'nope.yaml'));
      expect.unreachable();
    } catch (e) {
      expect(formatError((e as ConfigInvalid).errors[0] ?? { path: '', problem: '' })).toMatch(/cannot read file \(ENOENT\)/);
    }
  });

  it('the overlay is deep-merged over the file', () => {
    const { config } = loadConfig(file('base.yaml', 'power:\n  retransfer:\n    policy: manual\n    delayMs: 1m\n'), {
      power: { retransfer: { delayMs: '2m' } },
    });
    expect(config.power.retransfer.policy).toBe('manual');
    expect(config.power.retransfer.delayMs).toBe(120_000);
  });
});

describe('deep merge', () => {
  it('objects merge key by key, arrays and scalars replace', () => {
    expect(deepMerge({ a: [1, 2], b: { c: 1, d: 2 }, e: 1 }, { a: [3], b: { c: 5 } })).toEqual({ a: [3], b: { c: 5, d: 2 }, e: 1 });
  });
  it('an overlay array replaces the default list (PSU ids)', () => {
    const c = validateConfig(deepMerge({ psu: { ids: ['1', '2', '3'] } }, { psu: { ids: ['x', 'y'], required: 1 } }), 't');
    expect(c.psu.ids).toEqual(['x', 'y']);
  });
  it('undefined in the overlay keeps the base value', () => {
    expect(deepMerge({ a: 1 }, { a: undefined })).toEqual({ a: 1 });
  });
  it('does not modify its inputs', () => {
    const base = { b: { c: 1 } };
    deepMerge(base, { b: { c: 2 } });
    expect(base).toEqual({ b: { c: 1 } });
  });
});

describe('configHash', () => {
  it('is stable under key order', () => {
    const a = validateConfig({ http: { port: 9000, bind: '0.0.0.0' }, power: { preferred: 'A', transfer: { neutralDelayMs: 700 } } }, 'a');
    const b = validateConfig({ power: { transfer: { neutralDelayMs: 700 }, preferred: 'A' }, http: { bind: '0.0.0.0', port: 9000 } }, 'b');
    expect(configHash(a)).toBe(configHash(b));
    expect(configHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });
  it('changes when a value changes', () => {
    const a = validateConfig({}, 'a');
    const b = validateConfig({ power: { transfer: { neutralDelayMs: 501 } } }, 'b');
    expect(configHash(a)).not.toBe(configHash(b));
  });
  it('"5m" and 300000 give the same hash (effective config)', () => {
    expect(configHash(validateConfig({ power: { retransfer: { delayMs: '5m' } } }, 'a'))).toBe(
      configHash(validateConfig({ power: { retransfer: { delayMs: 300000 } } }, 'b')),
    );
  });
});

describe('JSON Schema export', () => {
  it('is an object schema with properties.power and the other sections', () => {
    const s = configJsonSchema() as { type?: string; properties?: Record<string, unknown> };
    expect(s.type).toBe('object');
    expect(s.properties).toHaveProperty('power');
    expect(Object.keys(s.properties ?? {})).toEqual(expect.arrayContaining(['power', 'ups', 'psu', 'uplinks', 'scada', 'http']));
  });
  it('is plain JSON (survives a round trip)', () => {
    const s = configJsonSchema();
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});
