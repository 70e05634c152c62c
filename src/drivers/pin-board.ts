// The board-file side every pin driver (GPIO, Firmata) shares: the keys of a digital pin and how
// such an entry resolves (polarity, debounce, one signal per pin).
import type { SignalName } from '../core/signals.js';
import type { SectionContext, SignalAt } from '../io/board-section.js';
import { activeLow, contact, debounceMs, pin, staleMs } from './keys.js';

export const PIN_KEYS = { pin, activeLow, contact, debounceMs, staleMs } as const;

export interface BoolPolarity {
  readonly activeLow: boolean;
  readonly contact: 'NO' | 'NC';
}

export interface PinSignal extends BoolPolarity {
  readonly name: SignalName;
  readonly direction: 'in' | 'out';
  readonly pin: number;
  readonly debounceMs: number;
  /** Only for inputs: a pin that cannot be read this long reads as stale. */
  readonly staleMs: number;
}

export interface PinEntry {
  readonly pin?: number | undefined;
  readonly activeLow?: boolean | undefined;
  readonly contact?: 'NO' | 'NC' | undefined;
  readonly debounceMs?: number | undefined;
  readonly staleMs?: number | undefined;
}

/** Resolves digital-pin entries of one driver; `used` remembers which signal took which pin. */
export function pinResolver(driver: string, opts: { pinHint: string; staleMs: number }, ctx: SectionContext) {
  const used = new Map<number, string>();
  return (sig: SignalAt, e: PinEntry): PinSignal | undefined => {
    ctx.stray(e, sig.at, ['analog', 'scale', 'offset'], 'to a digital signal');
    if (e.pin === undefined) return void ctx.err(`${sig.at}.pin`, 'missing', opts.pinHint);
    const clash = used.get(e.pin);
    if (clash) ctx.err(`${sig.at}.pin`, `${driver} pin ${e.pin} is already used by ${clash}`, 'every signal needs its own pin');
    used.set(e.pin, sig.name);
    return {
      name: sig.name,
      direction: sig.direction,
      pin: e.pin,
      activeLow: e.activeLow ?? false,
      contact: e.contact ?? 'NO',
      debounceMs: e.debounceMs ?? 20,
      staleMs: e.staleMs ?? opts.staleMs,
    };
  };
}
