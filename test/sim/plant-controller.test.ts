// Software in the loop: `twinfeed plant` and `twinfeed run --board boards/sim-tcp.yaml` as two
// processes of the built CLI, talking Modbus TCP on 127.0.0.1. Feed A fails at the plant, the
// controller transfers to B and back, and the plant — the judge — saw no paralleling.
import { describe, expect, it } from 'vitest';
import { getJson as get, silSession } from './sil.js';

const sil = silSession({ knobs: { 'generator.startMs': '1s' } });
const { until, knobs } = sil;

describe('the controller against `twinfeed plant` over Modbus TCP (boards/sim-tcp.yaml)', () => {
  it('starts bumpless on feed A, with every device answering', async () => {
    const s = await until(`${sil.ctlUrl}/status`, (j) => j.source === 'A', 'the controller on A');
    expect(s).toMatchObject({ mode: 'auto', transfer: 'closed', lockout: false, feeds: { A: { available: true, voltageV: 230 } } });
    expect(s.alarms).toEqual([]);
    expect(await get(`${sil.plantUrl}/summary`)).toMatchObject({ transfers: 0, relayOperations: {} });
  });

  it('transfers to B when feed A fails at the plant, and the plant saw no paralleling', async () => {
    await knobs({ 'feed.A.voltage': 0 });
    const s = await until(`${sil.ctlUrl}/status`, (j) => j.source === 'B' && j.transfer === 'closed', 'the load on B');
    expect(s).toMatchObject({ generator: 'running', breakers: { A: { closed: false }, B: { closed: true } } });
    expect(await get(`${sil.plantUrl}/summary`)).toMatchObject({ transfers: 1, interlockViolations: 0, paralleledMs: 0 });
  });

  it('returns to A once A is back, still without paralleling', async () => {
    await knobs({ 'feed.A.voltage': 230 });
    const s = await until(`${sil.ctlUrl}/status`, (j) => j.source === 'A' && j.transfer === 'closed', 'the retransfer to A');
    expect(s).toMatchObject({ lastTransferReason: 'retransfer', breakers: { A: { closed: true }, B: { closed: false } } });
    const summary = await until(`${sil.plantUrl}/summary`, (j) => j.transfers === 2, 'the plant counting the retransfer', 5000);
    expect(summary).toMatchObject({ interlockViolations: 0, paralleledMs: 0, relayOperations: { 'breaker.A.closeCmd': 2, 'breaker.B.closeCmd': 2 } });
  });

  it('raises GEN_NOT_IN_AUTO from the genset controller over Modbus while its key is in off, and clears it in auto', async () => {
    await knobs({ 'generator.controlMode': 7 });
    const s = await until(`${sil.ctlUrl}/status`, (j) => (j.alarms as string[]).includes('GEN_NOT_IN_AUTO'), 'GEN_NOT_IN_AUTO raised');
    expect(s).toMatchObject({ source: 'A', generator: 'stopped' });
    await knobs({ 'generator.controlMode': 1 });
    await until(`${sil.ctlUrl}/status`, (j) => !(j.alarms as string[]).includes('GEN_NOT_IN_AUTO'), 'GEN_NOT_IN_AUTO cleared');
  });

  // Regression: a silent I/O module (its breaker contacts stale after 2 s) locked out as "breaker A
  // opened without a command", and when the module answered again the controller opened A.
  it('rides out a silent I/O module: BREAKER_FEEDBACK_LOST, A kept closed, no lockout, and A never moved at the plant', async () => {
    const before = await get(`${sil.plantUrl}/summary`);
    await knobs({ 'io.comm': false });
    const s = await until(`${sil.ctlUrl}/status`, (j) => (j.alarms as string[]).includes('BREAKER_FEEDBACK_LOST'), 'BREAKER_FEEDBACK_LOST raised');
    expect(s).toMatchObject({ source: 'A', transfer: 'closed', lockout: false, breakers: { A: { commanded: true } } });
    await new Promise((r) => setTimeout(r, 1500));
    await knobs({ 'io.comm': true });
    const back = await until(`${sil.ctlUrl}/status`, (j) => !(j.alarms as string[]).includes('BREAKER_FEEDBACK_LOST'), 'BREAKER_FEEDBACK_LOST cleared');
    expect(back).toMatchObject({ source: 'A', transfer: 'closed', lockout: false, breakers: { A: { commanded: true, closed: true } } });
    // A few refreshes of the coils later, the plant's breaker A has not moved.
    await new Promise((r) => setTimeout(r, 2500));
    const after = await get(`${sil.plantUrl}/summary`);
    expect(after?.breakerMoves).toEqual(before?.breakerMoves);
    expect(after?.transfers).toBe(before?.transfers);
  });

  it("reports the genset controller's engine hours, starts and fuel level in /status and /metrics", async () => {
    // The outage above ran the generator once (started, carried the load, cooled down).
    const s = await until(`${sil.ctlUrl}/status`, (j) => (j.genset as { starts: number | null }).starts === 1, 'one start counted');
    const g = s.genset as { controlMode: number; engineHours: number; starts: number; fuelPct: number };
    expect(g).toMatchObject({ controlMode: 1, starts: 1, fuelPct: 80 });
    expect(g.engineHours).toBeGreaterThan(0);
    const metrics = await (await fetch(`${sil.ctlUrl}/metrics`)).text();
    expect(metrics).toMatch(/^twinfeed_generator_starts 1$/m);
    expect(metrics).toMatch(/^twinfeed_generator_fuel_percent 80$/m);
  });
});
