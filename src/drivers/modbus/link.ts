// One bus (an RS-485 line or a Modbus TCP connection) driven by one loop: connect with backoff, poll
// each device on its period, and write due coils between polls — at once when the bus is idle. One
// transaction at a time, as a serial line and most gateways require; trouble is counted, never thrown.
import type { Logger } from 'pino';
import type { SignalName } from '../../core/types.js';
import { errorText, UNWRITTEN } from '../pins.js';
import type { BusSpec, DeviceSpec, ModbusSignal } from './board.js';
import { busAddress, classifyError, closeClient, connectBus, readBlock, type ErrorKind, type ModbusClient, type ModbusClientFactory } from './client.js';
import { decodeSignal, type ReadBlock } from './decode.js';
import { serialExecutor } from './executor.js';
import { dueCommands, dueRuns, type OutputImage } from './outputs.js';

export const COUNTERS = [
  'requests',
  'responses',
  'timeout',
  'crc',
  'exception',
  'garbage',
  'port',
  'reconnects',
  'badValues',
  'writes',
  'writeFailures',
] as const;
export type Counters = Record<(typeof COUNTERS)[number], number>;
/** This many failed transactions in a row on one bus (no answer from anyone) reopen the port. */
const REOPEN_AFTER_FAILURES = 10;

export interface DeviceState {
  readonly id: string;
  readonly spec: DeviceSpec;
  readonly blocks: readonly ReadBlock[];
  readonly coils: readonly ModbusSignal[];
  dueMs: number;
  commOk: boolean | undefined;
  writeOk: boolean | undefined;
}

export interface LinkContext {
  readonly log: Logger;
  readonly clock: () => number;
  readonly backoff: { readonly minMs: number; readonly maxMs: number };
  readonly createClient: ModbusClientFactory;
  readonly counters: Counters;
  readonly values: Map<SignalName, { value: boolean | number; atMs: number }>;
  readonly image: OutputImage;
  readonly sleep: (ms: number) => Promise<void>;
  readonly closed: () => boolean;
}

export interface BusLink {
  /** Ends when the driver closes. */
  readonly done: Promise<void>;
  /** Writes the coils that are due now: at once if the bus is idle, else right after the transaction in flight. */
  kick(): void;
}

export function startBusLink(busId: string, bus: BusSpec, devices: readonly DeviceState[], ctx: LinkContext, firstRound: () => void): BusLink {
  const { log, counters, clock, backoff } = ctx;
  const exec = serialExecutor();
  const polled = devices.filter((d) => d.blocks.length > 0);
  const writers = devices.filter((d) => d.coils.length > 0);
  let client: ModbusClient | undefined;
  let failuresInRow = 0;
  let reopen = false;
  let flushQueued = false;

  const failed = (err: unknown): ErrorKind => {
    const kind = classifyError(err);
    counters[kind]++;
    failuresInRow++;
    if (kind === 'port') reopen = true;
    return kind;
  };

  const pollDevice = async (c: ModbusClient, d: DeviceState): Promise<void> => {
    c.setID(d.spec.unitId);
    c.setTimeout(d.spec.timeoutMs);
    for (const b of d.blocks) {
      counters.requests++;
      try {
        const { data } = await readBlock(c, b);
        counters.responses++;
        const atMs = clock();
        for (const sig of b.signals) {
          const v = decodeSignal(sig, b, data);
          if (v === undefined) counters.badValues++;
          else ctx.values.set(sig.name, { value: v, atMs });
        }
      } catch (err) {
        const kind = failed(err);
        if (d.commOk !== false)
          log.warn({ device: d.id, unitId: d.spec.unitId, kind, err: errorText(err) }, 'modbus device not answering: its values go stale');
        d.commOk = false;
        return;
      }
    }
    if (d.commOk === false) log.info({ device: d.id }, 'modbus device answering again');
    d.commOk = true;
    failuresInRow = 0;
  };

  const writeDevice = async (c: ModbusClient, d: DeviceState): Promise<void> => {
    const nowMs = clock();
    const runs = dueRuns(
      d.coils.filter((s) => !s.command),
      ctx.image,
      nowMs,
      d.spec.refreshMs,
    );
    const commands = dueCommands(
      d.coils.filter((s) => s.command),
      ctx.image,
    );
    if (runs.length === 0 && commands.length === 0) return;
    c.setID(d.spec.unitId);
    c.setTimeout(d.spec.timeoutMs);
    for (const run of runs) {
      counters.requests++;
      counters.writes++;
      try {
        await (run.values.length === 1 ? c.writeCoil(run.start, run.values[0] === true) : c.writeCoils(run.start, [...run.values]));
        counters.responses++;
        run.signals.forEach((s, i) => ctx.image.latches.set(s.name, { written: run.values[i], atMs: nowMs }));
      } catch (err) {
        counters.writeFailures++;
        const kind = failed(err);
        // Tried again on the next image: the core sees the breaker's position from feedback anyway.
        for (const s of run.signals) ctx.image.latches.set(s.name, UNWRITTEN);
        if (d.writeOk !== false)
          log.error({ device: d.id, unitId: d.spec.unitId, coils: run.signals.map((s) => s.name), kind, err: errorText(err) }, 'modbus coil write failed');
        d.writeOk = false;
        return;
      }
    }
    for (const w of commands) {
      counters.requests++;
      counters.writes++;
      try {
        // Key and complement in ONE FC16: the controller acts only on the pair.
        await c.writeRegisters(w.signal.register, [...w.words]);
        counters.responses++;
        ctx.image.latches.set(w.signal.name, { written: w.on, atMs: nowMs });
      } catch (err) {
        counters.writeFailures++;
        const kind = failed(err);
        // Not latched: the next image tries the same command again (the existing write-retry rule).
        if (d.writeOk !== false)
          log.error({ device: d.id, unitId: d.spec.unitId, command: w.signal.name, key: w.words[0], kind, err: errorText(err) }, 'modbus command write failed');
        d.writeOk = false;
        return;
      }
    }
    failuresInRow = 0;
    if (d.writeOk === false) log.info({ device: d.id }, 'modbus coil writes work again');
    d.writeOk = true;
  };

  const kick = () => {
    if (!client || flushQueued || ctx.closed() || writers.length === 0) return;
    flushQueued = true;
    void exec(async () => {
      flushQueued = false;
      const c = client;
      if (!c) return;
      for (const d of writers) await writeDevice(c, d);
    });
  };

  // A bus that stays down is logged once per spell (and again if the reason changes), not at every
  // retry: a day of a dead bus would otherwise be ~2 900 lines at the 30 s backoff ceiling.
  let failedOpens = 0;
  let lastOpenError = '';
  const connect = async (): Promise<ModbusClient | undefined> => {
    const c = ctx.createClient();
    try {
      await connectBus(c, bus);
    } catch (err) {
      const text = errorText(err);
      failedOpens++;
      if (failedOpens === 1 || text !== lastOpenError)
        log.warn({ bus: busId, at: busAddress(bus), err: text }, 'modbus bus cannot be opened: retrying with backoff (logged again when it opens)');
      lastOpenError = text;
      await closeClient(c, bus);
      return undefined;
    }
    client = c;
    log.info({ bus: busId, at: busAddress(bus), ...(failedOpens > 0 ? { failedOpens } : {}) }, 'modbus bus open');
    failedOpens = 0;
    lastOpenError = '';
    // A restarted I/O module may have dropped its relays: write the whole image again at once.
    // A command is an action, not a level: it is not sent again merely because the link came back.
    for (const d of writers) for (const s of d.coils) if (!s.command) ctx.image.latches.set(s.name, UNWRITTEN);
    kick();
    return c;
  };

  const run = async () => {
    let delayMs = backoff.minMs;
    let rounds = 0;
    while (!ctx.closed()) {
      if (!client) {
        client = await connect();
        if (!client) {
          firstRound();
          await ctx.sleep(delayMs);
          delayMs = Math.min(delayMs * 2, backoff.maxMs);
          continue;
        }
        delayMs = backoff.minMs;
        if (polled.length === 0) firstRound();
      }
      if (reopen || failuresInRow >= REOPEN_AFTER_FAILURES) {
        // A vanished USB adapter, a dropped TCP connection or a wedged port: start afresh.
        counters.reconnects++;
        [reopen, failuresInRow] = [false, 0];
        const old = client;
        client = undefined;
        await exec(() => closeClient(old, bus));
        await ctx.sleep(delayMs);
        delayMs = Math.min(delayMs * 2, backoff.maxMs);
        continue;
      }
      if (polled.length === 0) {
        await ctx.sleep(backoff.minMs);
        continue;
      }
      const next = polled.reduce((a, b) => (b.dueMs < a.dueMs ? b : a));
      const waitMs = next.dueMs - clock();
      if (waitMs > 0) {
        await ctx.sleep(waitMs);
        continue;
      }
      const current = client;
      await exec(() => pollDevice(current, next));
      next.dueMs = Math.max(next.dueMs + next.spec.pollMs, clock());
      if (++rounds === polled.length) firstRound();
    }
    const last = client;
    client = undefined;
    if (last) await exec(() => closeClient(last, bus));
  };
  return { done: run(), kick };
}
