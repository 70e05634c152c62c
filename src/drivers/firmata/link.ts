// The link to a Firmata board: Firmata.js on a serialport 13 stream, johnny-five's Board on top,
// and the wait for its handshake. Loaded lazily (johnny-five only when a board file uses firmata).
import type { Logger } from 'pino';
import { errorText } from '../pins.js';

/** The IO-plugin surface johnny-five and this driver use (Firmata.js implements it). */
export interface FirmataIo {
  readonly MODES: { readonly INPUT: number; readonly OUTPUT: number; readonly ANALOG: number; readonly PULLUP?: number };
  readonly pins: ReadonlyArray<{ readonly supportedModes?: readonly number[] }>;
  isReady: boolean;
  pinMode(pin: number, mode: number): void;
  digitalRead(pin: number, callback: (value: number) => void): void;
  digitalWrite(pin: number, value: number): void;
  analogRead(channel: number, callback: (value: number) => void): void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  readonly transport?: { close?(callback?: (err?: Error | null) => void): void };
}

export interface J5Board {
  readonly io: FirmataIo;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
}

export interface JohnnyFive {
  readonly Board: new (options: { io: FirmataIo; repl: boolean; debug: boolean; sigint: boolean; timeout: number }) => J5Board;
}

/**
 * Firmata.js over a serialport 13 stream (an object: Firmata uses it as is). The stream is made
 * only after Firmata.js has loaded, in the same tick as Firmata attaches its listeners: a port
 * that opened in between would lose the board's version report and the 'open' event.
 */
export async function firmataOver(makeTransport: () => object): Promise<FirmataIo> {
  const { default: Firmata } = await import('firmata');
  return new Firmata(makeTransport()) as FirmataIo;
}

export async function defaultOpenIo(path: string, baudRate: number): Promise<FirmataIo> {
  const { SerialPort } = await import('serialport');
  return firmataOver(() => new SerialPort({ path, baudRate }));
}

export async function defaultLoadJohnnyFive(): Promise<JohnnyFive> {
  const mod: unknown = (await import('johnny-five')).default;
  if (typeof (mod as { Board?: unknown } | undefined)?.Board !== 'function') throw new Error('johnny-five: no Board export (wrong version?)');
  return mod as JohnnyFive;
}

function whenReady(board: J5Board, timeoutMs: number, path: string, log: Logger): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(new Error(`firmata: no answer from ${path} within ${timeoutMs} ms (is StandardFirmata flashed, at this baud rate?)`));
    }, timeoutMs);
    board.once('ready', () => {
      clearTimeout(timer);
      settled = true;
      resolve();
    });
    // Stays attached: johnny-five emits 'error' later too (its own connect timeout), and an
    // unhandled 'error' event would crash the controller.
    board.on('error', (err) => {
      if (settled) return void log.error({ err: errorText(err) }, 'firmata board error');
      clearTimeout(timer);
      settled = true;
      reject(new Error(`firmata: ${path}: ${errorText(err)}`));
    });
  });
}

export const closeIo = (io: FirmataIo): Promise<void> => new Promise((resolve) => (io.transport?.close ? io.transport.close(() => resolve()) : resolve()));

/** Opens the transport and waits for the board's handshake; a failed attempt releases the port. */
export async function connectFirmata(
  opts: { path: string; baudRate: number; readyTimeoutMs: number },
  five: JohnnyFive,
  openIo: (path: string, baudRate: number) => Promise<FirmataIo>,
  log: Logger,
): Promise<FirmataIo> {
  const io = await openIo(opts.path, opts.baudRate);
  // repl/sigint off: johnny-five would otherwise take over stdin and exit the process on Ctrl-C,
  // bypassing the runtime's orderly shutdown.
  const board = new five.Board({ io, repl: false, debug: false, sigint: false, timeout: opts.readyTimeoutMs });
  try {
    await whenReady(board, opts.readyTimeoutMs, opts.path, log);
  } catch (err) {
    await closeIo(io);
    throw err;
  }
  return io;
}
