// The simulated cabinet's uplinks report interface byte counters like the real driver: probe traffic
// on every uplink, plus the `trafficBps` knob's user traffic on the selected one, in /status.
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { ICMP_PACKET_BYTES } from '../../src/core/uplink/budget.js';
import type { UplinkStatus } from '../../src/core/types.js';
import { createScanLoop, type ScanLoop } from '../../src/runtime/scan.js';
import { createSimBoard } from '../../src/runtime/simboard.js';

const T0 = Date.parse('2026-01-05T00:00:00Z');
let current: ScanLoop | undefined;
afterEach(() => current?.stop());

function run() {
  const cfg = validateConfig({}, 'test');
  const board = createSimBoard(cfg, T0);
  let now = T0;
  const loop = createScanLoop({ config: cfg, configHash: 'x', board, clock: () => now });
  current = loop;
  loop.start();
  const to = (ms: number) => {
    while (now < T0 + ms) {
      now += 100;
      loop.scanNow();
    }
  };
  const link = (id: string) => loop.latest().status.uplink[id] as UplinkStatus;
  return { board, to, link };
}

describe('byte counters of simulated uplinks', () => {
  it('count the probe traffic: full rate on the selected uplink, the budget on the standby', () => {
    const { to, link } = run();
    to(120_000);
    const fiber = link('fiber');
    const lte = link('lte');
    // Fiber: 3 targets × 2 echoes a second, answered (the worst case counts every attempt's answer).
    expect(fiber.txBytes).toBeGreaterThan(100 * 3 * 2 * ICMP_PACKET_BYTES);
    expect(fiber.rxBytes).toBeGreaterThan(100 * 3 * 2 * ICMP_PACKET_BYTES);
    // LTE is the standby: one target every 30 s after the start, far less.
    expect(lte.txBytes).toBeGreaterThan(0);
    expect(lte.txBytes ?? Infinity).toBeLessThan((fiber.txBytes ?? 0) / 5);
  });

  it('add user traffic on the selected uplink only, at the knob rate (a quarter as much sent)', () => {
    const { board, to, link } = run();
    to(10_000);
    const before = { fiber: link('fiber'), lte: link('lte') };
    expect(board.setKnobs({ 'uplink.fiber.trafficBps': 10_000, 'uplink.lte.trafficBps': 10_000 })).toBeUndefined();
    to(70_000);
    const rx = (link('fiber').rxBytes ?? 0) - (before.fiber.rxBytes ?? 0);
    const tx = (link('fiber').txBytes ?? 0) - (before.fiber.txBytes ?? 0);
    const probes = 60 * 3 * 2 * ICMP_PACKET_BYTES;
    expect(rx).toBeGreaterThanOrEqual(600_000);
    expect(rx).toBeLessThanOrEqual(600_000 + probes + 1000);
    expect(tx).toBeGreaterThanOrEqual(150_000);
    expect(tx).toBeLessThanOrEqual(150_000 + probes + 1000);
    // The standby carries no user traffic.
    expect((link('lte').rxBytes ?? 0) - (before.lte.rxBytes ?? 0)).toBeLessThan(10 * ICMP_PACKET_BYTES);
    expect(board.setKnobs({ 'uplink.fiber.trafficBps': -1 })).toMatch(/bytes per second/);
  });
});
