// The recovery ladder across a restart: a controller restarted mid-escalation goes on with the next
// step (not "reconnect" again), and restarts cannot take more resets than the hourly cap allows.
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/load.js';
import { initialState, step } from '../../../src/core/controller.js';
import { remembered, restore } from '../../../src/core/memory.js';
import type { ControllerState } from '../../../src/core/state.js';
import type { SignalName } from '../../../src/core/signals.js';
import type { ProbeResult, Reading } from '../../../src/core/types.js';
import { rememberedSchema } from '../../../src/runtime/persist/schema.js';

const T0 = 1_000_000_000;
const targets = ['a', 'b', 'c'];
const configOf = (recovery: Record<string, unknown> = {}, lte: Record<string, unknown> = {}) =>
  validateConfig(
    {
      uplinks: {
        links: [
          { id: 'fiber', targets },
          { id: 'lte', targets, modem: 'any', recovery, ...lte },
        ],
      },
    },
    'test',
  );

function inputs(lteCarrier: boolean): Map<SignalName, Reading> {
  const r = (value: boolean | number) => ({ value, ageMs: 0 });
  return new Map<SignalName, Reading>([
    ['breaker.A.closedFb', r(true)],
    ['breaker.B.closedFb', r(false)],
    ['feed.A.voltage', r(230)],
    ['feed.A.frequency', r(50)],
    ['feed.B.voltage', r(0)],
    ['feed.B.frequency', r(0)],
    ['ups.onBattery', r(false)],
    ['psu.1.ok', r(true)],
    ['psu.2.ok', r(true)],
    ['psu.3.ok', r(true)],
    ['uplink.fiber.carrier', r(true)],
    ['uplink.lte.carrier', r(lteCarrier)],
  ]);
}

type Cfg = ReturnType<typeof configOf>;
const answers = (id: string, t: number): ProbeResult[] => targets.map((target) => ({ uplink: id, target, ok: true, rttMs: 20, atMs: t }));

/** Scans every second (and on deadlines) from `fromMs` to `toMs`; lte has carrier and answers while `lteUp(t)`. */
function run(cfg: Cfg, s: ControllerState, fromMs: number, toMs: number, lteUp: (t: number) => boolean, steps: string[]): ControllerState {
  let t = fromMs;
  let next: number | undefined;
  while (t < toMs) {
    const probes = t % 1000 === 0 ? [...answers('fiber', t), ...(lteUp(t) ? answers('lte', t) : [])] : [];
    const r = step(cfg, s, { nowMs: t, inputs: inputs(lteUp(t)), probes }, []);
    s = r.state;
    for (const e of r.events) if (e.type === 'uplink.recovery') steps.push(`${Math.round((t - T0) / 1000)} ${e.step}`);
    next = r.nextDeadlineMs;
    t = Math.min(next ?? Infinity, Math.floor(t / 1000) * 1000 + 1000);
  }
  return s;
}

/** A restart as the runtime does it: remembered part → JSON file → checked by the file's schema → fresh state. */
function restart(cfg: Cfg, s: ControllerState, nowMs: number): ControllerState {
  const file = rememberedSchema.parse(JSON.parse(JSON.stringify(remembered(cfg, s))));
  return restore(cfg, initialState(cfg, nowMs), file, nowMs).state;
}

describe('recovery ladder across a restart', () => {
  it('a restart after the two reconnects goes on with the reset, at its time', () => {
    const cfg = configOf();
    const steps: string[] = [];
    let s = run(cfg, initialState(cfg, T0), T0, T0 + 100_000, () => false, steps);
    expect(steps).toEqual(['30 reconnect', '90 reconnect']);
    s = restart(cfg, s, T0 + 100_000);
    run(cfg, s, T0 + 100_000, T0 + 400_000, () => false, steps);
    // As without the restart: the reset 60 s after the second reconnect, and nothing after it.
    expect(steps).toEqual(['30 reconnect', '90 reconnect', '150 reset']);
  });

  it('restarts cannot take more resets than resetsPerHour', () => {
    // Without reconnects every outage wants a reset 30 s in; outages of 3 min every 5 min, and the
    // controller restarted in each up period.
    const cfg = configOf({ reconnects: 0, resetsPerHour: 2 });
    const lteUp = (t: number) => (t - T0) % 300_000 < 120_000 && t - T0 >= 10_000;
    const steps: string[] = [];
    let s = initialState(cfg, T0);
    for (let k = 0; k < 12; k++) {
      const from = T0 + k * 300_000;
      if (k > 0) s = restart(cfg, s, from + 60_000);
      s = run(cfg, s, from + (k > 0 ? 60_000 : 0), from + 300_000, lteUp, steps);
    }
    expect(steps.filter((x) => x.endsWith('reset'))).toHaveLength(2);
  });

  it('a file written before the ladder was remembered still restores', () => {
    const cfg = configOf();
    const r = remembered(cfg, initialState(cfg, T0));
    const old = { ...r, uplink: { ...r.uplink, links: { lte: { downTimesMs: [], heldUntilMs: null, holdLevel: 0, lastDownMs: null } } } };
    const parsed = rememberedSchema.parse(JSON.parse(JSON.stringify(old)));
    expect(restore(cfg, initialState(cfg, T0), parsed, T0).state.uplink.links[1]).toMatchObject({ ladderSteps: 0, resumeOutageMs: null });
  });

  it('counts the power-cycle relay as relay operations, the modem requests (software) not', () => {
    const cfg = configOf({}, { powerCycle: { afterMs: '2m', pulseMs: '5s', maxPerHour: 2 } });
    const steps: string[] = [];
    const s = run(cfg, initialState(cfg, T0), T0, T0 + 400_000, () => false, steps);
    expect(steps).toEqual(['30 reconnect', '90 reconnect', '150 reset', '330 powerCycle']);
    // On and off once: two operations of the relay; no entry for the requests.
    expect(s.relayOperations['uplink.lte.powerCycle']).toBe(2);
    expect(Object.keys(s.relayOperations).filter((k) => k.includes('modem'))).toEqual([]);
    // A file written before, still holding request counts: they are dropped at restore.
    const file = { ...remembered(cfg, s), relayOperations: { ...s.relayOperations, 'uplink.lte.modemReconnect': 4, 'uplink.lte.modemReset': 2 } };
    expect(restore(cfg, initialState(cfg, T0), file, T0 + 400_000).state.relayOperations).toEqual(s.relayOperations);
  });
});
