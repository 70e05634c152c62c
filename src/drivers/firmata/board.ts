// The `firmata:` section of a board file and its signals: Arduino digital pins and analog channels.
import { z } from 'zod';
import { duration } from '../../config/duration.js';
import type { ConfigError } from '../../config/errors.js';
import type { SignalName } from '../../core/signals.js';
import type { SectionContext, SectionSession } from '../../io/board-section.js';
import { activeLow, contact, debounceMs, offset, pin, scale, staleMs } from '../keys.js';
import { pinResolver, type PinEntry, type PinSignal } from '../pin-board.js';

export const FIRMATA_KEYS = { pin, analog: z.number().int().min(0).max(127).optional(), activeLow, contact, debounceMs, staleMs, scale, offset } as const;

/** The Arduinos whose pins are checked: digital pins, analog channels, the serial pins Firmata talks over, I2C. */
const ARDUINOS = {
  uno: { title: 'an Arduino Uno', digitalMax: 19, analogMax: 5, i2cPins: [18, 19], i2cAnalog: [4, 5], pinNote: 'digital pins 0–19; A0–A5 are 14–19' },
  nano: {
    title: 'an Arduino Nano',
    digitalMax: 19,
    analogMax: 7,
    i2cPins: [18, 19],
    i2cAnalog: [4, 5],
    pinNote: 'digital pins 0–19; A0–A5 are 14–19, A6/A7 are analog only',
  },
  mega: { title: 'an Arduino Mega 2560', digitalMax: 69, analogMax: 15, i2cPins: [20, 21], i2cAnalog: [], pinNote: 'digital pins 0–69; A0–A15 are 54–69' },
} as const;
/** `other`: a board twinfeed has no pin table for; its pins are not checked. */
export type ArduinoBoard = keyof typeof ARDUINOS | 'other';
/** Pins 0 and 1 are the serial line to the host, on which Firmata itself runs. */
const SERIAL_PINS = [0, 1];

export const firmataSectionSchema = z
  .object({
    /** Which Arduino: its pin numbers are checked against it (default uno; `other` checks none). */
    arduino: z.enum(['uno', 'nano', 'mega', 'other']).default('uno'),
    path: z.string().min(1),
    baudRate: z.number().int().positive().default(57600),
    readyTimeoutMs: duration().default(10_000),
    refreshMs: duration().default(1000),
  })
  .strict()
  .optional();

export interface FirmataAnalogSignal {
  readonly name: SignalName;
  readonly analog: number;
  readonly scale: number;
  readonly offset: number;
}

export interface FirmataSection {
  readonly arduino: ArduinoBoard;
  readonly path: string;
  readonly baudRate: number;
  readonly readyTimeoutMs: number;
  readonly refreshMs: number;
  readonly signals: readonly PinSignal[];
  readonly analog: readonly FirmataAnalogSignal[];
}

type Entry = { readonly [K in keyof typeof FIRMATA_KEYS]?: z.output<(typeof FIRMATA_KEYS)[K]> };

/** Undefined when the file has no `firmata:` section (then no signal may use Firmata). */
export function beginFirmata(raw: unknown, ctx: SectionContext): SectionSession<FirmataSection | undefined> {
  const t = raw as z.output<typeof firmataSectionSchema>;
  const signals: PinSignal[] = [];
  const analog: FirmataAnalogSignal[] = [];
  // Firmata pins are confirmed by the live link on every read, so their stale limit is fixed.
  const pinOf = pinResolver('firmata', { pinHint: 'give the Arduino digital pin (e.g. pin: 7)', staleMs: 1000 }, ctx);
  return {
    resolve(sig, raw) {
      const e = raw as Entry;
      if (sig.kind === 'number') {
        ctx.stray(e, sig.at, ['pin', 'activeLow', 'contact', 'debounceMs'], 'to an analog signal');
        if (e.analog === undefined) return ctx.err(`${sig.at}.analog`, 'missing', 'a measurement on Firmata needs an analog channel, e.g. analog: 0 for A0');
        const a = t && t.arduino !== 'other' ? ARDUINOS[t.arduino] : undefined;
        if (a && e.analog > a.analogMax)
          return ctx.err(`${sig.at}.analog`, `${a.title} has no analog channel ${e.analog}`, `A0–A${a.analogMax}, or set firmata.arduino`);
        analog.push({ name: sig.name, analog: e.analog, scale: e.scale ?? 1, offset: e.offset ?? 0 });
        return;
      }
      const p = pinOf(sig, e as PinEntry);
      const problem = p && t ? pinProblem(t.arduino, p.pin) : undefined;
      if (problem) return ctx.err(`${sig.at}.pin`, problem.problem, problem.hint);
      if (p) signals.push(p);
    },
    finish() {
      if ((signals.length > 0 || analog.length > 0) && !t) ctx.err('firmata', 'missing', 'signals use driver firmata: give firmata: { path: /dev/ttyACM0 }');
      return t ? { ...t, signals, analog } : undefined;
    },
  };
}

/** Why a board cannot use a digital pin: one it does not have, or the serial line Firmata runs on. */
function pinProblem(board: ArduinoBoard, pin: number): { problem: string; hint: string } | undefined {
  if (board === 'other') return undefined;
  const a = ARDUINOS[board];
  if (pin > a.digitalMax) return { problem: `${a.title} has no pin ${pin}`, hint: `${a.pinNote}; or set firmata.arduino` };
  if (SERIAL_PINS.includes(pin))
    return { problem: `pin ${pin} is the serial line (${pin === 0 ? 'RX' : 'TX'}) Firmata talks to twinfeed over`, hint: 'use pins 2 and up' };
  return undefined;
}

/** Warnings for pins with a fixed role on the board (I2C), which a shield or sensor may need. */
export function firmataPinWarnings(section: FirmataSection): ConfigError[] {
  if (section.arduino === 'other') return [];
  const a = ARDUINOS[section.arduino];
  const i2c = 'I2C (SDA/SCL), which shields, displays and sensors use';
  return [
    ...section.signals
      .filter((s) => (a.i2cPins as readonly number[]).includes(s.pin))
      .map((s) => ({ path: `signals.${s.name}.pin`, problem: `pin ${s.pin} is ${a.title}'s ${i2c}`, hint: 'use another pin if anything is on I2C' })),
    ...section.analog
      .filter((s) => (a.i2cAnalog as readonly number[]).includes(s.analog))
      .map((s) => ({
        path: `signals.${s.name}.analog`,
        problem: `A${s.analog} is ${a.title}'s ${i2c}`,
        hint: 'use another analog channel if anything is on I2C',
      })),
  ];
}
