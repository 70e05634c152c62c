// Test doubles for the SCADA tests: a published snapshot, a fake ControllerPort (no vi.mock), a
// capturing pino logger and a minimal raw Modbus TCP client.
import { connect, createServer, type Socket } from 'node:net';
import { pino, type Logger } from 'pino';
import type { Config } from '../../src/config/schema.js';
import type { Command, Status } from '../../src/core/types.js';
import type { CommandOutcome, ControllerPort, Published } from '../../src/io/controller-port.js';

export const UPLINK_IDS = ['fiber', 'lte'];

export function sampleStatus(): Status {
  return {
    mode: 'auto',
    source: 'A',
    transfer: 'closed',
    generator: 'stopped',
    lockout: false,
    lockoutReason: null,
    alarms: [],
    alarmsUnacked: [],
    feeds: {
      A: { available: true, reason: 'ok', voltageV: 230.04, frequencyHz: 50.01 },
      B: { available: false, reason: 'undervoltage', voltageV: 0, frequencyHz: null },
    },
    breakers: { A: { commanded: true, closed: true }, B: { commanded: false, closed: false } },
    timer: { name: 'none', remainingMs: 0 },
    lastTransferReason: 'none',
    transferCount: 0,
    retransferPending: false,
    relayOperations: {},
    test: { active: false, onLoad: false, remainingMs: 0 },
    ups: { onBattery: false, lowBattery: false, fault: false, comm: true, chargePct: 100, runtimeS: 1200 },
    psu: { state: 'redundant', ok: 3, required: 2, okIds: ['1', '2', '3'], ids: ['1', '2', '3'] },
    genset: { controlMode: null, engineHours: null, starts: null, fuelPct: null, engineState: null },
    uplink: {
      active: 'fiber',
      manual: null,
      fiber: { up: true, reason: 'ok', lossPct: 0, latencyMs: 12, heldDown: false },
      lte: { up: true, reason: 'ok', lossPct: 33.4, latencyMs: 80, heldDown: false },
    },
  };
}

export function published(status: Status = sampleStatus(), over: Partial<Published> = {}): Published {
  return { status, scanSeq: 1, atMs: 0, uptimeS: 0, configHash: '0123456789abcdef'.repeat(4), ...over };
}

export interface FakeController extends ControllerPort {
  /** Commands submitted, with their origin. */
  readonly submitted: { command: Command; origin: string }[];
  /** Publishes a new scan (scanSeq + 1) with these changes. */
  publish(change: (p: Published) => Partial<Published>): void;
  verdict: (c: Command) => CommandOutcome;
}

export function fakeController(initial: Published = published()): FakeController {
  let current = initial;
  const fake: FakeController = {
    submitted: [],
    verdict: () => ({ accepted: true }),
    latest: () => current,
    async submit(command, origin) {
      fake.submitted.push({ command, origin });
      return fake.verdict(command);
    },
    publish(change) {
      current = { ...current, ...change(current), scanSeq: current.scanSeq + 1 };
    },
  };
  return fake;
}

/** A fake whose uptime (so the heartbeat) follows the wall clock, one scan per read. */
export function tickingController(): FakeController {
  const fake = fakeController();
  const t0 = Date.now();
  const latest = fake.latest;
  fake.latest = () => {
    const uptimeS = Math.floor((Date.now() - t0) / 1000);
    if (latest().uptimeS !== uptimeS) fake.publish(() => ({ uptimeS }));
    return latest();
  };
  return fake;
}

export function scadaConfig(over: Partial<Config['scada']> = {}): Config['scada'] {
  return {
    enabled: true,
    bind: '127.0.0.1',
    port: 0,
    unitId: 1,
    writes: { allow: [] },
    maxConnections: 8,
    idleTimeoutMs: 60_000,
    selectTimeoutMs: 10_000,
    readerProcesses: 0,
    ...over,
  };
}

export function captureLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { logger, lines };
}

export const silentLogger = (): Logger => pino({ level: 'silent' });

/** MBAP request frame. */
export function frame(tid: number, unit: number, pdu: number[]): Buffer {
  return Buffer.from([tid >> 8, tid & 0xff, 0, 0, (pdu.length + 1) >> 8, (pdu.length + 1) & 0xff, unit, ...pdu]);
}
export const readPdu = (fc: number, address: number, quantity: number): number[] => [fc, address >> 8, address & 0xff, quantity >> 8, quantity & 0xff];
export const write6Pdu = (address: number, value: number): number[] => [6, address >> 8, address & 0xff, value >> 8, value & 0xff];

/** A raw client: sends frames, collects whole response frames in order. */
export interface RawClient {
  socket: Socket;
  send(b: Buffer): void;
  /** Resolves with the next n response frames (rejects on close/timeout). */
  next(n?: number, timeoutMs?: number): Promise<Buffer[]>;
  closed: Promise<void>;
  close(): void;
}

export async function rawClient(port: number): Promise<RawClient> {
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise<void>((res, rej) => socket.once('connect', res).once('error', rej));
  let buf = Buffer.alloc(0);
  const frames: Buffer[] = [];
  let wake: (() => void) | undefined;
  let isClosed = false;
  socket.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 6 && buf.length >= 6 + buf.readUInt16BE(4)) {
      const n = 6 + buf.readUInt16BE(4);
      frames.push(buf.subarray(0, n));
      buf = buf.subarray(n);
    }
    wake?.();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((res) =>
    socket.on('close', () => {
      isClosed = true;
      wake?.();
      res();
    }),
  );
  return {
    socket,
    closed,
    send: (b) => void socket.write(b),
    close: () => void socket.destroy(),
    async next(n = 1, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (frames.length < n) {
        if (isClosed) throw new Error(`connection closed after ${frames.length}/${n} frames`);
        if (Date.now() > deadline) throw new Error(`timeout after ${frames.length}/${n} frames`);
        await new Promise<void>((res) => {
          wake = res;
          setTimeout(res, 50);
        });
      }
      return frames.splice(0, n);
    },
  };
}

/** A free port on 127.0.0.1: reader processes get one explicitly (with cluster, each listen(0) may differ). */
export async function freePort(): Promise<number> {
  const t = createServer();
  await new Promise<void>((r) => t.listen(0, '127.0.0.1', r));
  const a = t.address();
  await new Promise((r) => t.close(r));
  return typeof a === 'object' && a !== null ? a.port : 0;
}
