// A fake modbus-serial client: a bus of slaves held in memory (registers, contacts, relays that
// follow coil writes), whose failures the test chooses.
import type { Logger } from 'pino';
import { afterEach, beforeEach, vi } from 'vitest';
import { openModbus, type ModbusClient } from '../../src/drivers/modbus/master.js';
import type { ModbusSection, ModbusSignal } from '../../src/drivers/board.js';
import type { DriverBoard } from '../../src/drivers/types.js';
import { quietLogger } from './fakes.js';

export interface FakeSlave {
  holding: number[];
  input: number[];
  coils: boolean[];
  discrete: boolean[];
  /** What the next requests get: an answer, or one of the failures seen on real lines. */
  mode: 'ok' | 'timeout' | 'crc' | 'portGone';
}

export const slave = (over: Partial<FakeSlave> = {}): FakeSlave => ({ holding: [], input: [], coils: [], discrete: [], mode: 'ok', ...over });

function timedOut(): Error {
  const e = new Error('Timed out');
  e.name = 'TransactionTimedOutError';
  return e;
}

export function fakeModbusBus(slaves: Record<number, FakeSlave>) {
  const log = { connects: 0, failConnects: 0, requests: [] as string[], closed: 0, connectedTo: [] as string[] };
  const createClient = (): ModbusClient => {
    let id = 1;
    let open = false;
    const answer = <T>(table: keyof Pick<FakeSlave, 'holding' | 'input' | 'coils' | 'discrete'>, addr: number, len: number, fill: T) => {
      log.requests.push(`${id}:${table}@${addr}+${len}`);
      const s = slaves[id];
      if (!open || s?.mode === 'portGone') return Promise.reject(new Error('Port Not Open'));
      if (!s || s.mode === 'timeout') return Promise.reject(timedOut());
      if (s.mode === 'crc') return Promise.reject(new Error('CRC error'));
      const data = Array.from({ length: len }, (_, i) => (s[table][addr + i] ?? fill) as T);
      return Promise.resolve({ data });
    };
    const write = (addr: number, states: boolean[]) => {
      log.requests.push(`${id}:write-coils@${addr}+${states.length}`);
      const s = slaves[id];
      if (!open || s?.mode === 'portGone') return Promise.reject(new Error('Port Not Open'));
      if (!s || s.mode === 'timeout') return Promise.reject(timedOut());
      if (s.mode === 'crc') return Promise.reject(new Error('CRC error'));
      // The relay follows the request as it goes out: what a test sees right after write().
      states.forEach((v, i) => (s.coils[addr + i] = v));
      return Promise.resolve({ address: addr, length: states.length });
    };
    const connect = async (where: string) => {
      log.connectedTo.push(where);
      if (log.failConnects > 0) {
        log.failConnects--;
        throw new Error(`Error: No such file or directory, cannot open ${where}`);
      }
      log.connects++;
      open = true;
    };
    return {
      connectRTUBuffered: (path) => connect(path),
      connectTCP: (host, o) => connect(`${host}:${o.port}`),
      setID: (n) => (id = n),
      setTimeout: () => {},
      readHoldingRegisters: (a, n) => answer('holding', a, n, 0),
      readInputRegisters: (a, n) => answer('input', a, n, 0),
      readCoils: (a, n) => answer('coils', a, n, false),
      readDiscreteInputs: (a, n) => answer('discrete', a, n, false),
      writeCoil: (a, v) => write(a, [v]),
      writeCoils: (a, vs) => write(a, vs),
      writeRegisters: (a, vs) => {
        log.requests.push(`${id}:write-registers@${a}=${vs.join(',')}`);
        const s = slaves[id];
        if (!open || s?.mode === 'portGone') return Promise.reject(new Error('Port Not Open'));
        if (!s || s.mode === 'timeout') return Promise.reject(timedOut());
        vs.forEach((v, i) => (s.holding[a + i] = v));
        return Promise.resolve({ address: a, length: vs.length });
      },
      close(cb) {
        open = false;
        log.closed++;
        cb();
      },
      destroy(cb) {
        open = false;
        log.closed++;
        cb();
      },
      get isOpen() {
        return open;
      },
    };
  };
  return { createClient, log };
}

/** A Modbus signal mapping with plain defaults (u16 holding register 0, scale 1); tests override what they need. */
export const modbusSignal = (over: Partial<ModbusSignal> = {}): ModbusSignal => ({
  name: 'feed.A.voltage',
  direction: 'in',
  kind: 'number',
  device: 'm',
  table: 'holding',
  register: 0,
  type: 'u16',
  bit: undefined,
  wordOrder: 'big',
  scale: 1,
  offset: 0,
  staleMs: 5000,
  ...over,
});

/**
 * Modbus boards for one test file: fake timers from 0 before each test, every board opened closed
 * after it. `open(bus)` opens `section` on a fake bus and lets its first poll start.
 */
export function modbusBoards(section: ModbusSection): (bus: ReturnType<typeof fakeModbusBus>, logger?: Logger) => Promise<DriverBoard> {
  let boards: DriverBoard[] = [];
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(async () => {
    const open = boards;
    boards = [];
    await Promise.all(open.map((b) => b.close()));
    vi.useRealTimers();
  });
  return async (bus, logger = quietLogger()) => {
    const pending = openModbus(section, { logger, createClient: bus.createClient, backoff: { minMs: 1000, maxMs: 8000 } });
    await vi.advanceTimersByTimeAsync(0);
    const board = await pending;
    boards.push(board);
    return board;
  };
}
