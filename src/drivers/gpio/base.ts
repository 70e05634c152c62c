// Finds the sysfs number of GPIO 0. Since Linux 6.6 the GPIO core hands out bases dynamically
// (Raspberry Pi OS: 512 on a Pi 4, 571 on a Pi 5), so `echo 17 > export` fails with EINVAL: look it up.
import { readdirSync, readFileSync } from 'node:fs';
import { ConfigInvalid } from '../../config/errors.js';

/** The two calls made on /sys/class/gpio, injected so tests describe a kernel without having one. */
export interface SysfsReader {
  readdir(path: string): string[];
  readFile(path: string): string;
}

export const nodeSysfs: SysfsReader = {
  readdir: (p) => readdirSync(p),
  readFile: (p) => readFileSync(p, 'utf8'),
};

export interface GpioChip {
  readonly label: string;
  readonly base: number;
  readonly ngpio: number;
}

const SYSFS = '/sys/class/gpio';

/** The SoC GPIO controllers of Raspberry Pi 1–3, 4 and 5, in case the board file names none. */
export const PI_SOC_LABELS = ['pinctrl-bcm2835', 'pinctrl-bcm2711', 'pinctrl-rp1'];

export function listGpioChips(fs: SysfsReader): GpioChip[] {
  let names: string[];
  try {
    names = fs.readdir(SYSFS).filter((n) => n.startsWith('gpiochip'));
  } catch {
    return [];
  }
  return names.map((n) => ({
    label: fs.readFile(`${SYSFS}/${n}/label`).trim(),
    base: Number(fs.readFile(`${SYSFS}/${n}/base`).trim()),
    ngpio: Number(fs.readFile(`${SYSFS}/${n}/ngpio`).trim()),
  }));
}

/**
 * The base to add to a board file's pin numbers. An explicit `base` wins; else the chip with the
 * given label; else the one Raspberry Pi SoC controller present. Anything ambiguous is an error.
 */
export function resolveGpioBase(opts: { chip: string | undefined; base: number | undefined }, fs: SysfsReader, source: string): number {
  if (opts.base !== undefined) return opts.base;
  const chips = listGpioChips(fs);
  const known = chips.map((c) => `${c.label} (base ${c.base})`).join(', ');
  const fail = (path: string, problem: string, hint: string): never => {
    throw new ConfigInvalid([{ path, problem, hint }], source);
  };
  if (chips.length === 0) return fail('gpio', `no GPIO controllers under ${SYSFS}`, 'is the sysfs GPIO interface enabled in this kernel (CONFIG_GPIO_SYSFS)?');
  if (opts.chip !== undefined) {
    const chip = chips.find((c) => c.label === opts.chip);
    return chip ? chip.base : fail('gpio.chip', `no gpiochip labelled "${opts.chip}"`, `present: ${known}`);
  }
  const soc = chips.filter((c) => PI_SOC_LABELS.includes(c.label));
  const only = soc.length === 1 ? soc[0] : chips.length === 1 ? chips[0] : undefined;
  return only ? only.base : fail('gpio.chip', 'cannot tell which GPIO controller the pins are on', `set gpio.chip to one of: ${known}`);
}
