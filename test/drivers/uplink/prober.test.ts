import { describe, expect, it } from 'vitest';
import { uplinksSchema } from '../../../src/config/uplinks.js';
import { createProber } from '../../../src/drivers/uplink/prober.js';
import type { ProbeOutcome } from '../../../src/drivers/uplink/probes.js';

const cfg = uplinksSchema.parse({
  links: [
    { id: 'fiber', targets: ['a', 'b'] },
    { id: 'lte', targets: ['c'] },
  ],
});
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

  it('probes the standby within its budget once the selected uplink is healthy, at full rate again after a failed round', async () => {
    const three = uplinksSchema.parse({
      links: [
        { id: 'fiber', targets: ['a', 'b', 'c'] },
        { id: 'lte', targets: ['d', 'e', 'f'] },
      ],
    });
    let fiberOk = true;
    const p = createProber(three, async (i) => ({ ok: i === 1 || fiberOk, rttMs: 5 }));
    p.select(0);
    const lte: { atMs: number; roundSize?: number }[] = [];
    const run = async (fromMs: number, toMs: number) => {
      for (let t = fromMs; t <= toMs; t += 1000) {
        for (const r of p.takeProbes(t)) if (r.uplink === 'lte') lte.push(r);
        await tick();
      }
    };
    await run(0, 40_000);
    // Five full rounds settle both uplinks; then one target per 30 s, marked as a round of one.
    expect(lte.filter((r) => r.roundSize === undefined).length).toBe(15);
    expect(lte.filter((r) => r.roundSize === 1).map((r) => r.atMs)).toEqual([34_000]);
    fiberOk = false;
    lte.length = 0;
    await run(41_000, 43_000);
    // Round 41 of fiber fails; the standby is probed in full from round 42 on.
    expect(lte.filter((r) => r.atMs === 42_000 && r.roundSize === undefined)).toHaveLength(3);
  });
});
