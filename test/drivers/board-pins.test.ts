// Boards that protect themselves: a pin the board's controller does not have is an error, a pin
// with a fixed role (I2C, the UART the RS-485 line uses, Firmata's own serial line) is refused or
// warned about, and a Pi output that its power-on pull switches on is warned about with the fix.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boardWarnings } from '../../src/cli/check.js';
import { ConfigInvalid, formatError } from '../../src/config/errors.js';
import { validateBoard } from '../../src/drivers/board.js';
import { stringify } from 'yaml';

const errorsOf = (raw: unknown): string[] => {
  try {
    validateBoard(raw, 't.yaml');
    return [];
  } catch (err) {
    if (err instanceof ConfigInvalid) return err.errors.map(formatError);
    throw err;
  }
};
const dir = mkdtempSync(join(tmpdir(), 'twinfeed-pins-'));
let n = 0;
const warningsOf = async (raw: object): Promise<string[]> => {
  const path = join(dir, `b${n++}.yaml`);
  writeFileSync(path, stringify(raw));
  return (await boardWarnings(path)).map(formatError);
};
const pi = (signals: object, extra: object = {}) => ({ name: 'pi', driver: 'gpio', signals, ...extra });
const uno = (signals: object, arduino?: string) => ({
  name: 'uno',
  driver: 'firmata',
  firmata: { path: '/dev/ttyACM0', ...(arduino ? { arduino } : {}) },
  signals,
});

describe('Raspberry Pi header pins', () => {
  it('a GPIO the header does not have is an error, on the default controller and on a named Pi one', () => {
    expect(errorsOf(pi({ 'psu.1.ok': { pin: 28 }, 'psu.2.ok': { pin: 1 }, 'psu.3.ok': { pin: 27 }, 'load.live': { pin: 2 } }))).toEqual([
      'signals.psu.1.ok.pin: the Raspberry Pi header has no GPIO 28 (use a BCM GPIO number 2–27; for another controller set gpio.chip to its label)',
      "signals.psu.2.ok.pin: GPIO 1 is the HAT ID EEPROM's, not a header pin for I/O (use a BCM GPIO number 2–27; for another controller set gpio.chip to its label)",
    ]);
    expect(errorsOf(pi({ 'psu.1.ok': { pin: 40 } }, { gpio: { chip: 'pinctrl-rp1' } }))).toHaveLength(1);
  });

  it('another controller (a chip label that is not a Pi, or a fixed base) is not held to the Pi header', async () => {
    expect(errorsOf(pi({ 'psu.1.ok': { pin: 40 } }, { gpio: { chip: 'gpio-mockup-A' } }))).toEqual([]);
    expect(errorsOf(pi({ 'psu.1.ok': { pin: 0 } }, { gpio: { base: 100 } }))).toEqual([]);
    expect(await warningsOf(pi({ 'breaker.A.closeCmd': { pin: 26, activeLow: true } }, { gpio: { base: 100 } }))).toEqual([]);
  });

  it('warns about I2C pins and the UART, naming the Modbus bus that uses it', async () => {
    const modbus = { buses: { rs485: { path: '/dev/ttyAMA0' } }, devices: {} };
    expect(await warningsOf(pi({ 'psu.1.ok': { pin: 2 }, 'psu.2.ok': { pin: 15 } }, { modbus }))).toEqual([
      'signals.psu.1.ok.pin: GPIO 2 is I2C SDA1 (with a 1.8 kΩ pull-up on the board; HATs and RTCs use it) (use a free GPIO, e.g. 5, 6, 12, 13, 16–27)',
      'signals.psu.2.ok.pin: GPIO 15 is the UART RXD (serial console, or an RS-485 HAT on /dev/ttyAMA0 / /dev/serial0); the Modbus bus on /dev/ttyAMA0 uses it (use a free GPIO, e.g. 5, 6, 12, 13, 16–27)',
    ]);
  });

  it('warns about each output its power-on pull switches on, with the config.txt line that fixes them all', async () => {
    const w = await warningsOf(
      pi({
        'breaker.A.closeCmd': { pin: 26, activeLow: true }, // pulled down → active-low relay on
        'breaker.B.closeCmd': { pin: 20, activeLow: true },
        'generator.start': { pin: 4 }, // pulled up → active-high relay on
        'uplink.lte.powerCycle': { pin: 5, activeLow: true }, // pulled up → active-low relay off: fine
        'uplink.lte.selected': { pin: 22 }, // pulled down → active-high relay off: fine
        'alarm.common': { pin: 19, activeLow: true }, // on (alarm) while nothing runs is its safe side
        'breaker.A.closedFb': { pin: 6, activeLow: true }, // inputs are not driven
      }),
    );
    expect(w).toEqual([
      'signals.breaker.A.closeCmd.pin: active-low output on GPIO 26, which is pulled down at power-on: it is ON from power-on until twinfeed starts (gpio=26,20=op,dh in /boot/firmware/config.txt drives them high (off) from power-on, or move it to a pin pulled up at power-on (GPIO 4–8))',
      'signals.breaker.B.closeCmd.pin: active-low output on GPIO 20, which is pulled down at power-on: it is ON from power-on until twinfeed starts (gpio=26,20=op,dh in /boot/firmware/config.txt drives them high (off) from power-on, or move it to a pin pulled up at power-on (GPIO 4–8))',
      'signals.generator.start.pin: active-high output on GPIO 4, which is pulled up at power-on: it is ON from power-on until twinfeed starts (gpio=4=op,dl in /boot/firmware/config.txt drives it low (off) from power-on, or move it to a pin pulled down at power-on (GPIO 9–27))',
    ]);
  });
});

describe('Arduino pins (firmata.arduino, default uno)', () => {
  it('a pin or analog channel the board does not have is an error, and so are the serial pins Firmata runs on', () => {
    expect(
      errorsOf(uno({ 'psu.1.ok': { pin: 20 }, 'psu.2.ok': { pin: 0 }, 'psu.3.ok': { pin: 1 }, 'ups.chargePct': { analog: 6 }, 'load.live': { pin: 19 } })),
    ).toEqual([
      'signals.psu.1.ok.pin: an Arduino Uno has no pin 20 (digital pins 0–19; A0–A5 are 14–19; or set firmata.arduino)',
      'signals.psu.2.ok.pin: pin 0 is the serial line (RX) Firmata talks to twinfeed over (use pins 2 and up)',
      'signals.psu.3.ok.pin: pin 1 is the serial line (TX) Firmata talks to twinfeed over (use pins 2 and up)',
      'signals.ups.chargePct.analog: an Arduino Uno has no analog channel 6 (A0–A5, or set firmata.arduino)',
    ]);
  });

  it('a Mega has more pins; `other` checks none', () => {
    expect(errorsOf(uno({ 'psu.1.ok': { pin: 50 }, 'ups.chargePct': { analog: 12 } }, 'mega'))).toEqual([]);
    expect(errorsOf(uno({ 'psu.1.ok': { pin: 70 } }, 'mega'))).toHaveLength(1);
    expect(errorsOf(uno({ 'psu.1.ok': { pin: 99 } }, 'other'))).toEqual([]);
  });

  it('warns about the I2C pins (A4/A5 on an Uno), as digital pins and as analog channels', async () => {
    expect(await warningsOf(uno({ 'psu.1.ok': { pin: 18 }, 'ups.chargePct': { analog: 5 }, 'psu.2.ok': { pin: 17 } }))).toEqual([
      "signals.psu.1.ok.pin: pin 18 is an Arduino Uno's I2C (SDA/SCL), which shields, displays and sensors use (use another pin if anything is on I2C)",
      "signals.ups.chargePct.analog: A5 is an Arduino Uno's I2C (SDA/SCL), which shields, displays and sensors use (use another analog channel if anything is on I2C)",
    ]);
  });
});
