// Runs every scenario in sim/scenarios (the behaviour library) and checks the library's coverage:
// each power-side alarm code, retransfer policy, test mode and lockout appear somewhere.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepare } from '../../src/cli/sim.js';
import { runScenario, type RunResult } from '../../sim/runner.js';
import { ALARM_CODES } from '../../src/core/types.js';

const DIR = join(import.meta.dirname, '..', '..', 'sim', 'scenarios');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const results = new Map<string, RunResult>();

describe('scenario library', () => {
  it('has at least 15 scenarios', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  for (const f of files) {
    it(f, () => {
      const [s] = prepare([join(DIR, f)], {});
      if (!s) throw new Error('not loaded');
      const r = runScenario(s);
      results.set(f, r);
      const failed = r.events.filter((e) => e.type === 'expect' && e.ok === false).map((e) => e.detail);
      expect(failed).toEqual([]);
      expect(r.summary.interlockViolations).toBe(0);
    });
  }

  it('raises every power-side alarm code somewhere', () => {
    const raised = new Set<string>();
    for (const r of results.values()) for (const c of r.summary.alarms as string[]) raised.add(c);
    // STORAGE_FAULT and SPARKPLUG_FAULT are the runtime's (no plant knob): test/cli/run-storage.test.ts and
    // test/sparkplug/mosquitto.test.ts raise them.
    const powerCodes = ALARM_CODES.filter((c) => !c.startsWith('UPLINK') && c !== 'NO_UPLINK' && c !== 'STORAGE_FAULT' && c !== 'SPARKPLUG_FAULT');
    expect(powerCodes.filter((c) => !raised.has(c))).toEqual([]);
  });

  it('covers each retransfer policy, test mode and lockout reset', () => {
    const all = [...results.values()].flatMap((r) => r.events);
    expect(all.some((e) => e.type === 'transfer.begin' && e.reason === 'retransfer')).toBe(true);
    expect(all.some((e) => e.type === 'transfer.begin' && e.reason === 'testEnd')).toBe(true);
    expect(all.some((e) => e.type === 'lockout' && e.active === false)).toBe(true);
    const names = [...results.keys()].join(' ');
    expect(names).toMatch(/retransfer-manual/);
    expect(names).toMatch(/retransfer-window/);
  });

  it('is deterministic: the same scenario gives the same events', () => {
    const f = files.find((x) => x.startsWith('utility-outage')) as string;
    const [s] = prepare([join(DIR, f)], {});
    if (!s) throw new Error('not loaded');
    expect(runScenario(s).events).toEqual(runScenario(s).events);
  });
});
