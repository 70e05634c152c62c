// The NUT driver and client against the real thing: Debian's upsd with the dummy-ups driver reading
// a .dev file this test rewrites. On line → on battery → low battery → driver killed (stale) →
// back → driver hung (ERR DATA-STALE, stale) → back. Skipped without nut-server, except in CI.
import type { SignalName } from '../../src/core/signals.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openHardwareBoard } from '../../src/drivers/index.js';
import { createNutClient, type NutClient } from '../../src/drivers/nut/client.js';
import { openNut } from '../../src/drivers/nut/driver.js';
import { netConnect } from '../../src/drivers/nut/net.js';
import type { NutSignal } from '../../src/drivers/nut/status.js';
import type { DriverBoard } from '../../src/drivers/types.js';
import { CI, missingTool } from '../system-tools.js';
import { quietLogger } from './fakes.js';
import { startNutServer, type NutServer } from './nut-peers.js';

const missing = missingTool('nut');
if (missing && !CI) console.warn(`skipping NUT integration tests: ${missing}`);

// staleMs is far longer than the test waits: a reading that turns stale here was made so by
// upsd's answer, not by its age.
const STALE_MS = 120_000;
const sig = (name: SignalName, kind: 'bool' | 'number', variable: string, tokens?: string[]): NutSignal => ({
  name,
  kind,
  variable,
  tokens,
  staleMs: STALE_MS,
});
const SIGNALS = [
  sig('ups.onBattery', 'bool', 'ups.status', ['OB', 'FSD']),
  sig('ups.lowBattery', 'bool', 'ups.status', ['LB', 'FSD']),
  sig('ups.fault', 'bool', 'ups.status', ['OVER', 'RB', 'ALARM']),
  sig('ups.chargePct', 'number', 'battery.charge'),
  sig('ups.runtimeS', 'number', 'battery.runtime'),
];
const STALE = { 'ups.onBattery': undefined, 'ups.lowBattery': undefined, 'ups.fault': undefined, 'ups.chargePct': undefined, 'ups.runtimeS': undefined };
const WAIT = { timeout: 20_000, interval: 100 };

describe.skipIf(missing !== undefined && !CI)('nut driver against upsd + dummy-ups', () => {
  let nut: NutServer;
  let board: DriverBoard;
  let client: NutClient;
  const values = () => Object.fromEntries([...board.read(Date.now())].map(([k, r]) => [k, r.value]));
  const until = (want: Record<string, unknown>) => vi.waitFor(() => expect(values()).toEqual(want), WAIT);

  beforeAll(async () => {
    if (missing) throw new Error(`${missing} — required when CI is set`);
    nut = await startNutServer({ maxAgeS: 3 });
    const section = { host: '127.0.0.1', port: nut.port, ups: nut.ups, pollMs: 200, timeoutMs: 1000, signals: SIGNALS };
    board = await openNut(section, { logger: quietLogger(), backoff: { minMs: 200, maxMs: 1000 } });
    client = createNutClient({ host: '127.0.0.1', port: nut.port, timeoutMs: 2000, connect: netConnect });
  }, 30_000);

  afterAll(async () => {
    client?.close();
    await board?.close();
    await nut?.stop();
  });

  it("GET VAR and LIST VAR on the wire, and upsd's ERR tokens", async () => {
    await vi.waitFor(async () => expect(await client.get(nut.ups, 'ups.status')).toBe('OL'), WAIT);
    const vars = await client.list(nut.ups);
    expect(vars.get('battery.charge')).toBe('100');
    expect(vars.get('driver.name')).toBe('dummy-ups');
    await expect(client.get(nut.ups, 'no.such.var')).rejects.toMatchObject({ token: 'VAR-NOT-SUPPORTED' });
    await expect(client.get('nope', 'ups.status')).rejects.toMatchObject({ token: 'UNKNOWN-UPS' });
  });

  it('a board file with driver: nut opens through the driver table and reads the UPS', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'twinfeed-nut-board-')), 'ups.yaml');
    writeFileSync(
      path,
      `name: ups-only\ndriver: nut\nnut: { port: ${nut.port}, ups: ${nut.ups}, pollMs: 200ms }\nsignals:\n  ups.onBattery: {}\n  ups.chargePct: {}\n`,
    );
    const b = await openHardwareBoard(path, { logger: quietLogger() });
    try {
      expect(b.inputs).toEqual(['ups.onBattery', 'ups.chargePct']);
      await vi.waitFor(
        () => expect(Object.fromEntries([...b.read(Date.now())].map(([k, r]) => [k, r.value]))).toEqual({ 'ups.onBattery': false, 'ups.chargePct': 100 }),
        WAIT,
      );
    } finally {
      await b.close();
    }
  });

  it('on line → on battery → low battery', async () => {
    await until({ 'ups.onBattery': false, 'ups.lowBattery': false, 'ups.fault': false, 'ups.chargePct': 100, 'ups.runtimeS': 1800 });
    nut.setVars({ 'ups.status': 'OB DISCHRG', 'battery.charge': '80', 'battery.runtime': '1200' });
    await until({ 'ups.onBattery': true, 'ups.lowBattery': false, 'ups.fault': false, 'ups.chargePct': 80, 'ups.runtimeS': 1200 });
    nut.setVars({ 'ups.status': 'OB LB', 'battery.charge': '9', 'battery.runtime': '95' });
    await until({ 'ups.onBattery': true, 'ups.lowBattery': true, 'ups.fault': false, 'ups.chargePct': 9, 'ups.runtimeS': 95 });
  }, 60_000);

  it('driver killed → stale (ERR DRIVER-NOT-CONNECTED); driver back → fresh again', async () => {
    await nut.killDriver();
    await until(STALE);
    await expect(client.get(nut.ups, 'ups.status')).rejects.toMatchObject({ token: 'DRIVER-NOT-CONNECTED' });
    nut.setVars({ 'ups.status': 'OL CHRG', 'battery.charge': '12', 'battery.runtime': '100' });
    nut.startDriver();
    await until({ 'ups.onBattery': false, 'ups.lowBattery': false, 'ups.fault': false, 'ups.chargePct': 12, 'ups.runtimeS': 100 });
  }, 60_000);

  it("driver hung → stale (ERR DATA-STALE after upsd's MAXAGE); driver resumes → fresh again", async () => {
    nut.freezeDriver(true);
    await until(STALE);
    await expect(client.get(nut.ups, 'ups.status')).rejects.toMatchObject({ token: 'DATA-STALE' });
    nut.freezeDriver(false);
    await until({ 'ups.onBattery': false, 'ups.lowBattery': false, 'ups.fault': false, 'ups.chargePct': 12, 'ups.runtimeS': 100 });
    expect(board.stats?.()).toMatchObject({ nut_garbage: 0, nut_timeouts: 0 });
  }, 60_000);
});
