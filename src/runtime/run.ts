// `twinfeed run`: wires config + board + scan loop + HTTP + SCADA, logs events, stops cleanly on
// SIGINT/SIGTERM without touching the outputs (contactors hold; a restart never opens a breaker).
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { ConfigInvalid } from '../config/errors.js';
import { EX_CONFIG, EX_OK, EX_OSERR, EX_SOFTWARE } from '../config/exit-codes.js';
import { configHash, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Status } from '../core/types.js';
import type { Board } from '../io/ports.js';
import { describeEvent } from './format.js';
import { startHttpServer } from './http.js';
import { incidents, knobList } from './dashboard/knobs.js';
import { knobReader } from './dashboard/knob-values.js';
import { journalEvent, journalStart, journalStop } from './journal/session.js';
import { openJournal, type Journal } from './journal/writer.js';
import { createMetrics } from './metrics.js';
import { openBoard } from './boards.js';
import { logBoardWarnings } from './board-warnings.js';
import { createNotifier } from './notify.js';
import { startPersistence } from './persist/start.js';
import { createScanLoop } from './scan.js';
import { withRuntimeInput } from '../io/with-input.js';
import { SPARKPLUG_FAULT_SIGNAL, STORAGE_FAULT_SIGNAL } from '../core/signals.js';
import { startSparkplug } from '../sparkplug/start.js';
import type { SimBoard } from './simboard.js';

/** The repo root (dist/src/runtime → up three), where boards/sim.yaml lives. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface RunOptions {
  readonly board: string | undefined;
  readonly config: string | undefined;
}

export function statusLine(s: Status): string {
  const t = s.timer.name === 'none' ? '' : ` timer=${s.timer.name}:${Math.ceil(s.timer.remainingMs / 1000)}s`;
  const ups = `${s.ups.chargePct ?? '?'}%${s.ups.onBattery ? ' ON BATTERY' : ''}`;
  return `── ${s.mode} | load on ${s.source} (${s.transfer}) | gen ${s.generator} | UPS ${ups} | PSU ${s.psu.ok}/${s.psu.ids.length} | uplink ${s.uplink.active}${t} | alarms: ${s.alarms.length ? s.alarms.join(',') : 'none'}`;
}

/** The journal under <stateDir>/journal/, or none without a stateDir. Never throws: a bad disk is STORAGE_FAULT. */
function startJournal(cfg: Config, logger: Logger, boardName: string, hash: string): Journal | undefined {
  const stateDir = cfg.runtime.stateDir;
  if (stateDir === null) {
    logger.info('runtime.stateDir not set: no journal is kept');
    return undefined;
  }
  const journal = openJournal({ dir: join(stateDir, 'journal'), limits: cfg.runtime.journal, logger: logger.child({ subsystem: 'journal' }) });
  journalStart(journal, { version: packageVersion(), pid: process.pid, board: boardName, node: process.version }, cfg, hash, Date.now());
  return journal;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export async function runController(opts: RunOptions): Promise<number> {
  // On a terminal the events and a status line are the display; the JSON log keeps only warnings.
  const tty = process.stdout.isTTY === true;
  const logger = pino({ base: { app: 'twinfeed' }, level: tty ? 'warn' : 'info' });
  // A stray promise rejection in a driver is a bug to log, not a reason to stop controlling: the
  // scan goes on. An uncaught exception leaves state unknown: exit, and systemd restarts us (bumpless).
  process.on('unhandledRejection', (err) => logger.error({ err: String(err) }, 'unhandled rejection (controller keeps running)'));
  process.once('uncaughtException', (err) => {
    logger.fatal({ err: err.stack ?? String(err) }, 'uncaught exception: exiting so the service manager restarts the controller');
    process.exit(EX_SOFTWARE);
  });
  let cfg: Config;
  let board: Board | SimBoard;
  const boardPath = opts.board ?? resolve(PACKAGE_ROOT, 'boards', 'sim.yaml');
  try {
    cfg = loadConfig(opts.config).config;
    board = await openBoard(boardPath, cfg, logger, Date.now());
    // Once at start, as check-config prints them: a relay energized from power-on is worth a log line.
    await logBoardWarnings(boardPath, logger.child({ subsystem: 'board' }));
  } catch (e) {
    if (!(e instanceof ConfigInvalid)) throw e;
    process.stderr.write(e.message + '\n');
    return EX_CONFIG;
  }
  const evLog = logger.child({ subsystem: 'events' });
  const hash = configHash(cfg);
  const journal = startJournal(cfg, logger, board.name, hash);
  // Remembered state is read before the first scan: the first output image already obeys it.
  const persistence = await startPersistence(cfg, logger, !('setKnobs' in board), journal);
  // SPARKPLUG_FAULT: configured but not started (a bad file), or the node reports a fault; set once it starts.
  let sparkplugFaulty = () => false;
  const storageFaulty = () => journal?.health().fault != null || persistence?.store.health().fault != null;
  let scanBoard = journal || persistence ? withRuntimeInput(board, STORAGE_FAULT_SIGNAL, storageFaulty) : board;
  if (cfg.sparkplug) scanBoard = withRuntimeInput(scanBoard, SPARKPLUG_FAULT_SIGNAL, () => sparkplugFaulty());
  const uplinkIds = cfg.uplinks.links.map((l) => l.id);
  let metrics: ReturnType<typeof createMetrics> | undefined;
  const loop = createScanLoop({
    config: cfg,
    configHash: hash,
    board: scanBoard,
    ...(persistence ? { restore: (fresh, nowMs) => persistence.keeper.restore(fresh, nowMs), onState: (st) => persistence.keeper.observe(st) } : {}),
    onScan(events, pub, scanMs) {
      metrics?.observeScan(scanMs);
      for (const e of events) {
        if (tty) process.stdout.write(`${new Date(pub.atMs).toISOString().slice(11, 23)}  ${describeEvent(e)}\n`);
        else evLog.info(e, e.type);
        // Only a push into the journal's queue: the scan never waits for the disk.
        if (journal) journalEvent(journal, e, pub.atMs);
      }
    },
  });
  persistence?.report();
  metrics = createMetrics(loop.latest, uplinkIds, board.stats ? () => board.stats?.() ?? {} : undefined, journal ? () => journal.health() : undefined);
  loop.start();
  // An input edge between scans (a contact opening) is seen at once rather than at the next period.
  const unwatch = board.onInputChange?.(() => loop.scanNow());
  const closers: (() => Promise<void>)[] = [];
  // Sparkplug B (if configured): its NDEATH goes out first on a stop, before anything else closes.
  const sparkplug = await startSparkplug(cfg, loop, logger);
  sparkplugFaulty = () => sparkplug === undefined || sparkplug.fault() !== null;
  if (sparkplug) closers.push(() => sparkplug.stop());
  try {
    if (cfg.http.enabled) {
      const sim = 'setKnobs' in board ? (board as SimBoard) : undefined;
      const http: Server = await startHttpServer({
        config: cfg.http,
        controller: loop,
        metrics,
        logger,
        scanPeriodMs: cfg.runtime.scanPeriodMs,
        uplinkIds,
        feedRoles: { A: cfg.power.feeds.A.role, B: cfg.power.feeds.B.role },
        ...(sim ? { knobs: knobList(cfg), incidents: incidents(cfg), knobValues: knobReader(sim.cabinet, knobList(cfg)) } : {}),
        ...(sim
          ? {
              setKnobs: (k: Record<string, unknown>) => {
                const err = sim.setKnobs(k);
                if (!err) loop.scanNow();
                return err;
              },
            }
          : {}),
      });
      closers.push(() => new Promise((r) => http.close(() => r())));
      logger.info({ bind: cfg.http.bind, port: cfg.http.port }, 'HTTP listening');
    }
    if (cfg.scada.enabled) {
      const { startScadaServer } = await import('../scada/server.js');
      const scada = await startScadaServer({ config: cfg.scada, controller: loop, uplinkIds, logger });
      closers.push(() => scada.close());
      logger.info({ bind: cfg.scada.bind, port: scada.port }, 'Modbus TCP listening');
    }
  } catch (e) {
    loop.stop();
    await sparkplug?.stop();
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(`twinfeed: cannot listen: ${err.message} (is another twinfeed running? change http.port / scada.port)\n`);
    await board.close();
    await persistence?.store.flush(2000);
    await journal?.close(2000);
    return EX_OSERR;
  }
  const notifier = createNotifier(process.env, () => loop.scans);
  notifier.ready();
  let statusTimer: NodeJS.Timeout | undefined;
  if (tty) {
    process.stdout.write(
      `twinfeed running on board ${board.name}: http://${cfg.http.bind}:${cfg.http.port}/status, Modbus TCP ${cfg.scada.bind}:${cfg.scada.port} — Ctrl-C stops\n`,
    );
    // A compact status line every 10 s, between the event lines, for the person at the laptop.
    statusTimer = setInterval(() => process.stdout.write(statusLine(loop.latest().status) + '\n'), 10_000);
    statusTimer.unref();
  }
  const signal = await new Promise<string>((done) => {
    const stop = (sig: string) => {
      logger.info({ signal: sig }, 'stopping');
      done(sig);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  unwatch?.();
  notifier.stop();
  if (statusTimer) clearInterval(statusTimer);
  loop.stop();
  for (const c of closers) await c();
  await board.close();
  // A dead disk must not hold the exit: what is not on disk after 2 s is given up.
  await persistence?.store.flush(2000);
  if (journal) journalStop(journal, { signal }, Date.now());
  await journal?.close(2000);
  return EX_OK;
}
