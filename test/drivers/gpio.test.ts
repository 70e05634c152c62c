import { describe, expect, it } from 'vitest';
import { openGpio } from '../../src/drivers/gpio/driver.js';
import { logicalInput } from '../../src/drivers/pins.js';
import type { GpioSection, PinSignal } from '../../src/drivers/board.js';
import { fakeOnoff, fakeSysfs, quietLogger, recordingLogger } from './fakes.js';
import type { SignalName } from '../../src/core/signals.js';

const PI4_KERNEL_66 = fakeSysfs([
  { label: 'pinctrl-bcm2711', base: 512 },
  { label: 'raspberrypi-exp-gpio', base: 570, ngpio: 8 },
]);

const input = (name: SignalName, pin: number, over: Partial<PinSignal> = {}): PinSignal => ({
  name,
  direction: 'in',
  pin,
  activeLow: false,
  contact: 'NO',
  debounceMs: 30,
  staleMs: 1000,
  ...over,
});
const output = (name: SignalName, pin: number, activeLow = false): PinSignal => ({ ...input(name, pin), direction: 'out', activeLow });

const section = (signals: PinSignal[], over: Partial<GpioSection> = {}): GpioSection => ({
  chip: undefined,
  base: undefined,
  refreshMs: 1000,
  signals,
  ...over,
});

function setup(signals: PinSignal[], over: Partial<GpioSection> = {}, initial: Record<number, 0 | 1> = {}) {
  const onoff = fakeOnoff(initial);
  const clock = { t: 1000 };
  const board = openGpio(section(signals, over), 'board.yaml', { Gpio: onoff.Gpio, sysfs: PI4_KERNEL_66, logger: quietLogger(), clock: () => clock.t });
  return { board, pins: onoff.pins, clock };
}

describe('GPIO numbering on current kernels', () => {
  it('adds the SoC controller base found in sysfs (512 on a Pi 4 with kernel 6.6), never 0', () => {
    const { pins } = setup([input('breaker.A.closedFb', 27)]);
    expect([...pins.keys()]).toEqual([539]);
  });

  it('uses the controller named in the board file, or an explicit base', () => {
    expect([...setup([input('ups.fault', 2)], { chip: 'raspberrypi-exp-gpio' }).pins.keys()]).toEqual([572]);
    expect([...setup([input('ups.fault', 2)], { base: 0 }).pins.keys()]).toEqual([2]);
  });

  it('refuses to guess when several controllers could be meant, and lists them', () => {
    const onoff = fakeOnoff();
    const sysfs = fakeSysfs([
      { label: 'gpio-a', base: 512 },
      { label: 'gpio-b', base: 600 },
    ]);
    expect(() => openGpio(section([input('ups.fault', 2)]), 'b.yaml', { Gpio: onoff.Gpio, sysfs, logger: quietLogger() })).toThrow(
      /gpio\.chip: cannot tell which GPIO controller .*gpio-a \(base 512\), gpio-b \(base 600\)/,
    );
  });
});

describe('GPIO inputs', () => {
  it('applies active-low wiring and NC contacts', () => {
    const cases: [boolean, boolean, 'NO' | 'NC', boolean][] = [
      // pin high, activeLow, contact → signal
      [true, false, 'NO', true],
      [false, true, 'NO', true],
      [true, true, 'NO', false],
      [true, false, 'NC', false],
      [false, true, 'NC', false],
      [true, true, 'NC', true],
    ];
    for (const [high, activeLow, contact, want] of cases) expect(logicalInput(high, { activeLow, contact })).toBe(want);
  });

  it('reads the present level in the very first scan (bumpless boot), with its age', () => {
    const { board, clock } = setup([input('breaker.A.closedFb', 27, { activeLow: true })], {}, { 539: 0 });
    clock.t = 1040;
    expect(board.read(1040).get('breaker.A.closedFb')).toEqual({ value: true, ageMs: 0 });
  });

  it('ignores contact bounce shorter than debounceMs and accepts a level that holds', () => {
    const { board, pins, clock } = setup([input('breaker.B.closedFb', 4)]);
    const pin = pins.get(516)!;
    expect(board.read(1000).get('breaker.B.closedFb')?.value).toBe(false);
    clock.t = 1100;
    pin.edgeTo(1);
    clock.t = 1105;
    pin.edgeTo(0);
    clock.t = 1110;
    pin.edgeTo(1);
    expect(board.read(1120).get('breaker.B.closedFb')?.value).toBe(false); // 10 ms stable: still bouncing
    expect(board.read(1139).get('breaker.B.closedFb')?.value).toBe(false);
    expect(board.read(1141).get('breaker.B.closedFb')?.value).toBe(true); // 31 ms stable
  });

  it('tells the runtime about an edge between scans', () => {
    const { board, pins } = setup([input('ups.onBattery', 5)]);
    let woken = 0;
    board.onInputChange?.(() => woken++);
    pins.get(517)!.edgeTo(1);
    expect(woken).toBe(1);
  });

  it('turns an unreadable pin stale after staleMs instead of repeating the last value', () => {
    const { lines, logger } = recordingLogger();
    const onoff = fakeOnoff();
    const board = openGpio(section([input('psu.1.ok', 6, { staleMs: 500 })]), 'b.yaml', { Gpio: onoff.Gpio, sysfs: PI4_KERNEL_66, logger, clock: () => 0 });
    board.read(100);
    onoff.pins.get(518)!.failReads = true;
    expect(board.read(400).get('psu.1.ok')).toEqual({ value: false, ageMs: 300 });
    expect(board.read(700).get('psu.1.ok')).toEqual({ value: undefined, reason: 'stale' });
    expect(lines.filter((l) => l.msg === 'gpio input unreadable')).toHaveLength(1); // logged once, not per scan
    onoff.pins.get(518)!.failReads = false;
    expect(board.read(800).get('psu.1.ok')).toEqual({ value: false, ageMs: 0 });
  });
});

describe('GPIO outputs', () => {
  it('does not touch an output pin before the first image, then drives it at once to the commanded level', () => {
    const { board, pins } = setup([output('breaker.A.closeCmd', 17, true), input('breaker.A.closedFb', 27)]);
    expect(pins.has(529)).toBe(false);
    board.read(1000);
    board.write(new Map([['breaker.A.closeCmd', true]]), 1000);
    const pin = pins.get(529)!;
    expect(pin.direction).toBe('low'); // active-low relay: "on" is level 0, set as the pin becomes an output
    expect(pin.writes).toEqual([0]);
  });

  it('writes on change, re-asserts an unchanged level every refreshMs, and leaves unknown signals alone', () => {
    const { board, pins } = setup([output('generator.start', 22), output('alarm.common', 23)]);
    const image = (on: boolean) => new Map<SignalName, boolean>([['generator.start', on]]);
    board.write(image(false), 0);
    board.write(image(false), 100);
    board.write(image(false), 999);
    const pin = pins.get(534)!;
    expect(pin.writes).toEqual([0]);
    pin.level = 1; // someone else flipped it
    board.write(image(false), 1000);
    expect(pin.level).toBe(0); // healed by the periodic re-assert
    board.write(image(true), 1001);
    expect(pin.writes).toEqual([0, 0, 1]);
    expect(pins.has(535)).toBe(false);
  });

  it('retries a failed write on the next scan', () => {
    const { board, pins } = setup([output('alarm.common', 23)]);
    board.write(new Map([['alarm.common', false]]), 0);
    const pin = pins.get(535)!;
    pin.failWrites = true;
    board.write(new Map([['alarm.common', true]]), 100);
    pin.failWrites = false;
    board.write(new Map([['alarm.common', true]]), 200);
    expect(pin.level).toBe(1);
    expect(board.stats?.().gpioErrors).toBe(1);
  });

  it('on close releases inputs but keeps outputs exported, so a restart does not drop a closed contactor', async () => {
    const { board, pins } = setup([output('breaker.A.closeCmd', 17), input('breaker.A.closedFb', 27)]);
    board.write(new Map([['breaker.A.closeCmd', true]]), 0);
    await board.close();
    expect(pins.get(539)!.unexported).toBe(true);
    expect(pins.get(529)!.unexported).toBe(false);
    expect(pins.get(529)!.level).toBe(1);
  });
});
