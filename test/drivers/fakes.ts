// Test doubles for the device libraries: they implement the same surface and record what happened.
import { pino } from 'pino';
import type { GpioClass, GpioDirection, GpioEdge, GpioPin, Level } from '../../src/drivers/gpio/driver.js';
import type { SysfsReader } from '../../src/drivers/gpio/base.js';

export const quietLogger = () => pino({ level: 'silent' });

/** A logger that keeps every line, to assert on what an operator would read in the journal. */
export function recordingLogger() {
  const lines: { level: number; msg: string; [k: string]: unknown }[] = [];
  const stream = { write: (s: string) => lines.push(JSON.parse(s)) };
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** A fake sysfs: /sys/class/gpio with the given chips. */
export function fakeSysfs(chips: { label: string; base: number; ngpio?: number }[]): SysfsReader {
  const files = new Map<string, string>();
  chips.forEach((c) => {
    const d = `/sys/class/gpio/gpiochip${c.base}`;
    files.set(`${d}/label`, `${c.label}\n`);
    files.set(`${d}/base`, `${c.base}\n`);
    files.set(`${d}/ngpio`, `${c.ngpio ?? 58}\n`);
  });
  return {
    readdir: (p) => {
      if (p !== '/sys/class/gpio') throw new Error(`ENOENT ${p}`);
      return ['export', 'unexport', ...chips.map((c) => `gpiochip${c.base}`)];
    },
    readFile: (p) => {
      const v = files.get(p);
      if (v === undefined) throw new Error(`ENOENT ${p}`);
      return v;
    },
  };
}

export interface FakePin {
  readonly gpio: number;
  readonly direction: GpioDirection;
  readonly edge: GpioEdge | undefined;
  level: Level;
  writes: Level[];
  unexported: boolean;
  failReads: boolean;
  failWrites: boolean;
  /** Simulates an interrupt: the level changes and watchers are told. */
  edgeTo(level: Level): void;
}

/** A fake onoff: every constructed pin is recorded by its sysfs number. */
export function fakeOnoff(initial: Record<number, Level> = {}) {
  const pins = new Map<number, FakePin>();
  const Gpio: GpioClass = class implements GpioPin {
    private readonly pin: FakePin;
    private readonly watchers: ((err: Error | null | undefined, value: Level) => void)[] = [];
    constructor(gpio: number, direction: GpioDirection, edge?: GpioEdge) {
      const start: Level = direction === 'high' ? 1 : direction === 'low' ? 0 : (initial[gpio] ?? 0);
      const watchers = this.watchers;
      this.pin = {
        gpio,
        direction,
        edge,
        level: start,
        writes: [],
        unexported: false,
        failReads: false,
        failWrites: false,
        edgeTo(level) {
          this.level = level;
          for (const w of watchers) w(null, level);
        },
      };
      pins.set(gpio, this.pin);
    }
    readSync(): Level {
      if (this.pin.failReads) throw new Error('EIO: i/o error, read');
      return this.pin.level;
    }
    writeSync(value: Level): void {
      if (this.pin.failWrites) throw new Error('EIO: i/o error, write');
      this.pin.level = value;
      this.pin.writes.push(value);
    }
    watch(callback: (err: Error | null | undefined, value: Level) => void): void {
      this.watchers.push(callback);
    }
    unexport(): void {
      this.pin.unexported = true;
    }
  };
  return { Gpio, pins };
}
