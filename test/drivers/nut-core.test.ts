// From upsd to the controller: the NUT board's readings drive the core's UPS state, and upsd's
// ERR DATA-STALE shows as UPS_COMM_LOST at the next scan after the next poll (not staleMs later).
import type { SignalName } from '../../src/core/signals.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { composeBoards } from '../../src/drivers/index.js';
import { openNut } from '../../src/drivers/nut/driver.js';
import type { NutSignal } from '../../src/drivers/nut/status.js';
import { createScanLoop, type ScanLoop } from '../../src/runtime/scan.js';
import { createSimBoard } from '../../src/runtime/simboard.js';
import { fakeUpsd } from './fake-nut.js';
import { quietLogger } from './fakes.js';

const T0 = Date.parse('2026-01-05T00:00:00Z');
const cfg = validateConfig({ uplinks: { enabled: false }, ups: { staleMs: '30s' } }, 'test');
const sig = (name: SignalName, kind: 'bool' | 'number', variable: string, tokens?: string[]): NutSignal => ({ name, kind, variable, tokens, staleMs: 30_000 });

describe('NUT readings in the controller', () => {
  let loop: ScanLoop | undefined;
  beforeEach(() => void vi.useFakeTimers({ now: T0 }));
  afterEach(() => {
    loop?.stop();
    vi.useRealTimers();
  });

  it('on battery and low from ups.status; ERR DATA-STALE → UPS_COMM_LOST within a poll; back when upsd is', async () => {
    const upsd = fakeUpsd('cab', { 'ups.status': 'OL', 'battery.charge': '100', 'battery.runtime': '1800' });
    const signals = [
      sig('ups.onBattery', 'bool', 'ups.status', ['OB', 'FSD']),
      sig('ups.lowBattery', 'bool', 'ups.status', ['LB', 'FSD']),
      sig('ups.chargePct', 'number', 'battery.charge'),
    ];
    const opening = openNut(
      { host: '127.0.0.1', port: 3493, ups: 'cab', pollMs: 1000, timeoutMs: 500, signals },
      { logger: quietLogger(), connect: upsd.connect },
    );
    await vi.advanceTimersByTimeAsync(0);
    const nut = await opening;
    // The simulated cabinet carries the breakers and feeds; the UPS signals come from NUT.
    const board = composeBoards('sim+nut', [createSimBoard(cfg, T0), nut]);
    loop = createScanLoop({ config: cfg, configHash: 'x', board, clock: () => Date.now() });
    loop.start();
    const after = async (ms: number) => {
      await vi.advanceTimersByTimeAsync(ms);
      loop?.scanNow();
      return loop?.latest().status as { ups: Record<string, unknown>; alarms: string[] };
    };
    expect((await after(100)).ups).toMatchObject({ comm: true, onBattery: false, chargePct: 100 });
    upsd.vars.set('ups.status', 'OB LB');
    upsd.vars.set('battery.charge', '12');
    const ob = await after(1000);
    expect(ob.ups).toMatchObject({ comm: true, onBattery: true, lowBattery: true, chargePct: 12 });
    expect(ob.alarms).toEqual(expect.arrayContaining(['UPS_ON_BATTERY', 'UPS_LOW_BATTERY']));
    upsd.mode = 'stale';
    const lost = await after(1000);
    expect(lost.ups).toMatchObject({ comm: false });
    expect(lost.alarms).toContain('UPS_COMM_LOST');
    upsd.mode = 'ok';
    const back = await after(1000);
    expect(back.ups).toMatchObject({ comm: true, onBattery: true });
    expect(back.alarms).not.toContain('UPS_COMM_LOST');
    await nut.close();
  });
});
