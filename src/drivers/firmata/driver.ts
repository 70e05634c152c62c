// An Arduino running StandardFirmata, through johnny-five: contacts in, relays out, analog
// channels. A lost USB link makes its inputs stale and is reopened with backoff; tests inject a fake io.
import type { Logger } from 'pino';
import type { Reading, SignalName } from '../../core/types.js';
import type { FirmataSection } from './board.js';
import { closeIo, connectFirmata, defaultLoadJohnnyFive, defaultOpenIo, type FirmataIo, type JohnnyFive } from './link.js';
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

export { firmataOver, type FirmataIo, type JohnnyFive } from './link.js';

export interface FirmataDeps {
  readonly logger: Logger;
  /** Opens the transport and returns an io; default: serialport 13 + Firmata.js. */
  readonly openIo?: (path: string, baudRate: number) => Promise<FirmataIo>;
  /** Loads johnny-five; default `await import('johnny-five')`. */
  readonly loadJohnnyFive?: () => Promise<JohnnyFive>;
  /** Timestamps reports that arrive between scans; must be the clock the runtime passes as nowMs. */
  readonly clock?: () => number;
  /** Reconnect backoff after a lost link: doubles from minMs up to maxMs. */
  readonly backoff?: { readonly minMs: number; readonly maxMs: number };
}

/** Analog reports arrive every ~20 ms; none for this long means the board stopped talking. */
const ANALOG_STALE_MS = 2000;

export async function openFirmata(section: FirmataSection, deps: FirmataDeps): Promise<DriverBoard> {
  const log = deps.logger.child({ driver: 'firmata', path: section.path });
  const clock = deps.clock ?? Date.now;
  const backoff = deps.backoff ?? { minMs: 1000, maxMs: 30_000 };
  const five = await (deps.loadJohnnyFive ?? defaultLoadJohnnyFive)();
  const openIo = deps.openIo ?? defaultOpenIo;
  const faults = faultTracker();
  const listeners = new Set<() => void>();
  const inputs = section.signals
    .filter((s) => s.direction === 'in')
    .map((sig) => ({ sig, raw: undefined as boolean | undefined, state: NEVER_SAMPLED as Debounced }));
  const outputs = section.signals.filter((s) => s.direction === 'out').map((sig) => ({ sig, latch: UNWRITTEN as Latch, moded: false }));
  const analog = section.analog.map((sig) => ({ sig, value: undefined as number | undefined, atMs: 0 }));
  /** The live link; undefined while it is down. */
  let io: FirmataIo | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let delayMs = backoff.minMs;
  let reconnects = 0;

  const attach = (link: FirmataIo) => {
    // The Uno resets when its port opens: forget what it had, and set every output again.
    for (const p of inputs) [p.raw, p.state] = [undefined, NEVER_SAMPLED];
    for (const a of analog) a.value = undefined;
    for (const o of outputs) [o.latch, o.moded] = [UNWRITTEN, false];
    for (const p of inputs) {
      // An active-low contact closes to ground: the AVR's internal pull-up holds the open level.
      const pullup = p.sig.activeLow && link.MODES.PULLUP !== undefined;
      link.pinMode(p.sig.pin, pullup ? (link.MODES.PULLUP as number) : link.MODES.INPUT);
      link.digitalRead(p.sig.pin, (value) => {
        if (io !== link) return; // a report from a link we gave up on
        p.raw = logicalInput(value !== 0, p.sig);
        p.state = sample(p.state, p.raw, clock());
        for (const l of listeners) l();
      });
    }
    for (const a of analog) {
      link.pinMode(a.sig.analog, link.MODES.ANALOG);
      link.analogRead(a.sig.analog, (value) => {
        if (io !== link) return;
        a.value = value * a.sig.scale + a.sig.offset;
        a.atMs = clock();
      });
    }
    const lost = (why: string) => () => {
      if (io !== link) return;
      io = undefined;
      log.error({ why, retryMs: delayMs }, 'firmata board lost: its inputs read as stale until it is back');
      void closeIo(link);
      reconnectLater();
    };
    for (const ev of ['close', 'disconnect', 'error']) link.on(ev, lost(ev));
    io = link;
  };

  const reconnectLater = () => {
    if (closed) return;
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the body catches its own errors
    retry = setTimeout(async () => {
      try {
        const link = await connectFirmata(section, five, openIo, log);
        if (closed) return void (await closeIo(link));
        attach(link);
        reconnects++;
        delayMs = backoff.minMs;
        log.info('firmata board back');
      } catch (err) {
        delayMs = Math.min(delayMs * 2, backoff.maxMs);
        log.warn({ err: errorText(err), retryMs: delayMs }, 'firmata board still unreachable');
        reconnectLater();
      }
    }, delayMs);
  };

  attach(await connectFirmata(section, five, openIo, log));
  log.info({ inputs: inputs.length, outputs: outputs.length, analog: analog.length }, 'firmata board ready');

  const writeOne = (link: FirmataIo, o: (typeof outputs)[number], on: boolean, nowMs: number) => {
    try {
      // Output mode is set on the first image only, so the pin stays an input until then (bumpless).
      if (!o.moded) link.pinMode(o.sig.pin, link.MODES.OUTPUT);
      o.moded = true;
      link.digitalWrite(o.sig.pin, outputLevel(on, o.sig.activeLow));
      o.latch = { written: on, atMs: nowMs };
      if (faults.ok(o.sig.name)) log.info({ signal: o.sig.name }, 'firmata output writable again');
    } catch (err) {
      o.latch = UNWRITTEN;
      if (faults.fail(o.sig.name, err)) log.error({ signal: o.sig.name, err: errorText(err) }, 'firmata output write failed');
    }
  };

  return {
    name: 'firmata',
    inputs: [...inputs.map((p) => p.sig.name), ...analog.map((a) => a.sig.name)],
    outputs: outputs.map((o) => o.sig.name),
    read(nowMs) {
      const out = new Map<SignalName, Reading>();
      for (const p of inputs) {
        // Firmata reports digital pins on change only: while the link is up, silence confirms the level.
        if (io && p.raw !== undefined) p.state = sample(p.state, p.raw, nowMs);
        p.state = settle(p.state, nowMs, p.sig.debounceMs);
        out.set(p.sig.name, io ? pinReading(p.state, nowMs, p.sig.staleMs) : { value: undefined, reason: 'stale' });
      }
      for (const a of analog) {
        const ageMs = Math.max(0, nowMs - a.atMs);
        const fresh = io !== undefined && a.value !== undefined && ageMs <= ANALOG_STALE_MS;
        out.set(a.sig.name, fresh ? { value: a.value as number, ageMs } : { value: undefined, reason: 'stale' });
      }
      return out;
    },
    write(image, nowMs) {
      const link = io;
      if (!link) return;
      for (const o of outputs) {
        const on = image.get(o.sig.name);
        if (on !== undefined && needsWrite(o.latch, on, nowMs, section.refreshMs)) writeOne(link, o, on, nowMs);
      }
    },
    onInputChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats: () => ({ firmataErrors: faults.count, firmataConnected: io ? 1 : 0, firmataReconnects: reconnects }),
    async close() {
      closed = true;
      clearTimeout(retry);
      listeners.clear();
      const link = io;
      io = undefined;
      if (link) await closeIo(link);
    },
  };
}
