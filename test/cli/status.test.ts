// `twinfeed status`: a running controller's status in human form (exit 0), JSON with --json, and a
// clear message with exit 69 when nothing answers.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatStatus } from '../../src/cli/status.js';
import { statusOf } from '../../src/core/status.js';
import type { Status } from '../../src/core/types.js';
import { POWER_ONLY, rig } from '../core/fixtures.js';
import { cli, ensureBuilt, files, MAIN, ROOT } from './cli-helpers.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

let port = 0;
let child: ReturnType<typeof spawn> | undefined;

beforeAll(async () => {
  ensureBuilt();
  port = await freePort();
  const f = files({ 'c.yaml': `http:\n  port: ${port}\nscada:\n  enabled: false\nuplinks:\n  enabled: false\n` });
  child = spawn(process.execPath, [MAIN, 'run', '--config', f['c.yaml'] as string], { cwd: ROOT, stdio: 'ignore' });
  for (const end = Date.now() + 20_000; ;) {
    if ((await fetch(`http://127.0.0.1:${port}/status`).catch(() => undefined))?.ok) break;
    if (Date.now() > end) throw new Error('controller did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}, 300_000);

afterAll(() => {
  child?.kill('SIGTERM');
});

describe('twinfeed status', () => {
  it('prints the load source, mode, feeds, breakers, UPS, PSUs and alarms of a running controller', async () => {
    const r = await cli(['status', '--url', `http://127.0.0.1:${port}`]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('load       on feed A (closed)');
    expect(lines).toContain('mode       auto');
    expect(lines).toContain('feed A     available, 230.0 V, 50.00 Hz');
    expect(lines).toContain('feed B     unavailable (undervoltage), 0.0 V, 0.00 Hz');
    expect(lines).toContain('breakers   A commanded closed, shows closed; B commanded open, shows open');
    expect(lines).toContain('UPS        on mains, charge 100 %, runtime 1200 s');
    expect(lines).toContain('PSUs       redundant: 3 of 3 ok, 2 required');
    expect(lines).toContain('alarms     none');
  });

  it('prints the status object with --json', async () => {
    const r = await cli(['status', '--json', '--url', `http://127.0.0.1:${port}/`]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ mode: 'auto', source: 'A' });
  });

  it('exits 69 with a clear message when nothing answers', async () => {
    const closed = await freePort();
    const r = await cli(['status', '--url', `http://127.0.0.1:${closed}`]);
    expect(r.code).toBe(69);
    expect(r.stderr).toMatch(
      new RegExp(`^twinfeed status: nothing answers at http://127\\.0\\.0\\.1:${closed}/status \\(.*ECONNREFUSED.*\\)\\. Is twinfeed running\\?`),
    );
  });

  it('exits 2 for a URL that is not http(s)', async () => {
    const r = await cli(['status', '--url', 'localhost:8080']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--url is http:\/\/HOST:PORT, got "localhost:8080"/);
  });
});

describe('formatStatus', () => {
  it('shouts what needs a technician: an unfed load, a lockout, unacknowledged alarms, a held-down uplink', () => {
    const s: Status = {
      mode: 'manual',
      source: 'none',
      transfer: 'lockout',
      generator: 'failed',
      lockout: true,
      lockoutReason: 'breaker A did not open within 500 ms',
      alarms: ['FAIL_TO_OPEN', 'UPS_ON_BATTERY'],
      alarmsUnacked: ['FAIL_TO_OPEN'],
      feeds: {
        A: { available: false, reason: 'comm', voltageV: null, frequencyHz: null },
        B: { available: true, reason: 'ok', voltageV: 231.4, frequencyHz: 49.98 },
      },
      breakers: { A: { commanded: false, closed: null }, B: { commanded: false, closed: false } },
      timer: { name: 'none', remainingMs: 0 },
      lastTransferReason: 'sourceFail',
      transferCount: 4,
      relayOperations: { 'breaker.A.closeCmd': 9, 'breaker.B.closeCmd': 8, 'alarm.common': 3 },
      retransferPending: false,
      test: { active: false, onLoad: false, remainingMs: 0 },
      ups: { onBattery: true, lowBattery: true, fault: false, comm: true, chargePct: 18, runtimeS: 240 },
      psu: { state: 'degraded', ok: 2, required: 2, okIds: ['1', '2'], ids: ['1', '2', '3'] },
      genset: { controlMode: null, engineHours: null, starts: null, fuelPct: null, engineState: null },
      uplink: {
        active: 'lte',
        manual: null,
        fiber: { up: false, reason: 'carrier', lossPct: 100, latencyMs: null, heldDown: true },
        lte: { up: true, reason: 'ok', lossPct: 2, latencyMs: 61.4, heldDown: false },
      },
    };
    expect(formatStatus(s)).toEqual([
      'load       NOT FED (transfer lockout)',
      'mode       manual',
      'lockout    YES: breaker A did not open within 500 ms (resetLockout when the cause is cleared)',
      'feed A     unavailable (comm), —, —',
      'feed B     available, 231.4 V, 49.98 Hz',
      'breakers   A commanded open, shows unknown; B commanded open, shows open',
      'generator  failed',
      'transfers  4, last: sourceFail',
      'relay ops  breaker.A.closeCmd 9, breaker.B.closeCmd 8, alarm.common 3',
      'UPS        ON BATTERY, charge 18 %, runtime 240 s, LOW BATTERY',
      'PSUs       degraded: 2 of 3 ok, 2 required',
      'uplinks    active lte',
      '            fiber down (carrier), 100.0 % loss, held down',
      '           *lte up, 2.0 % loss, 61 ms',
      'alarms     FAIL_TO_OPEN (unacknowledged), UPS_ON_BATTERY',
    ]);
  });

  it('prints the genset block where the board maps the genset controller, and nothing where it does not', () => {
    const r = rig(POWER_ONLY);
    r.scan(0);
    const base = statusOf(POWER_ONLY, r.state, 0);
    expect(formatStatus(base).some((l) => l.startsWith('genset'))).toBe(false);
    const s: Status = { ...base, genset: { controlMode: 7, engineHours: 1234.56, starts: 87, fuelPct: 41, engineState: 0 } };
    const lines = formatStatus(s);
    expect(lines[lines.indexOf('generator  stopped') + 1]).toBe('genset     mode off (7), engine stopped (0), 1234.6 h, 87 starts, fuel 41 %');
    const partial: Status = { ...base, genset: { controlMode: 1, engineHours: null, starts: null, fuelPct: null, engineState: null } };
    expect(formatStatus(partial)).toContain('genset     mode auto (1), engine ?, —, ? starts, fuel —');
  });
});

describe('twinfeed plant arguments', () => {
  it('exits 2 for a port that is not one', async () => {
    const r = await cli(['plant', '--modbus-port', '70000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--modbus-port takes a port 1\.\.65535, got "70000"/);
  });
});
