// Software in the loop: the controller starts while the plant's I/O module does not answer (it booted
// slower, or its link is cut). Nothing may be driven blind: the plant's breakers do not move, and once
// the module answers the controller adopts the load on A bumplessly, with no lockout.
import { describe, expect, it } from 'vitest';
import { getJson as get, post, silSession, type Json } from './sil.js';

// The plant's I/O module is silent from before the controller starts.
const sil = silSession({ knobs: { 'io.comm': false } });
const until = sil.until;
const alarms = (j: Json) => (j.alarms as string[] | undefined) ?? [];

describe('a controller that starts before its I/O module answers', () => {
  it('drives no breaker, says why, and refuses a transfer it cannot see', async () => {
    const s = await until(`${sil.ctlUrl}/status`, (j) => alarms(j).includes('BREAKER_FEEDBACK_LOST'), 'BREAKER_FEEDBACK_LOST raised');
    expect(s.lockout).toBe(false);
    const r = await fetch(`${sil.ctlUrl}/command`, { method: 'POST', body: JSON.stringify({ name: 'setMode', mode: 'manual' }) });
    expect(r.status).toBe(200);
    const t = await fetch(`${sil.ctlUrl}/command`, { method: 'POST', body: JSON.stringify({ name: 'transferTo', source: 'B' }) });
    expect(((await t.json()) as Json).reason).toMatch(/position is not known/);
    await fetch(`${sil.ctlUrl}/command`, { method: 'POST', body: JSON.stringify({ name: 'setMode', mode: 'auto' }) });
    // Well past the board's 2 s staleness and several coil refreshes: the plant's breakers never moved.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await get(`${sil.plantUrl}/summary`)).toMatchObject({ transfers: 0, breakerMoves: { A: 0, B: 0 }, loadOffMs: 0 });
  });

  it('adopts the load on A once the module answers: no lockout, A never opened', async () => {
    await post(`${sil.plantUrl}/sim`, { 'io.comm': true });
    const s = await until(`${sil.ctlUrl}/status`, (j) => j.source === 'A' && !alarms(j).includes('BREAKER_FEEDBACK_LOST'), 'the load adopted on A');
    expect(s).toMatchObject({ transfer: 'closed', lockout: false, breakers: { A: { commanded: true, closed: true }, B: { commanded: false } } });
    await new Promise((r) => setTimeout(r, 2500));
    expect(await get(`${sil.plantUrl}/summary`)).toMatchObject({ transfers: 0, breakerMoves: { A: 0, B: 0 }, loadOffMs: 0, interlockViolations: 0 });
    expect(alarms((await get(`${sil.ctlUrl}/status`)) ?? {})).not.toContain('POSITION_MISMATCH');
  });
});
