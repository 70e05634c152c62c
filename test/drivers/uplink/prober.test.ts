import { describe, expect, it } from 'vitest';
import { uplinksSchema } from '../../../src/config/uplinks.js';
import { createProber } from '../../../src/drivers/uplink/prober.js';
import type { ProbeOutcome } from '../../../src/drivers/uplink/probes.js';

const cfg = uplinksSchema.parse({ links: [{ id: 'fiber', targets: ['a', 'b'] }, { id: 'lte', targets: ['c'] }] });
const tick = () => new Promise((r) => setImmediate(r));

describe('probe rounds', () => {
  it('probes every target of every uplink once per interval and hands back results with the round time', async () => {
    const started: string[] = [];
    const p = createProber(cfg, async (i, t) => {
      started.push(`${i}:${t}`);
      return { ok: t !== 'b', rttMs: t !== 'b' ? 5 : undefined };
    });
    expect(p.takeProbes(1000)).toEqual([]);
    await tick();
    const r = p.takeProbes(1100);
    expect(started).toEqual(['0:a', '0:b', '1:c']);
    expect(r).toEqual([
      { uplink: 'fiber', target: 'a', ok: true, rttMs: 5, atMs: 1000 },
      { uplink: 'fiber', target: 'b', ok: false, rttMs: undefined, atMs: 1000 },
      { uplink: 'lte', target: 'c', ok: true, rttMs: 5, atMs: 1000 },
    ]);
    p.takeProbes(1900);
    expect(started).toHaveLength(3);
    p.takeProbes(2000);
    expect(started).toHaveLength(6);
  });

  it('a probe that never returns does not pile up: its target counts as lost in later rounds', async () => {
    const p = createProber(cfg, (_i, t) => (t === 'a' ? new Promise<ProbeOutcome>(() => undefined) : Promise.resolve({ ok: true, rttMs: 1 })));
    p.takeProbes(0);
    await tick();
    p.takeProbes(500);
    const r = p.takeProbes(1000);
    expect(r.filter((x) => x.target === 'a')).toEqual([{ uplink: 'fiber', target: 'a', ok: false, rttMs: undefined, atMs: 1000 }]);
    await tick();
    expect(p.inFlight()).toBe(1);
  });
});
