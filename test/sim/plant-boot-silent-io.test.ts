// Software in the loop: the controller starts while the plant's I/O module does not answer (it booted
// slower, or its link is cut). Nothing may be driven blind: the plant's breakers do not move, and once
// the module answers the controller adopts the load on A bumplessly, with no lockout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../cli/cli-helpers.js';
import { getJson as get, post, silFiles, startCli, until as untilIn, type Json, type Proc } from './sil.js';

const children: Proc[] = [];
let plantUrl = '';
let ctlUrl = '';
const until = (url: string, ok: (j: Json) => boolean, what: string, timeoutMs?: number) => untilIn(url, ok, what, () => children, timeoutMs);
const alarms = (j: Json) => (j.alarms as string[] | undefined) ?? [];

beforeAll(async () => {
  ensureBuilt();
  const sil = await silFiles();
  plantUrl = sil.plantUrl;
  ctlUrl = sil.ctlUrl;
  children.push(startCli('plant', sil.plantArgs));
  await until(`${plantUrl}/summary`, () => true, 'the plant answering');
  await post(`${plantUrl}/sim`, { 'io.comm': false });
  children.push(startCli('controller', sil.runArgs));
}, 120_000);

afterAll(async () => {
  for (const c of children) c.child.kill('SIGTERM');
  const codes = await Promise.all(children.map((c) => c.exited));
  expect(codes).toEqual(children.map(() => 0));
});

describe('a controller that starts before its I/O module answers', () => {
  it('drives no breaker, says why, and refuses a transfer it cannot see', async () => {
    const s = await until(`${ctlUrl}/status`, (j) => alarms(j).includes('BREAKER_FEEDBACK_LOST'), 'BREAKER_FEEDBACK_LOST raised');
    expect(s.lockout).toBe(false);
    const r = await fetch(`${ctlUrl}/command`, { method: 'POST', body: JSON.stringify({ name: 'setMode', mode: 'manual' }) });
    expect(r.status).toBe(200);
    const t = await fetch(`${ctlUrl}/command`, { method: 'POST', body: JSON.stringify({ name: 'transferTo', source: 'B' }) });
    expect(((await t.json()) as Json).reason).toMatch(/position is not known/);
    await fetch(`${ctlUrl}/command`, { method: 'POST', body: JSON.stringify({ name: 'setMode', mode: 'auto' }) });
    // Well past the board's 2 s staleness and several coil refreshes: the plant's breakers never moved.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await get(`${plantUrl}/summary`)).toMatchObject({ transfers: 0, breakerMoves: { A: 0, B: 0 }, loadOffMs: 0 });
  });

  it('adopts the load on A once the module answers: no lockout, A never opened', async () => {
    await post(`${plantUrl}/sim`, { 'io.comm': true });
    const s = await until(`${ctlUrl}/status`, (j) => j.source === 'A' && !alarms(j).includes('BREAKER_FEEDBACK_LOST'), 'the load adopted on A');
    expect(s).toMatchObject({ transfer: 'closed', lockout: false, breakers: { A: { commanded: true, closed: true }, B: { commanded: false } } });
    await new Promise((r) => setTimeout(r, 2500));
    expect(await get(`${plantUrl}/summary`)).toMatchObject({ transfers: 0, breakerMoves: { A: 0, B: 0 }, loadOffMs: 0, interlockViolations: 0 });
    expect(alarms((await get(`${ctlUrl}/status`)) ?? {})).not.toContain('POSITION_MISMATCH');
  });
});
