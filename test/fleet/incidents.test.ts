// The fleet's incident streams: reproducible from the seed, one stream per cabinet (so adding
// cabinets changes nothing for the first ones), faults that end before the next begins, and only
// the faults the config has (no uplink loss without uplinks).
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { incidentKinds, incidentStream, type Incident } from '../../src/runtime/fleet/incidents.js';

const cfg = loadConfig(undefined).config;
const take = (seed: number, cabinet: number, n: number): Incident[] => {
  const s = incidentStream(cfg, seed, cabinet, 600_000);
  return Array.from({ length: n }, () => s.next());
};

describe('fleet incidents', () => {
  it('the same seed and cabinet give the same incidents; another seed or cabinet others', () => {
    expect(take(7, 3, 20)).toEqual(take(7, 3, 20));
    expect(take(8, 3, 20)).not.toEqual(take(7, 3, 20));
    expect(take(7, 4, 20)).not.toEqual(take(7, 3, 20));
  });

  it('each fault ends before the next begins, lasts 1–15 min, and is healed by its restore knobs', () => {
    const list = take(1, 1, 200);
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1] as Incident;
      expect((list[i] as Incident).atMs).toBeGreaterThanOrEqual(prev.atMs + prev.durationMs);
    }
    for (const i of list) {
      expect(i.durationMs).toBeGreaterThanOrEqual(60_000);
      expect(i.durationMs).toBeLessThanOrEqual(15 * 60_000);
      expect(Object.keys(i.restore).sort()).toEqual(Object.keys(i.knobs).sort());
    }
    // Over 200 draws every kind comes up.
    expect(new Set(list.map((i) => i.name))).toEqual(new Set(incidentKinds(cfg).map((k) => k.name)));
  });

  it('offers uplink loss only with uplinks', () => {
    expect(incidentKinds(cfg).some((k) => k.name.startsWith('uplink'))).toBe(true);
    const none = loadConfig(undefined, { uplinks: { enabled: false } }).config;
    expect(incidentKinds(none).some((k) => k.name.startsWith('uplink'))).toBe(false);
    expect(incidentKinds(none).map((k) => k.name)).toContain('utility outage');
  });
});
