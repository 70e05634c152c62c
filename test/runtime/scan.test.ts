// The real-time scan loop on the simulated board with a fake clock: publishing, command verdicts, time-driven behaviour.
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { createScanLoop, type ScanLoop } from '../../src/runtime/scan.js';
import { createSimBoard, type SimBoard } from '../../src/runtime/simboard.js';

const T0 = Date.parse('2026-01-05T00:00:00Z');
const cfg = validateConfig({ uplinks: { enabled: false } }, 'test');

interface Fixture {
  loop: ScanLoop;
  board: SimBoard;
  clock: { now: number };
  /** Advances the fake clock in `stepMs` scans up to `toMs` after T0. */
  runTo(toMs: number, stepMs?: number): void;
}

let current: ScanLoop | undefined;
afterEach(() => current?.stop());

function fixture(): Fixture {
  const clock = { now: T0 };
  const board = createSimBoard(cfg, T0);
  const loop = createScanLoop({ config: cfg, configHash: 'abc', board, clock: () => clock.now });
  current = loop;
  return {
    loop,
    board,
    clock,
    runTo(toMs, stepMs = 100) {
      while (clock.now < T0 + toMs) {
        clock.now = Math.min(clock.now + stepMs, T0 + toMs);
        loop.scanNow();
      }
    },
  };
}

describe('scan loop with the sim board', () => {
  it('start() scans at once and publishes the adopted position (bumpless boot)', () => {
    const f = fixture();
    f.loop.start();
    const pub = f.loop.latest();
    expect(pub.scanSeq).toBe(1);
    expect(pub.atMs).toBe(T0);
    expect(pub.configHash).toBe('abc');
    expect(pub.status).toMatchObject({ mode: 'auto', source: 'A', transfer: 'closed', lockout: false });
    expect(f.board.cabinet.state.breakers.A.closed).toBe(true);
  });

  it('a submitted command resolves with accepted', async () => {
    const f = fixture();
    f.loop.start();
    await expect(f.loop.submit({ name: 'setMode', mode: 'manual' }, 'test')).resolves.toEqual({ accepted: true });
    expect(f.loop.latest().status.mode).toBe('manual');
  });

  it('a refused command resolves with accepted: false and the reason', async () => {
    const f = fixture();
    f.loop.start();
    await expect(f.loop.submit({ name: 'transferTo', source: 'B' }, 'test')).resolves.toEqual({
      accepted: false,
      reason: 'mode is auto: set mode manual first',
    });
    await expect(f.loop.submit({ name: 'resetLockout' }, 'test')).resolves.toEqual({ accepted: false, reason: 'not locked out' });
  });

  it('commands submitted together each get their own verdict (power and uplink commands mixed)', async () => {
    const f = fixture();
    f.loop.start();
    const [a, b, c] = await Promise.all([
      f.loop.submit({ name: 'selectUplink', id: 'lte' }, 'test'),
      f.loop.submit({ name: 'setMode', mode: 'manual' }, 'test'),
      f.loop.submit({ name: 'stopTest' }, 'test'),
    ]);
    expect(a).toEqual({ accepted: false, reason: 'uplink control is disabled (uplinks.enabled: false)' });
    expect(b).toEqual({ accepted: true });
    expect(c).toEqual({ accepted: false, reason: 'no test is running' });
  });

  it('submit before start is refused; stop() refuses what is still queued', async () => {
    const f = fixture();
    await expect(f.loop.submit({ name: 'ackAlarms' }, 'test')).resolves.toEqual({ accepted: false, reason: 'controller not running' });
    f.loop.start();
    const pending = f.loop.submit({ name: 'ackAlarms' }, 'test');
    f.loop.stop();
    await expect(pending).resolves.toEqual({ accepted: false, reason: 'controller stopping' });
  });

  it('feed A dies: with the clock advanced, the generator starts at 3 s and the load is on B by ~16.7 s', () => {
    const f = fixture();
    f.loop.start();
    expect(f.board.setKnobs({ 'feed.A.voltage': 0 })).toBeUndefined();
    // Like POST /sim: scan at once so the knob is seen at t = 0.
    f.loop.scanNow();
    f.runTo(2900);
    expect(f.loop.latest().status.generator).toBe('stopped');
    f.runTo(3000);
    expect(f.loop.latest().status).toMatchObject({ generator: 'starting', alarms: expect.arrayContaining(['SOURCE_A_FAIL']) });
    f.runTo(17_000);
    expect(f.loop.latest().status).toMatchObject({ source: 'B', transfer: 'closed', generator: 'running' });
    expect(f.board.cabinet.state.breakers.B.closed).toBe(true);
    expect(f.board.cabinet.state.breakers.A.closed).toBe(false);
    expect(f.loop.latest().uptimeS).toBe(17);
  });

  it('onEvents listeners get the events of each scan; unsubscribe stops them', () => {
    const f = fixture();
    const seen: string[] = [];
    const off = f.loop.onEvents?.((events) => seen.push(...events.map((e) => e.type)));
    f.loop.start();
    expect(seen).toContain('output');
    off?.();
    const n = seen.length;
    f.board.setKnobs({ 'psu.1.ok': false });
    f.loop.scanNow();
    expect(seen).toHaveLength(n);
  });

  it('setKnobs with one bad value changes nothing', () => {
    const f = fixture();
    expect(f.board.setKnobs({ 'feed.A.voltage': 0, 'breaker.B.stuck': 'sideways' })).toMatch(/breaker\.B\.stuck/);
    expect(f.board.cabinet.state.voltage.A).toBe(230);
    expect(f.board.setKnobs({ 'feed.Z.voltage': 0 })).toBe('unknown knob "feed.Z.voltage"');
  });
});
