// What a Raspberry Pi's 40-pin header allows: which GPIO numbers exist, which have a fixed role,
// and how each pin is pulled at power-on — before twinfeed runs, while the relays are already live.
import type { ConfigError } from '../../config/errors.js';
import type { PinSignal } from '../pin-board.js';
import { PI_SOC_LABELS } from './base.js';

/** BCM GPIO numbers on the header; 0 and 1 are the HAT ID EEPROM's I2C and not for general use. */
export const PI_HEADER = { min: 2, max: 27 } as const;

/** At power-on the SoC pulls GPIO 0–8 up and 9–27 down until something configures them. */
export const PI_PULLED_UP_MAX = 8;

/** Pins with a fixed role on a Pi: using them for a relay or contact clashes with that role. */
const FIXED_ROLES: Readonly<Record<number, string>> = {
  2: 'I2C SDA1 (with a 1.8 kΩ pull-up on the board; HATs and RTCs use it)',
  3: 'I2C SCL1 (with a 1.8 kΩ pull-up on the board; HATs and RTCs use it)',
  14: 'the UART TXD (serial console, or an RS-485 HAT on /dev/ttyAMA0 / /dev/serial0)',
  15: 'the UART RXD (serial console, or an RS-485 HAT on /dev/ttyAMA0 / /dev/serial0)',
};

/** Paths of the Pi's own UART on the header (an RS-485 HAT), as opposed to a USB adapter. */
const PI_UART_PATHS = /^\/dev\/(ttyAMA0|serial0|ttyS0)$/;

/** True when the section's pins are a Raspberry Pi SoC controller's (named, or the default one). */
export const isPiHeader = (s: { readonly chip?: string | undefined; readonly base?: number | undefined }): boolean =>
  s.base === undefined && (s.chip === undefined || PI_SOC_LABELS.includes(s.chip));

/** The problem with a pin number the header does not have, or undefined. */
export function headerProblem(pin: number): string | undefined {
  if (pin >= PI_HEADER.min && pin <= PI_HEADER.max) return undefined;
  return pin < PI_HEADER.min ? `GPIO ${pin} is the HAT ID EEPROM's, not a header pin for I/O` : `the Raspberry Pi header has no GPIO ${pin}`;
}

/**
 * Warnings for a Pi's pins: a fixed role, and an output whose power-on pull switches it on until
 * twinfeed starts (an active-low relay on a pulled-down pin, an active-high one on a pulled-up pin).
 * alarm.common is left out: being on (alarm) while nothing controls the board is its safe side.
 */
export function piPinWarnings(signals: readonly PinSignal[], serialPaths: readonly string[]): ConfigError[] {
  const out: ConfigError[] = [];
  const uartBus = serialPaths.find((p) => PI_UART_PATHS.test(p));
  for (const s of signals) {
    const role = FIXED_ROLES[s.pin];
    if (!role) continue;
    const busy = uartBus && (s.pin === 14 || s.pin === 15) ? `; the Modbus bus on ${uartBus} uses it` : '';
    out.push({ path: `signals.${s.name}.pin`, problem: `GPIO ${s.pin} is ${role}${busy}`, hint: 'use a free GPIO, e.g. 5, 6, 12, 13, 16–27' });
  }
  const onAtPowerOn = signals.filter((s) => s.direction === 'out' && s.name !== 'alarm.common' && s.activeLow === s.pin > PI_PULLED_UP_MAX);
  const fix = (high: boolean) => {
    const pins = onAtPowerOn.filter((s) => s.activeLow === high).map((s) => s.pin);
    return `gpio=${pins.join(',')}=op,${high ? 'dh' : 'dl'} in /boot/firmware/config.txt drives ${pins.length > 1 ? 'them' : 'it'} ${high ? 'high' : 'low'} (off) from power-on`;
  };
  for (const s of onAtPowerOn) {
    const pull = s.activeLow ? 'pulled down' : 'pulled up';
    // GPIO 2 and 3 are I2C: the pulled-up pins to suggest start at 4.
    const other = s.activeLow
      ? `a pin pulled up at power-on (GPIO 4–${PI_PULLED_UP_MAX})`
      : `a pin pulled down at power-on (GPIO ${PI_PULLED_UP_MAX + 1}–${PI_HEADER.max})`;
    out.push({
      path: `signals.${s.name}.pin`,
      problem: `${s.activeLow ? 'active-low' : 'active-high'} output on GPIO ${s.pin}, which is ${pull} at power-on: it is ON from power-on until twinfeed starts`,
      hint: `${fix(s.activeLow)}, or move it to ${other}`,
    });
  }
  return out;
}
