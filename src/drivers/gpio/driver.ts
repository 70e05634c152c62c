// GPIO through onoff 6 (sysfs): dry contacts in, relays out. onoff's Gpio class is injected, so
// tests pass a fake; pin numbers in the board file are offsets from the controller's sysfs base.
import type { Logger } from 'pino';
import type { Reading, SignalName } from '../../core/types.js';
import type { PinSignal } from '../pin-board.js';
import type { GpioSection } from './board.js';
import { nodeSysfs, resolveGpioBase, type SysfsReader } from './base.js';
import {
  errorText,
  faultTracker,
  logicalInput,
  needsWrite,
  NEVER_SAMPLED,
  outputLevel,
  pinReading,
  sample,
  settle,
  UNWRITTEN,
  type Debounced,
  type Latch,
} from '../pins.js';
import type { DriverBoard } from '../types.js';

export type Level = 0 | 1;
export type GpioDirection = 'in' | 'out' | 'high' | 'low';
export type GpioEdge = 'none' | 'rising' | 'falling' | 'both';

/** The part of onoff's Gpio this driver uses. */
export interface GpioPin {
  readSync(): Level;
  writeSync(value: Level): void;
  watch(callback: (err: Error | null | undefined, value: Level) => void): void;
  unexport(): void;
}

export type GpioClass = new (
  gpio: number,
  direction: GpioDirection,
  edge?: GpioEdge,
  options?: { activeLow?: boolean; reconfigureDirection?: boolean },
) => GpioPin;

export interface GpioDeps {
  readonly Gpio: GpioClass;
  readonly logger: Logger;
  readonly sysfs?: SysfsReader;
  /** Timestamps edges that arrive between scans; must be the clock the runtime passes as nowMs. */
  readonly clock?: () => number;
}

interface InputPin {
  readonly sig: PinSignal;
  readonly gpio: GpioPin;
  state: Debounced;
}

interface OutputPin {
  readonly sig: PinSignal;
  gpio: GpioPin | undefined;
  latch: Latch;
}

export function openGpio(section: GpioSection, source: string, deps: GpioDeps): DriverBoard {
  const log = deps.logger.child({ driver: 'gpio' });
  const clock = deps.clock ?? Date.now;
  const base = resolveGpioBase(section, deps.sysfs ?? nodeSysfs, source);
  const faults = faultTracker();
  const listeners = new Set<() => void>();
  const sysfsNumber = (s: PinSignal) => base + s.pin;
  // Our own polarity handling is the only inversion: a leftover sysfs active_low would silently flip it.
  const pinOptions = { activeLow: false, reconfigureDirection: false };

  const inputs: InputPin[] = section.signals
    .filter((s) => s.direction === 'in')
    .map((sig) => {
      let gpio: GpioPin;
      try {
        gpio = new deps.Gpio(sysfsNumber(sig), 'in', 'both', pinOptions);
      } catch (err) {
        throw new Error(`gpio: cannot open pin ${sig.pin} (sysfs ${sysfsNumber(sig)}) for ${sig.name}: ${errorText(err)} (is the user in group "gpio"?)`);
      }
      return { sig, gpio, state: NEVER_SAMPLED };
    });
  // Outputs are exported lazily, on the first image: the board never drives a pin before the
  // runtime has read the breaker feedback (bumpless boot).
  const outputs: OutputPin[] = section.signals.filter((s) => s.direction === 'out').map((sig) => ({ sig, gpio: undefined, latch: UNWRITTEN }));
  log.info({ base, inputs: inputs.length, outputs: outputs.length }, 'gpio opened');

  const take = (p: InputPin, atMs: number): void => {
    try {
      p.state = sample(p.state, logicalInput(p.gpio.readSync() === 1, p.sig), atMs);
      if (faults.ok(p.sig.name)) log.info({ signal: p.sig.name }, 'gpio input readable again');
    } catch (err) {
      if (faults.fail(p.sig.name, err)) log.warn({ signal: p.sig.name, err: errorText(err) }, 'gpio input unreadable');
    }
  };
  for (const p of inputs) {
    take(p, clock());
    p.gpio.watch((err, value) => {
      if (err) return;
      p.state = sample(p.state, logicalInput(value === 1, p.sig), clock());
      for (const l of listeners) l();
    });
  }

  const writeOne = (o: OutputPin, on: boolean, nowMs: number): void => {
    const level = outputLevel(on, o.sig.activeLow);
    try {
      if (o.gpio === undefined) {
        // 'high'/'low' makes the pin an output already at that level: no glitch through the other state.
        o.gpio = new deps.Gpio(sysfsNumber(o.sig), level === 1 ? 'high' : 'low', 'none', pinOptions);
      }
      o.gpio.writeSync(level);
      o.latch = { written: on, atMs: nowMs };
      if (faults.ok(o.sig.name)) log.info({ signal: o.sig.name }, 'gpio output writable again');
    } catch (err) {
      o.latch = UNWRITTEN;
      if (faults.fail(o.sig.name, err)) log.error({ signal: o.sig.name, err: errorText(err) }, 'gpio output write failed');
    }
  };

  return {
    name: 'gpio',
    inputs: inputs.map((p) => p.sig.name),
    outputs: outputs.map((o) => o.sig.name),
    read(nowMs) {
      const out = new Map<SignalName, Reading>();
      for (const p of inputs) {
        take(p, nowMs);
        p.state = settle(p.state, nowMs, p.sig.debounceMs);
        out.set(p.sig.name, pinReading(p.state, nowMs, p.sig.staleMs));
      }
      return out;
    },
    write(image, nowMs) {
      for (const o of outputs) {
        const on = image.get(o.sig.name);
        // A signal missing from the image is left as it is rather than guessed.
        if (on !== undefined && needsWrite(o.latch, on, nowMs, section.refreshMs)) writeOne(o, on, nowMs);
      }
    },
    onInputChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats: () => ({ gpioErrors: faults.count }),
    async close() {
      listeners.clear();
      for (const p of inputs) p.gpio.unexport();
      // Outputs stay exported at their level: unexporting turns a pin back into an input, which
      // would drop a relay and open a closed contactor across a restart.
    },
  };
}
