import { describe, expect, it } from 'vitest';
import { ALL, NONE, config, driver, round, upEvents } from './helpers.js';

const ups = upEvents;

describe('uplink health from probe rounds', () => {
  it('one dead target out of three is not a dead link (quorum 1)', () => {
    const d = driver();
    d.rounds(1000, 120_000, { fiber: [false, true, true], lte: ALL });
    expect(ups(d)).toEqual([]);
    expect(d.selected()).toBe('fiber');
  });

  it('with quorum 2, two dead targets of three take the link down, one does not', () => {
    const d = driver(config({ probe: { quorum: 2 } }));
    d.rounds(1000, 30_000, { fiber: [false, true, true], lte: ALL });
    expect(ups(d)).toEqual([]);
    d.rounds(30_000, 40_000, { fiber: [false, false, true], lte: ALL });
    expect(ups(d)[0]).toMatchObject({ id: 'fiber', up: false, reason: 'loss' });
  });

  it('goes down after exactly downRounds failed rounds, at the third timeout', () => {
    const d = driver();
    d.rounds(1000, 10_000, { fiber: ALL, lte: ALL });
    d.rounds(10_000, 12_000, { fiber: NONE, lte: ALL });
    expect(ups(d)).toEqual([]);
    d.rounds(12_000, 13_000, { fiber: NONE, lte: ALL });
    expect(ups(d)).toEqual([expect.objectContaining({ t: 12_800, id: 'fiber', up: false, reason: 'loss' })]);
    expect(d.selected()).toBe('lte');
  });

  it('two failed rounds between good ones never take it down', () => {
    const d = driver();
    for (let t = 1000; t < 60_000; t += 3000) {
      d.rounds(t, t + 2000, { fiber: NONE, lte: ALL });
      d.rounds(t + 2000, t + 3000, { fiber: ALL, lte: ALL });
    }
    expect(ups(d)).toEqual([]);
  });

  it('comes back up after upRounds good rounds, not before', () => {
    const d = driver();
    d.rounds(1000, 5000, { fiber: NONE, lte: ALL });
    d.rounds(5000, 9000, { fiber: ALL, lte: ALL });
    expect(ups(d).filter((e) => e.up)).toEqual([]);
    d.rounds(9000, 10_000, { fiber: ALL, lte: ALL });
    expect(ups(d).filter((e) => e.up)).toEqual([expect.objectContaining({ t: 9010, id: 'fiber', reason: 'ok' })]);
  });

  it('carrier loss is down at once, and carrier back still needs good rounds', () => {
    const d = driver();
    d.rounds(1000, 5000, { fiber: ALL, lte: ALL });
    d.carrier = { fiber: false, lte: true };
    d.step(5300);
    expect(ups(d)).toEqual([expect.objectContaining({ t: 5300, id: 'fiber', up: false, reason: 'carrier' })]);
    expect(d.selected()).toBe('lte');
    d.carrier.fiber = true;
    d.rounds(6000, 10_000, { fiber: ALL, lte: ALL });
    expect(ups(d).filter((e) => e.up)).toEqual([]);
    d.rounds(10_000, 11_000, { fiber: ALL, lte: ALL });
    expect(ups(d).filter((e) => e.up)).toHaveLength(1);
  });

  it('answers slower than latencyMaxMs count as failures (reason latency)', () => {
    const d = driver(config({ probe: { latencyMaxMs: 300 } }));
    for (let t = 1000; t < 5000; t += 1000) d.step(t + 400, [...round('fiber', t, ALL, 400), ...round('lte', t, ALL, 20)]);
    expect(ups(d)).toEqual([expect.objectContaining({ id: 'fiber', up: false, reason: 'latency' })]);
  });

  it('a silent prober is no evidence of health: down with reason noProbes', () => {
    const d = driver();
    d.step(1000);
    let t = 1000;
    while (d.last.nextDeadlineMs !== undefined && t < 10_000) d.step((t = d.last.nextDeadlineMs));
    expect(ups(d).map((e) => [e.id, e.reason])).toEqual([
      ['fiber', 'noProbes'],
      ['lte', 'noProbes'],
    ]);
    expect(d.selected()).toBe('none');
  });

  it('reports loss % and mean latency over the window in status and events', () => {
    const d = driver();
    d.rounds(1000, 31_000, { fiber: [true, true, false], lte: ALL });
    const s = d.last.state;
    expect(s.links[0]?.win).toBeDefined();
    // 1 of 3 probes lost in every round.
    expect(d.events).toEqual([]);
    return import('../../../src/core/uplink/index.js').then(({ uplinkStatus }) => {
      const st = uplinkStatus(d.cfg, s);
      expect(st.fiber).toMatchObject({ up: true, reason: 'ok', lossPct: 33.3, latencyMs: 10, heldDown: false });
      expect(st.lte).toMatchObject({ lossPct: 0 });
      expect(st.active).toBe('fiber');
    });
  });

  it('an idle step returns the same state and result objects (no allocation)', () => {
    const d = driver();
    d.rounds(1000, 3000, { fiber: ALL, lte: ALL });
    const a = d.step(2900);
    const b = d.step(2950);
    expect(b.state).toBe(a.state);
    expect(b.outputs).toBe(a.outputs);
  });
});
