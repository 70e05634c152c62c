import { describe, expect, it } from 'vitest';
import { uplinkStatus } from '../../../src/core/uplink/index.js';
import { ALL, NONE, config, driver, switchEvents } from './helpers.js';

const switches = switchEvents;

describe('uplink selection', () => {
  it('fails back only after the preferred uplink has been clean for the failback delay', () => {
    const d = driver();
    d.carrier = { fiber: false, lte: true };
    d.rounds(1000, 3000, { fiber: NONE, lte: ALL });
    d.carrier.fiber = true;
    d.rounds(3000, 8000, { fiber: ALL, lte: ALL }); // up at 7010
    // A failed round in the delay restarts it: stable means no failed round at all.
    d.rounds(8000, 30_000, { fiber: ALL, lte: ALL });
    d.rounds(30_000, 31_000, { fiber: NONE, lte: ALL });
    d.rounds(31_000, 90_000, { fiber: ALL, lte: ALL });
    expect(switches(d).filter((s) => s.reason === 'failback')).toEqual([]);
    d.rounds(90_000, 92_000, { fiber: ALL, lte: ALL });
    expect(switches(d)).toEqual([
      expect.objectContaining({ from: 'fiber', to: 'lte', reason: 'down' }),
      expect.objectContaining({ t: 90_800, from: 'lte', to: 'fiber', reason: 'failback' }),
    ]);
    expect(d.selected()).toBe('fiber');
  });

  it('fails over to the preferred uplink at once when the active one dies, even before its failback delay', () => {
    const d = driver();
    d.carrier = { fiber: false, lte: true };
    d.rounds(1000, 2000, { fiber: NONE, lte: ALL });
    d.carrier.fiber = true;
    d.rounds(2000, 8000, { fiber: ALL, lte: ALL });
    d.carrier.lte = false;
    d.step(8100);
    expect(switches(d).at(-1)).toMatchObject({ t: 8100, from: 'lte', to: 'fiber', reason: 'down' });
  });

  /** Fiber loses carrier for 2 s and comes back, `times` times, 30 s apart; returns the time after the last. */
  const flapFiber = (d: ReturnType<typeof driver>, times: number, fromMs: number): number => {
    let t = fromMs;
    for (let k = 0; k < times; k++) {
      d.carrier = { fiber: false, lte: true };
      d.rounds(t, t + 2000, { fiber: NONE, lte: ALL });
      d.carrier.fiber = true;
      d.rounds(t + 2000, t + 30_000, { fiber: ALL, lte: ALL });
      t += 30_000;
    }
    return t;
  };

  it('holds down a flapping uplink: 3 downs in 10 min, not used for the first hold (1 min), then used again', () => {
    const d = driver(config({ failbackDelayMs: 5000 }));
    const t = flapFiber(d, 3, 1000);
    const st = uplinkStatus(d.cfg, d.last.state);
    expect(st.fiber).toMatchObject({ up: true, heldDown: true });
    expect(d.selected()).toBe('lte');
    expect(d.last.alarms.get('UPLINK_DOWN')).toMatch(/fiber held down/);
    expect(switches(d).filter((s) => s.to === 'fiber')).toHaveLength(2);
    // The third down was at 61 s.
    d.rounds(t, 61_000 + 60_000 - 1000, { fiber: ALL, lte: ALL });
    expect(d.selected()).toBe('lte');
    d.rounds(61_000 + 60_000 - 1000, 61_000 + 60_000 + 2000, { fiber: ALL, lte: ALL });
    expect(d.selected()).toBe('fiber');
    expect(d.last.alarms.has('UPLINK_DOWN')).toBe(false);
  });

  /** Flaps fiber 3 times (a hold) every `everyMs` from `fromMs`, `holds` times; returns each hold's length. */
  const holdsOf = (d: ReturnType<typeof driver>, holds: number, fromMs: number, everyMs: number): number[] => {
    const out: number[] = [];
    for (let k = 0; k < holds; k++) {
      const t0 = fromMs + k * everyMs;
      flapFiber(d, 3, t0);
      const l = d.last.state.links[0];
      out.push((l?.heldUntilMs ?? NaN) - (l?.lastDownMs ?? NaN));
      d.rounds(t0 + 90_000, t0 + everyMs, { fiber: ALL, lte: ALL });
    }
    return out;
  };

  it('each further hold lasts twice as long, up to 30 min; quiet hours forgive one doubling each', () => {
    const d = driver(config({ failbackDelayMs: 5000 }));
    const min = 60_000;
    expect(holdsOf(d, 7, 1000, 40 * min)).toEqual([1, 2, 4, 8, 16, 30, 30].map((m) => m * min));
    // The history is plain state (kept across restarts): the level of the next hold and the last down.
    const l = d.last.state.links[0];
    expect(l?.holdLevel).toBe(5);
    // Two quiet hours forgive two doublings: the next hold is 8 min, not 30.
    const after = 1000 + 7 * 40 * min + 2 * 60 * min;
    d.rounds(1000 + 7 * 40 * min, after, { fiber: ALL, lte: ALL });
    expect(holdsOf(d, 1, after, 40 * min)).toEqual([8 * min]);
  });

  it('a held-down uplink is still used when nothing else works', () => {
    const d = driver(config({ failbackDelayMs: 5000 }));
    const t = flapFiber(d, 3, 1000);
    d.carrier.lte = false;
    d.step(t + 10);
    expect(d.selected()).toBe('fiber');
  });

  it('manual override: selectUplink wins while that uplink is up; releaseUplink returns to automatic', () => {
    const d = driver();
    d.rounds(1000, 3000, { fiber: ALL, lte: ALL });
    const r = d.step(3100, [], [{ name: 'selectUplink', id: 'lte' }]);
    expect(r.verdicts).toEqual([{ accepted: true }]);
    expect(d.selected()).toBe('lte');
    expect(uplinkStatus(d.cfg, d.last.state).manual).toBe('lte');
    // The manual uplink dies: traffic goes to the other one, and back when it returns.
    d.carrier = { fiber: true, lte: false };
    d.step(3200);
    expect(d.selected()).toBe('fiber');
    d.carrier.lte = true;
    d.rounds(4000, 9000, { fiber: ALL, lte: ALL });
    expect(d.selected()).toBe('lte');
    d.step(9500, [], [{ name: 'releaseUplink' }]);
    expect(d.selected()).toBe('fiber');
    expect(switches(d).at(-1)).toMatchObject({ from: 'lte', to: 'fiber', reason: 'release' });
  });

  it('refuses to select an unknown or dead uplink, with the reason', () => {
    const d = driver();
    d.carrier = { fiber: true, lte: false };
    const r = d.step(
      100,
      [],
      [
        { name: 'selectUplink', id: 'wifi' },
        { name: 'selectUplink', id: 'lte' },
      ],
    );
    expect(r.verdicts[0]).toEqual({ accepted: false, reason: 'unknown uplink "wifi" (one of fiber, lte)' });
    expect(r.verdicts[1]).toEqual({ accepted: false, reason: 'uplink lte is down (carrier)' });
    expect(d.selected()).toBe('fiber');
  });

  it('raises UPLINK_DOWN for a dead standby and NO_UPLINK when none works; exactly one output is on', () => {
    const d = driver();
    d.carrier = { fiber: true, lte: false };
    d.step(100);
    expect([...d.last.alarms.keys()]).toEqual(['UPLINK_DOWN']);
    expect(d.last.alarms.get('UPLINK_DOWN')).toBe('lte down (carrier)');
    expect(d.last.outputs).toEqual(
      new Map([
        ['uplink.fiber.selected', true],
        ['uplink.lte.selected', false],
      ]),
    );
    d.carrier.fiber = false;
    d.step(200);
    expect([...d.last.alarms.keys()].sort()).toEqual(['NO_UPLINK', 'UPLINK_DOWN']);
    expect(d.selected()).toBe('none');
    expect(switches(d).at(-1)).toMatchObject({ from: 'fiber', to: 'none' });
    d.carrier.lte = true;
    d.rounds(1000, 6000, { fiber: NONE, lte: ALL });
    expect(switches(d).at(-1)).toMatchObject({ from: 'none', to: 'lte', reason: 'restored' });
    expect(d.last.alarms.has('NO_UPLINK')).toBe(false);
  });
});
