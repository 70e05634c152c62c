// The modbus-serial side of the master: the client surface we use (so tests can fake it), opening a
// bus (RS-485 or Modbus TCP), how a failed transaction is classified, and the real client factory.
import type { BusSpec } from './board.js';
import { isTcpBus } from './board.js';
import type { ReadBlock } from './decode.js';
import { errorText } from '../pins.js';

/** The part of modbus-serial's ModbusRTU this master uses; tests inject a fake. */
export interface ModbusClient {
  connectRTUBuffered(path: string, options: { baudRate: number; parity: 'none' | 'even' | 'odd'; dataBits: number; stopBits: number }): Promise<void>;
  connectTCP(host: string, options: { port: number; timeout: number }): Promise<void>;
  setID(id: number): void;
  setTimeout(durationMs: number): void;
  readHoldingRegisters(address: number, length: number): Promise<{ data: number[] }>;
  readInputRegisters(address: number, length: number): Promise<{ data: number[] }>;
  readCoils(address: number, length: number): Promise<{ data: boolean[] }>;
  readDiscreteInputs(address: number, length: number): Promise<{ data: boolean[] }>;
  writeCoil(address: number, state: boolean): Promise<unknown>;
  writeCoils(address: number, states: boolean[]): Promise<unknown>;
  /** FC16: a command register and its complement, written together. */
  writeRegisters(address: number, values: number[]): Promise<unknown>;
  close(callback: () => void): void;
  /** Drops the connection at once and fails what is pending (a TCP socket to a dead peer). */
  destroy(callback: () => void): void;
  readonly isOpen: boolean;
}

export type ModbusClientFactory = () => ModbusClient;

export type ErrorKind = 'timeout' | 'crc' | 'exception' | 'garbage' | 'port';

/** Sorts a failed transaction by cause, for counters and for deciding whether to reopen the port. */
export function classifyError(err: unknown): ErrorKind {
  const text = `${(err as { name?: string } | undefined)?.name ?? ''} ${errorText(err)}`;
  if (/timed ?out/i.test(text)) return 'timeout';
  if (/crc/i.test(text)) return 'crc';
  if (/modbus exception/i.test(text)) return 'exception';
  if (/not open|closed|EIO|ENXIO|ENOENT|EBADF|disconnect|ECONNRESET|EPIPE/i.test(text)) return 'port';
  return 'garbage';
}

/** Where a bus is, for messages: the serial device or host:port. */
export const busAddress = (bus: BusSpec): string => (isTcpBus(bus) ? `${bus.host}:${bus.port}` : bus.path);

export function connectBus(c: ModbusClient, bus: BusSpec): Promise<void> {
  if (isTcpBus(bus)) return c.connectTCP(bus.host, { port: bus.port, timeout: bus.connectTimeoutMs });
  return c.connectRTUBuffered(bus.path, { baudRate: bus.baudRate, parity: bus.parity, dataBits: bus.dataBits, stopBits: bus.stopBits });
}

export function readBlock(client: ModbusClient, b: ReadBlock): Promise<{ data: (number | boolean)[] }> {
  switch (b.table) {
    case 'holding':
      return client.readHoldingRegisters(b.start, b.count);
    case 'input':
      return client.readInputRegisters(b.start, b.count);
    case 'coil':
      return client.readCoils(b.start, b.count);
    case 'discrete':
      return client.readDiscreteInputs(b.start, b.count);
  }
}

/**
 * Closes a client. A TCP socket is destroyed (a dead peer never confirms a FIN); a serial port is
 * closed, and one that never confirms (a yanked adapter) is given up on after a second.
 */
export function closeClient(c: ModbusClient, bus: BusSpec): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 1000);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    try {
      if (isTcpBus(bus)) c.destroy(done);
      else if (c.isOpen) c.close(done);
      else done();
    } catch {
      done();
    }
  });
}

export async function defaultFactory(): Promise<ModbusClientFactory> {
  // modbus-serial is CommonJS whose typings claim an ES default export; at run time the default
  // import is module.exports itself, the ModbusRTU constructor. Accept either shape.
  const mod = (await import('modbus-serial')) as { default?: unknown };
  const outer = mod.default as { default?: unknown } | undefined;
  const ctor = typeof outer === 'function' ? outer : outer?.default;
  if (typeof ctor !== 'function') throw new Error('modbus-serial: no ModbusRTU constructor (wrong version?)');
  const ModbusRTU = ctor as new () => ModbusClient & { on(event: 'error', listener: (e: unknown) => void): unknown };
  return () => {
    const c = new ModbusRTU();
    // A port error also fails the transaction in flight, which is where it is counted; an
    // 'error' event nobody listens to would end the process instead.
    c.on('error', () => {});
    return c;
  };
}
