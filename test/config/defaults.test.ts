// Config defaults: an empty config yields every value of the spec's "Default timers and thresholds" and "Config keys" tables.
import { describe, expect, it } from 'vitest';
import { loadConfig, validateConfig } from '../../src/config/load.js';

const cfg = validateConfig({}, 'test');
const p = cfg.power;

describe('defaults equal the spec table "Default timers and thresholds"', () => {
  it('undervoltage dropout 80 % / pickup 90 % of nominal', () => {
    expect(p.thresholds.undervoltage).toEqual({ dropoutPct: 80, pickupPct: 90 });
  });
  it('overvoltage dropout 115 % / pickup 110 %', () => {
    expect(p.thresholds.overvoltage).toEqual({ dropoutPct: 115, pickupPct: 110 });
  });
  it('underfrequency dropout 94 % / pickup 96 %', () => {
    expect(p.thresholds.underfrequency).toEqual({ dropoutPct: 94, pickupPct: 96 });
  });
  it('overfrequency dropout 106 % / pickup 104 %', () => {
    expect(p.thresholds.overfrequency).toEqual({ dropoutPct: 106, pickupPct: 104 });
  });
  it('source dropout delay 3 s on both feeds', () => {
    expect(p.feeds.A.dropoutDelayMs).toBe(3000);
    expect(p.feeds.B.dropoutDelayMs).toBe(3000);
  });
  it('source pickup delay A 2 s, B 5 s', () => {
    expect(p.feeds.A.pickupDelayMs).toBe(2000);
    expect(p.feeds.B.pickupDelayMs).toBe(5000);
  });
  it('retransfer delay 5 min under policy auto', () => {
    expect(p.retransfer.policy).toBe('auto');
    expect(p.retransfer.delayMs).toBe(300_000);
  });
  it('neutral delay 500 ms', () => expect(p.transfer.neutralDelayMs).toBe(500));
  it('breaker operate timeout 1 s', () => expect(p.transfer.operateTimeoutMs).toBe(1000));
  it('generator start timeout 30 s', () => expect(p.generator.startTimeoutMs).toBe(30_000));
  it('generator cool-down 5 min', () => expect(p.generator.cooldownMs).toBe(300_000));
  it('anti-hunting 4 transfers in 15 min', () => {
    expect(p.antiHunting).toEqual({ maxTransfers: 4, windowMs: 900_000 });
  });
  it('UPS low battery below 25 % charge or under 5 min (300 s) runtime', () => {
    expect(cfg.ups.lowBatteryPct).toBe(25);
    expect(cfg.ups.lowRuntimeS).toBe(300);
  });
  it('measurement stale after 5 s for the meters and the UPS', () => {
    expect(p.meterStaleMs).toBe(5000);
    expect(cfg.ups.staleMs).toBe(5000);
  });
  it('manual-mode revert after 10 s of dead output', () => expect(p.manualRevertMs).toBe(10_000));
  it('uplink probe: 3 targets per uplink, a round is good with at least 1 answer', () => {
    for (const l of cfg.uplinks.links) expect(l.targets).toHaveLength(3);
    expect(cfg.uplinks.probe.quorum).toBe(1);
  });
  it('uplink probe interval 1 s, timeout 800 ms', () => {
    expect(cfg.uplinks.probe.intervalMs).toBe(1000);
    expect(cfg.uplinks.probe.timeoutMs).toBe(800);
  });
  it('uplink down after 3 failed rounds, up after 5 good rounds', () => {
    expect(cfg.uplinks.downRounds).toBe(3);
    expect(cfg.uplinks.upRounds).toBe(5);
  });
  it('uplink failback delay 60 s', () => expect(cfg.uplinks.failbackDelayMs).toBe(60_000));
  it('uplink hold-down: 3 downs in 10 min → held down 1 min, doubling up to 30 min, one doubling forgiven per quiet hour', () => {
    expect(cfg.uplinks.holdDown).toEqual({ downs: 3, windowMs: 600_000, holdMs: 60_000, maxHoldMs: 1_800_000, forgetAfterMs: 3_600_000 });
  });
});

describe('the default simulated cabinet', () => {
  it('feed A is the preferred utility, feed B the generator, both 230 V / 50 Hz', () => {
    expect(p.preferred).toBe('A');
    expect(p.feeds.A).toMatchObject({ role: 'utility', nominalVoltageV: 230, nominalFrequencyHz: 50 });
    expect(p.feeds.B).toMatchObject({ role: 'generator', nominalVoltageV: 230, nominalFrequencyHz: 50 });
  });
  it('PSUs 1, 2, 3 with 2 required', () => {
    expect(cfg.psu).toEqual({ ids: ['1', '2', '3'], required: 2 });
  });
  it('uplinks fiber (preferred, first) and lte', () => {
    expect(cfg.uplinks.links.map((l) => l.id)).toEqual(['fiber', 'lte']);
  });
});

describe('defaults equal the spec table "Config keys other tools rely on"', () => {
  it('scada.bind 127.0.0.1, scada.port 1502, scada.unitId 1', () => {
    expect(cfg.scada.bind).toBe('127.0.0.1');
    expect(cfg.scada.port).toBe(1502);
    expect(cfg.scada.unitId).toBe(1);
  });
  it('scada.writes.allow is empty (writes disabled)', () => expect(cfg.scada.writes.allow).toEqual([]));
  it('http.bind 127.0.0.1, http.port 8080', () => {
    expect(cfg.http.bind).toBe('127.0.0.1');
    expect(cfg.http.port).toBe(8080);
  });
  it('power.retransfer.policy auto, power.retransfer.delayMs 300000', () => {
    expect(cfg.power.retransfer.policy).toBe('auto');
    expect(cfg.power.retransfer.delayMs).toBe(300000);
  });
  it('loadConfig(undefined) gives the same defaults as an empty file', () => {
    expect(loadConfig(undefined).config).toEqual(cfg);
  });
});
