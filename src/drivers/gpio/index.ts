// The GPIO driver plug-in (onoff, sysfs): dry contacts in, relays out. onoff loads only in open().
import { PIN_KEYS } from '../pin-board.js';
import { pick, type DriverPlugin } from '../plugin.js';
import { beginGpio, gpioSectionSchema, type GpioSection } from './board.js';
import type { GpioDeps } from './driver.js';

export type { GpioSection } from './board.js';

export const gpioDriver: DriverPlugin<GpioSection, Partial<Omit<GpioDeps, 'logger'>>> = {
  section: gpioSectionSchema,
  signalKeys: PIN_KEYS,
  // A measurement key on a GPIO signal gets "does not apply to a digital signal" (pin-board.ts).
  refusesItself: ['analog', 'scale', 'offset'],
  begin: beginGpio,
  used: (s): s is GpioSection => s.signals.length > 0,
  only: (s, keep) => ({ ...s, signals: pick(s.signals, keep) }),
  async open(section, { logger, source, deps }) {
    const { openGpio } = await import('./driver.js');
    const Gpio = deps?.Gpio ?? (await import('onoff')).Gpio;
    return openGpio(section, source, { ...deps, Gpio, logger });
  },
};
