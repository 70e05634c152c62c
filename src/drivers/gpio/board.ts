// The `gpio:` section of a board file and its signals: digital pins numbered from the controller's
// sysfs base (looked up at open, see base.ts).
import { z } from 'zod';
import { duration } from '../../config/duration.js';
import type { SectionContext, SectionSession } from '../../io/board-section.js';
import { pinResolver, type PinEntry, type PinSignal } from '../pin-board.js';
import { headerProblem, isPiHeader, PI_HEADER } from './header.js';

export const gpioSectionSchema = z
  .object({
    /**
     * Label of the gpiochip whose sysfs base numbers the pins (`cat /sys/class/gpio/gpiochip*\/label`).
     * A Raspberry Pi's (pinctrl-bcm2835, -bcm2711, -rp1) or none (with no `base`) means the Pi header:
     * its pin numbers are checked (GPIO 2–27) and its power-on pulls warned about.
     */
    chip: z.string().min(1).optional(),
    /** Fixed sysfs base, only when the label cannot be used. */
    base: z.number().int().min(0).optional(),
    refreshMs: duration().default(1000),
    staleMs: duration().default(1000),
  })
  .strict()
  .prefault({});

export interface GpioSection {
  readonly chip: string | undefined;
  readonly base: number | undefined;
  /** Outputs are re-written this often even when unchanged, so a lost write heals. */
  readonly refreshMs: number;
  readonly signals: readonly PinSignal[];
}

export function beginGpio(raw: unknown, ctx: SectionContext): SectionSession<GpioSection> {
  const t = raw as z.output<typeof gpioSectionSchema>;
  const signals: PinSignal[] = [];
  const pinOf = pinResolver('gpio', { pinHint: 'give the BCM GPIO number (e.g. pin: 17)', staleMs: t.staleMs }, ctx);
  const pi = isPiHeader(t);
  return {
    resolve(sig, e) {
      if (sig.kind === 'number')
        return ctx.err(`${sig.at}.driver`, 'a GPIO pin cannot carry a measurement', 'read it from a modbus device (or a firmata analog channel)');
      const p = pinOf(sig, e as PinEntry);
      const problem = p && pi ? headerProblem(p.pin) : undefined;
      if (problem)
        return ctx.err(`${sig.at}.pin`, problem, `use a BCM GPIO number ${PI_HEADER.min}–${PI_HEADER.max}; for another controller set gpio.chip to its label`);
      if (p) signals.push(p);
    },
    finish: () => ({ chip: t.chip, base: t.base, refreshMs: t.refreshMs, signals }),
  };
}
