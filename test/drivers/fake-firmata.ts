// A johnny-five IO plugin that answers like an Uno running StandardFirmata and records what the host
// drives; the contract suite and the Firmata tests inject it instead of a serial port.
import { EventEmitter } from 'node:events';
import type { FirmataIo } from '../../src/drivers/firmata/driver.js';

/** `answers: false`: a board that never says it is ready (a wrong port, a sketch that is not Firmata). */
export function fakeFirmataIo(opts: { answers?: boolean } = {}) {
  const MODES = Object.freeze({ INPUT: 0, OUTPUT: 1, ANALOG: 2, PWM: 3, SERVO: 4, PULLUP: 11 });
  const digital = new Map<number, (v: number) => void>();
  const analog = new Map<number, (v: number) => void>();
  const levels = new Map<number, number>();
  const record = { modes: [] as [number, number][], writes: [] as [number, number][], closed: false };
  const io = Object.assign(new EventEmitter(), {
    name: 'FakeFirmata',
    MODES,
    HIGH: 1,
    LOW: 0,
    isReady: false,
    pins: Array.from({ length: 20 }, (_, i) => ({
      supportedModes: i < 14 ? [0, 1, 11] : [0, 1, 2],
      mode: 0,
      value: 0,
      report: 1,
      analogChannel: i < 14 ? 127 : i - 14,
    })),
    analogPins: [14, 15, 16, 17, 18, 19],
    pinMode: (pin: number, mode: number) => void record.modes.push([pin, mode]),
    digitalRead: (pin: number, cb: (v: number) => void) => {
      digital.set(pin, cb);
      cb(levels.get(pin) ?? 0); // Firmata reports the present level when reporting is enabled
    },
    digitalWrite: (pin: number, v: number) => void record.writes.push([pin, v]),
    analogRead: (ch: number, cb: (v: number) => void) => void analog.set(ch, cb),
    transport: { close: (cb?: () => void) => ((record.closed = true), cb?.()) },
  });
  if (opts.answers !== false) {
    setImmediate(() => {
      io.emit('connect');
      io.isReady = true;
      io.emit('ready');
    });
  }
  return {
    io: io as FirmataIo & EventEmitter,
    record,
    /** The level the host last wrote to `pin`, if it made the pin an output. */
    driven: (pin: number): number | undefined => {
      if (record.modes.filter(([p]) => p === pin).pop()?.[1] !== MODES.OUTPUT) return undefined;
      return record.writes.filter(([p]) => p === pin).pop()?.[1];
    },
    report: (pin: number, v: number) => (levels.set(pin, v), digital.get(pin)?.(v)),
    reportAnalog: (ch: number, v: number) => analog.get(ch)?.(v),
  };
}
