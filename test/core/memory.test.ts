// What a restart must not forget, picked out of the core's state and put back before the first scan:
// mode, lockout, acknowledgements, approval, anti-hunting history, counters, the generator latch, the
// uplink pin. Position always comes from feedback, and nothing remembered closes a breaker.
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { initialState, step } from '../../src/core/controller.js';
import { remembered, restore, RESTORED_ACK_GRACE_MS, type Remembered } from '../../src/core/memory.js';
import type { ControllerState } from '../../src/core/state.js';
import type { SignalName } from '../../src/core/signals.js';
import type { Reading, Request } from '../../src/core/types.js';

const cfg = validateConfig({}, 'test');
const T0 = 1_000_000;

function inputs(o: { a?: boolean; b?: boolean; vA?: number; vB?: number; onBattery?: boolean } = {}): Map<SignalName, Reading> {
  const r = (value: boolean | number) => ({ value, ageMs: 0 });
  return new Map<SignalName, Reading>([
    ['breaker.A.closedFb', r(o.a ?? true)],
    ['breaker.B.closedFb', r(o.b ?? false)],
    ['feed.A.voltage', r(o.vA ?? 230)],
    ['feed.A.frequency', r(50)],
    ['feed.B.voltage', r(o.vB ?? 0)],
    ['feed.B.frequency', r(o.vB === undefined ? 0 : 50)],
    ['ups.onBattery', r(o.onBattery ?? false)],
    ['ups.lowBattery', r(false)],
    ['ups.fault', r(false)],
    ['ups.chargePct', r(100)],
    ['ups.runtimeS', r(1200)],
    ['psu.1.ok', r(true)],
    ['psu.2.ok', r(true)],
    ['psu.3.ok', r(true)],
  ]);
}
const scan = (s: ControllerState, nowMs: number, inp = inputs(), requests: Request[] = []) => step(cfg, s, { nowMs, inputs: inp }, requests);
const cmd = (command: Request['command']): Request => ({ command, origin: 'test' });

/** Runs a controller, then "restarts" it: its remembered part, through JSON, into a fresh state. */
function restart(s: ControllerState, nowMs: number) {
  const saved = JSON.parse(JSON.stringify(remembered(cfg, s))) as Remembered;
  return restore(cfg, initialState(cfg, nowMs), saved, nowMs);
}

describe('remembered across a restart', () => {
  it('finishes a generator cool-down for the time it had left, keeping the start output on, then stops', () => {
    const s0 = initialState(cfg, T0);
    const cooling = { ...s0, power: { ...s0.power, generator: { kind: 'cooldown' as const, sinceMs: T0 } } };
    const left = cfg.power.generator.cooldownMs - 60_000;
    const r = restart(cooling, T0 + 60_000);
    expect(r.state.power.generator).toEqual({ kind: 'cooldown', sinceMs: T0 });
    expect(r.restored).toContain(`generator cool-down (${left / 1000} s left)`);
    const first = scan(r.state, T0 + 60_100);
    expect(first.outputs.get('generator.start')).toBe(true);
    expect(first.nextDeadlineMs).toBeLessThanOrEqual(T0 + cfg.power.generator.cooldownMs);
    expect(scan(first.state, T0 + cfg.power.generator.cooldownMs).outputs.get('generator.start')).toBe(false);
    // One that ended while the controller was down is not resumed.
    expect(restart(cooling, T0 + cfg.power.generator.cooldownMs + 1).state.power.generator.kind).toBe('stopped');
  });

  it('keeps mode manual, the approval, counters and relay operations; says what it restored', () => {
    let s = scan(initialState(cfg, T0), T0).state;
    s = scan(s, T0 + 100, inputs(), [cmd({ name: 'setMode', mode: 'manual' })]).state;
    expect(s.power.mode).toBe('manual');
    const r = restart({ ...s, relayOperations: { 'breaker.A.closeCmd': 7 }, power: { ...s.power, transferCount: 12 } }, T0 + 5000);
    expect(r.state.power.mode).toBe('manual');
    expect(r.state.power.transferCount).toBe(12);
    expect(r.state.relayOperations).toEqual({ 'breaker.A.closeCmd': 7 });
    expect(r.restored).toContain('mode manual');
    // The restored manual mode holds on the first scan: no automatic transfer when A fails.
    const first = scan(r.state, T0 + 5100, inputs({ vA: 0, vB: 230 }));
    expect(first.state.power.mode).toBe('manual');
  });

  it('ends a test that was running: mode auto, and the load goes back to the preferred feed', () => {
    const s0 = initialState(cfg, T0);
    const onB = { ...s0, power: { ...s0.power, mode: 'test' as const } };
    const r = restart(onB, T0);
    expect(r.state.power.mode).toBe('auto');
    expect(r.restored.join()).toMatch(/a test was running: ended/);
    // Booted with the load on B (the generator) and A healthy: the controller returns to A at once.
    let s = r.state;
    const seen: string[] = [];
    for (let t = T0; t < T0 + 2000; t += 100) {
      const res = scan(s, t, inputs({ a: false, b: t < T0 + 300, vB: 230 }));
      s = res.state;
      for (const e of res.events) if (e.type === 'transfer.begin') seen.push(`${e.from}→${e.to} ${e.reason}`);
    }
    expect(seen[0]).toBe('B→A testEnd');
  });

  it('holds a lockout: a breaker feedback shows closed stays closed, nothing closes, the lockout is announced', () => {
    const s0 = initialState(cfg, T0);
    const locked: ControllerState = {
      ...s0,
      power: {
        ...s0.power,
        transfer: { kind: 'lockout', reason: 'FAIL_TO_OPEN', detail: 'breaker A did not open within 500 ms', sinceMs: T0, hold: { A: true, B: false } },
      },
    };
    const r = restart(locked, T0 + 60_000);
    // Boot with A closed: A stays commanded closed, B stays open although B is healthy and A dead.
    const first = scan(r.state, T0 + 60_000, inputs({ a: true, b: false, vA: 0, vB: 230 }));
    expect(first.state.power.transfer).toMatchObject({ kind: 'lockout', reason: 'FAIL_TO_OPEN', hold: { A: true, B: false } });
    expect(first.outputs.get('breaker.A.closeCmd')).toBe(true);
    expect(first.outputs.get('breaker.B.closeCmd')).toBe(false);
    expect(first.events).toContainEqual({ type: 'lockout', active: true, reason: 'breaker A did not open within 500 ms' });
    // Boot with both open: nothing closes, whatever is healthy.
    const open = scan(r.state, T0 + 60_000, inputs({ a: false, b: false, vA: 230, vB: 230 }));
    let s = open.state;
    for (let t = T0 + 60_100; t < T0 + 120_000; t += 1000) s = scan(s, t, inputs({ a: false, b: false, vA: 230, vB: 230 })).state;
    expect(s.outputs.get('breaker.A.closeCmd')).toBe(false);
    expect(s.outputs.get('breaker.B.closeCmd')).toBe(false);
    expect(s.power.transfer.kind).toBe('lockout');
  });

  it('applies a remembered acknowledgement to an alarm that is active again soon after start, not later', () => {
    let s = scan(initialState(cfg, T0), T0, inputs({ onBattery: true })).state;
    s = scan(s, T0 + 100, inputs({ onBattery: true }), [cmd({ name: 'ackAlarms' })]).state;
    expect(s.alarms.UPS_ON_BATTERY?.acked).toBe(true);
    const soon = restart(s, T0 + 10_000);
    const a = scan(soon.state, T0 + 10_000, inputs({ onBattery: true }));
    expect(a.state.alarms.UPS_ON_BATTERY?.acked).toBe(true);
    expect(a.outputs.get('alarm.common')).toBe(false);
    expect(a.state.restoredAcks).toBeNull();
    // The same alarm first back after the grace period is a new alarm: announced and unacknowledged.
    const late = restart(s, T0 + 10_000);
    let l = scan(late.state, T0 + 10_000).state;
    l = scan(l, T0 + 10_000 + RESTORED_ACK_GRACE_MS + 1, inputs({ onBattery: true })).state;
    expect(l.alarms.UPS_ON_BATTERY?.acked).toBe(false);
  });

  it('keeps the uplink pin when the uplink is still configured, drops it otherwise', () => {
    let s = scan(initialState(cfg, T0), T0).state;
    s = scan(s, T0 + 100, inputs(), [cmd({ name: 'selectUplink', id: 'lte' })]).state;
    expect(s.uplink.manual).toBe('lte');
    expect(restart(s, T0 + 1000).state.uplink.manual).toBe('lte');
    const saved = remembered(cfg, s);
    const other = validateConfig(
      {
        uplinks: {
          links: [
            { id: 'fiber', targets: ['t1', 't2', 't3'] },
            { id: 'sat', targets: ['t1', 't2', 't3'] },
          ],
        },
      },
      'test',
    );
    expect(restore(other, initialState(other, T0), saved, T0).state.uplink.manual).toBeNull();
  });

  it('keeps each uplink hold-down: downs, the hold still running, the learned level', () => {
    const s0 = initialState(cfg, T0);
    const [fiber, lte] = s0.uplink.links;
    if (!fiber || !lte) throw new Error('two uplinks expected');
    const held = { ...fiber, downTimesMs: [T0 - 5000, T0 - 1000], heldUntilMs: T0 + 120_000, holdLevel: 2, lastDownMs: T0 - 1000 };
    const s = { ...s0, uplink: { ...s0.uplink, links: [held, lte] } };
    const r = restart(s, T0 + 10_000).state.uplink.links[0];
    expect(r).toMatchObject({ downTimesMs: [T0 - 5000, T0 - 1000], heldUntilMs: T0 + 120_000, holdLevel: 2, lastDownMs: T0 - 1000 });
    // A hold that ran out while the controller was down is over; the level (what the link has earned) stays.
    expect(restart(s, T0 + 200_000).state.uplink.links[0]).toMatchObject({ heldUntilMs: null, holdLevel: 2 });
  });

  it('forgets anti-hunting history older than the window, and keeps what is inside it', () => {
    const s0 = initialState(cfg, T0);
    const w = cfg.power.antiHunting.windowMs;
    const s = { ...s0, power: { ...s0.power, transferTimesMs: [T0 - w - 1, T0 - 1000, T0 - 10] } };
    expect(restart(s, T0).state.power.transferTimesMs).toEqual([T0 - 1000, T0 - 10]);
  });

  it('counts every change of a written output as one relay operation', () => {
    let s = scan(initialState(cfg, T0), T0).state;
    // The first image changes nothing that was there: a (re)start is no relay operation.
    expect(s.relayOperations).toEqual({});
    s = scan(s, T0 + 100, inputs({ onBattery: true })).state;
    expect(s.relayOperations).toEqual({ 'alarm.common': 1 });
    s = scan(s, T0 + 200, inputs({ onBattery: true }), [cmd({ name: 'ackAlarms' })]).state;
    expect(s.relayOperations).toEqual({ 'alarm.common': 2 });
  });
});
