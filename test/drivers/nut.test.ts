// The NUT driver on a fake upsd: ups.status tokens and battery variables become the UPS signals,
// and every kind of doubt (ERR DATA-STALE, DRIVER-NOT-CONNECTED, WAIT, a dropped socket, silence)
// makes them stale at once — never "last known" — and they come back with upsd.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { validateBoard, type HardwareBoardFile } from '../../src/drivers/board.js';
import { openNut } from '../../src/drivers/nut/driver.js';
import type { NutSection } from '../../src/drivers/nut/index.js';
import type { DriverBoard } from '../../src/drivers/types.js';
import { fakeUpsd, type FakeUpsd } from './fake-nut.js';
import { quietLogger, recordingLogger } from './fakes.js';

const UPS_SIGNALS = { 'ups.onBattery': {}, 'ups.lowBattery': {}, 'ups.fault': {}, 'ups.chargePct': {}, 'ups.runtimeS': {} };
const sectionOf = (signals: Record<string, object> = UPS_SIGNALS): NutSection =>
  (validateBoard({ name: 't', driver: 'nut', nut: { ups: 'cab', pollMs: 500, timeoutMs: 200, staleMs: 2000 }, signals }, 't.yaml') as HardwareBoardFile)
    .nut as NutSection;

const values = (b: DriverBoard) => Object.fromEntries([...b.read(Date.now())].map(([k, r]) => [k, r.value]));
const STALE = { 'ups.onBattery': undefined, 'ups.lowBattery': undefined, 'ups.fault': undefined, 'ups.chargePct': undefined, 'ups.runtimeS': undefined };

describe('NUT driver', () => {
  let upsd: FakeUpsd;
  let board: DriverBoard;
  const open = async (signals?: Record<string, object>, logger = quietLogger()) => {
    const p = openNut(sectionOf(signals), { logger, connect: upsd.connect, backoff: { minMs: 1000, maxMs: 1000 } });
    await vi.advanceTimersByTimeAsync(0);
    board = await p;
  };
  const status = async (s: string) => {
    upsd.vars.set('ups.status', s);
    await vi.advanceTimersByTimeAsync(500);
    return values(board);
  };
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    upsd = fakeUpsd('cab', {
      'ups.status': 'OL',
      'battery.charge': '100',
      'battery.runtime': '1830',
      'ups.beeper.status': 'enabled',
      'input.voltage': '231.5',
    });
  });
  afterEach(async () => {
    await board.close();
    vi.useRealTimers();
  });

  it('maps ups.status tokens (FSD = on battery and low; OVER, RB, ALARM = fault), battery.charge and battery.runtime', async () => {
    await open();
    expect(values(board)).toEqual({ 'ups.onBattery': false, 'ups.lowBattery': false, 'ups.fault': false, 'ups.chargePct': 100, 'ups.runtimeS': 1830 });
    expect(await status('OB DISCHRG')).toMatchObject({ 'ups.onBattery': true, 'ups.lowBattery': false, 'ups.fault': false });
    expect(await status('OB LB')).toMatchObject({ 'ups.onBattery': true, 'ups.lowBattery': true });
    expect(await status('FSD OL')).toMatchObject({ 'ups.onBattery': true, 'ups.lowBattery': true });
    for (const t of ['OVER', 'RB', 'ALARM']) expect(await status(`OL ${t}`)).toMatchObject({ 'ups.onBattery': false, 'ups.fault': true });
    expect(await status('OL CHRG BOOST TRIM BYPASS CAL HB XYZZY')).toMatchObject({ 'ups.onBattery': false, 'ups.lowBattery': false, 'ups.fault': false });
  });

  it('reads the variable a signal names instead (a number, or a yes/no word for an on/off signal)', async () => {
    await open({ 'ups.fault': { var: 'ups.beeper.status' }, 'feed.A.voltage': { var: 'input.voltage' }, 'ups.chargePct': {} });
    expect(values(board)).toEqual({ 'ups.fault': true, 'feed.A.voltage': 231.5, 'ups.chargePct': 100 });
    expect(upsd.requests.every((r) => r === 'LIST VAR cab')).toBe(true);
  });

  it.each([
    ['ERR DATA-STALE', (u: FakeUpsd) => void (u.mode = 'stale')],
    ['ERR DRIVER-NOT-CONNECTED', (u: FakeUpsd) => void (u.mode = 'noDriver')],
    ['WAIT', (u: FakeUpsd) => void (u.mode = 'wait')],
    ['a dropped socket', (u: FakeUpsd) => void ((u.mode = 'refuse'), u.hangUp())],
    ['silence (request timeout)', (u: FakeUpsd) => void (u.mode = 'silent')],
  ])('%s: every reading is stale by the next poll, long before staleMs; then back', async (_what, fail) => {
    await open();
    await status('OB');
    fail(upsd);
    await vi.advanceTimersByTimeAsync(500 + 200);
    expect(values(board)).toEqual(STALE);
    upsd.mode = 'ok';
    await vi.advanceTimersByTimeAsync(2000);
    expect(values(board)).toEqual({ 'ups.onBattery': true, 'ups.lowBattery': false, 'ups.fault': false, 'ups.chargePct': 100, 'ups.runtimeS': 1830 });
  });

  it('a variable the UPS does not report, or not a number, reads stale (logged once)', async () => {
    const { logger, lines } = recordingLogger();
    upsd.vars.delete('battery.runtime');
    upsd.vars.set('battery.charge', 'n/a');
    await open(undefined, logger);
    await vi.advanceTimersByTimeAsync(2000);
    expect(values(board)).toMatchObject({ 'ups.onBattery': false, 'ups.chargePct': undefined, 'ups.runtimeS': undefined });
    expect(lines.filter((l) => /does not report/.test(l.msg)).map((l) => l.signal)).toEqual(['ups.runtimeS']);
    expect(lines.filter((l) => /not a value/.test(l.msg)).map((l) => l.signal)).toEqual(['ups.chargePct']);
  });

  it('logs an outage once with its cause, and once when it ends', async () => {
    const { logger, lines } = recordingLogger();
    await open(undefined, logger);
    upsd.mode = 'noDriver';
    await vi.advanceTimersByTimeAsync(5000);
    upsd.mode = 'ok';
    await vi.advanceTimersByTimeAsync(1000);
    const said = lines.filter((l) => /nut: UPS readings/.test(l.msg)).map((l) => `${l.msg} ${typeof l.problem === 'string' ? l.problem : ''}`);
    expect(said).toEqual(['nut: UPS readings unknown (stale) until upsd answers again ERR DRIVER-NOT-CONNECTED', 'nut: UPS readings fresh again ']);
    expect(board.stats?.()).toMatchObject({ nut_errors: 10, nut_drops: 0 });
  });
});
