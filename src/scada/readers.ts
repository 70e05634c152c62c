// The controller's side of the SCADA reader processes (scada.readerProcesses ≥ 1): forks them on the
// shared port, feeds them each scan's image, and keeps what must be global (SBO, writes, the cap).
import cluster, { type Worker } from 'node:cluster';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keepStatusImage } from './image.js';
import { isMessage, READER_SETTINGS_ENV, type FromReader, type ReaderSettings, type ToReader } from './reader-ipc.js';
import { newScadaStats, type ScadaServer, type ScadaServerOptions } from './server.js';
import { commandDesk } from './writes.js';

/** How often the image is checked for a new scan when the port has no onEvents to say so (test fakes). */
const IMAGE_POLL_MS = 10;
/** A reader that dies sooner than this after its start is replaced only after this delay (no fork storm). */
const RESPAWN_BACKOFF_MS = 1000;

interface Reader {
  readonly worker: Worker;
  readonly startedMs: number;
  readonly slots: Set<number>;
  counters: { requests: number; malformedClosed: number; timeoutClosed: number };
}

export async function startReaderServers(opts: ScadaServerOptions): Promise<ScadaServer> {
  const { config, controller } = opts;
  const log = opts.logger.child({ subsystem: 'scada' });
  const stats = newScadaStats();
  const retired = { requests: 0, malformedClosed: 0, timeoutClosed: 0 };
  const readers = new Map<Worker, Reader>();
  const status = keepStatusImage(controller, opts.uplinkIds, stats, log);
  const { image } = status;
  let slotsInUse = 0;
  let closing = false;
  const broadcast = (m: ToReader): void => {
    for (const r of readers.values()) if (r.worker.isConnected()) r.worker.send(m);
  };
  const desk = commandDesk({
    controller,
    selectTimeoutMs: config.selectTimeoutMs,
    log,
    counters: stats,
    status: image,
    onChange: (ip, state) => broadcast({ t: 'sbo', ip, state }),
  });

  /** Encodes and sends the image once per published scan (never more often). */
  function refreshImage(): void {
    if (status.refresh()) broadcast({ t: 'image', seq: status.seq() ?? 0, image });
  }

  const settings: ReaderSettings = { config, frameTimeoutMs: opts.frameTimeoutMs ?? 5000 };
  // Readers run this file's sibling, as .ts under a TypeScript loader (tests) or .js when built.
  const exec = fileURLToPath(new URL(`./reader${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
  // Each reader accepts on the listening socket itself: the kernel spreads connections (SCHED_NONE)
  // instead of the primary accepting and passing every one on (round robin would cost us the gain).
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  cluster.setupPrimary({ exec, args: [], execArgv: [...(opts.readerExecArgv ?? process.execArgv)], serialization: 'advanced' });

  let onListening: ((port: number) => void) | undefined;
  let onFailed: ((why: string) => void) | undefined;

  function onMessage(r: Reader, m: FromReader): void {
    switch (m.t) {
      case 'listening':
        // A (re)started reader gets the state it missed: the image and every client's SBO state.
        r.worker.send({ t: 'image', seq: status.seq() ?? 0, image } satisfies ToReader);
        for (const s of desk.states()) r.worker.send({ t: 'sbo', ip: s.ip, state: s.state } satisfies ToReader);
        onListening?.(m.port);
        break;
      case 'failed':
        onFailed?.(m.message);
        break;
      case 'acquire': {
        const ok = !closing && slotsInUse < config.maxConnections;
        if (ok) {
          slotsInUse++;
          r.slots.add(m.id);
          stats.accepted++;
          log.debug({ client: m.origin, reader: r.worker.process.pid }, 'scada client connected');
        } else {
          stats.refused++;
          log.warn({ client: m.origin, max: config.maxConnections }, 'scada connection refused: too many connections');
        }
        r.worker.send({ t: 'slot', id: m.id, ok } satisfies ToReader);
        break;
      }
      case 'release':
        if (r.slots.delete(m.id)) slotsInUse--;
        break;
      case 'write': {
        // The same desk as in-process: SBO per client address across all readers, one log line per attempt.
        const ctx = desk.contextFor(m.ip, m.origin, m.writesAllowed);
        const a = m.attempt;
        let code = a.exception;
        if (code === 0 && a.write) code = ctx.write(a.write.address, a.write.value);
        ctx.writeAttempt(a.fc, a.address, a.values, code);
        r.worker.send({ t: 'wrote', id: m.id, code } satisfies ToReader);
        break;
      }
      case 'stats':
        r.counters = { requests: m.requests, malformedClosed: m.malformedClosed, timeoutClosed: m.timeoutClosed };
        break;
      case 'log':
        log[m.level]({ ...m.fields, reader: r.worker.process.pid }, m.msg);
        break;
    }
  }

  function fork(): Reader {
    const worker = cluster.fork({ [READER_SETTINGS_ENV]: JSON.stringify(settings) });
    const r: Reader = { worker, startedMs: Date.now(), slots: new Set(), counters: { requests: 0, malformedClosed: 0, timeoutClosed: 0 } };
    readers.set(worker, r);
    worker.on('message', (m: unknown) => {
      if (isMessage<FromReader>(m)) onMessage(r, m);
    });
    worker.on('error', (err) => log.debug({ err: err.message }, 'scada reader channel error'));
    worker.on('exit', (code, signal) => {
      readers.delete(worker);
      slotsInUse -= r.slots.size;
      for (const k of ['requests', 'malformedClosed', 'timeoutClosed'] as const) retired[k] += r.counters[k];
      if (closing) return;
      const lived = Date.now() - r.startedMs;
      log.error({ pid: worker.process.pid, code, signal, livedMs: lived }, 'scada reader process died; starting a replacement');
      setTimeout(
        () => {
          if (!closing) fork();
        },
        lived < RESPAWN_BACKOFF_MS ? RESPAWN_BACKOFF_MS : 0,
      ).unref();
    });
    return r;
  }

  refreshImage();
  // The scan loop calls its listeners after every scan; a port without onEvents is polled instead.
  const unsubscribe = controller.onEvents?.(() => refreshImage());
  const poll = unsubscribe ? undefined : setInterval(refreshImage, IMAGE_POLL_MS);
  poll?.unref();

  const n = config.readerProcesses;
  let port = config.port;
  try {
    await new Promise<void>((resolve, reject) => {
      let ready = 0;
      onListening = (p) => {
        if (ready++ === 0) port = p;
        if (ready === n) resolve();
      };
      onFailed = (why) => reject(new Error(why));
      for (let i = 0; i < n; i++) fork();
    });
  } catch (err) {
    await stopAll();
    throw err;
  } finally {
    onListening = undefined;
    onFailed = undefined;
  }
  log.info(
    { bind: config.bind, port, unitId: config.unitId, readers: n, writes: config.writes.allow.length > 0 ? config.writes.allow : 'disabled' },
    'scada listening',
  );

  async function stopAll(): Promise<void> {
    closing = true;
    clearInterval(poll);
    unsubscribe?.();
    const exits = [...readers.values()].map(
      ({ worker }) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          worker.once('exit', () => resolve());
          // A reader stuck in a close gets the hard way out.
          setTimeout(() => worker.process.kill('SIGKILL'), 3000).unref();
          if (worker.isConnected()) worker.send({ t: 'stop' } satisfies ToReader);
          else worker.process.kill('SIGTERM');
        }),
    );
    await Promise.all(exits);
  }

  return {
    port,
    stats() {
      const sum = { ...retired };
      for (const r of readers.values()) for (const k of ['requests', 'malformedClosed', 'timeoutClosed'] as const) sum[k] += r.counters[k];
      return { ...stats, ...sum, connections: slotsInUse };
    },
    close: stopAll,
  };
}
