// The `firmata:` section of a board file and its signals: Arduino digital pins and analog channels.
import { z } from 'zod';
import { duration } from '../../config/duration.js';
import type { SignalName } from '../../core/signals.js';
import type { SectionContext, SectionSession } from '../../io/board-section.js';
import { activeLow, contact, debounceMs, offset, pin, scale, staleMs } from '../keys.js';
import { pinResolver, type PinEntry, type PinSignal } from '../pin-board.js';

export const FIRMATA_KEYS = { pin, analog: z.number().int().min(0).max(127).optional(), activeLow, contact, debounceMs, staleMs, scale, offset } as const;

export const firmataSectionSchema = z
  .object({
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
        analog.push({ name: sig.name, analog: e.analog, scale: e.scale ?? 1, offset: e.offset ?? 0 });
        return;
      }
      const p = pinOf(sig, e as PinEntry);
      if (p) signals.push(p);
    },
    finish() {
      if ((signals.length > 0 || analog.length > 0) && !t) ctx.err('firmata', 'missing', 'signals use driver firmata: give firmata: { path: /dev/ttyACM0 }');
      return t ? { ...t, signals, analog } : undefined;
    },
  };
}
