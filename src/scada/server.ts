// The SCADA Modbus TCP server on node:net: serves the register image of the last published scan,
// turns permitted command writes into controller requests, and bounds what any client can cost.
import { BlockList, createServer, isIP, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { ControllerPort } from '../io/controller-port.js';
import { serveConnection } from './conn.js';
import { trackConnections } from './connections.js';
import { keepStatusImage } from './image.js';
import type { AnswerFrame } from './mbap.js';
import { makeAnswer, newSession } from './session.js';
import { commandDesk } from './writes.js';

export interface ScadaServerOptions {
  readonly config: Config['scada'];
  readonly controller: ControllerPort;
  readonly uplinkIds: readonly string[];
  readonly logger: Logger;
  /** A frame once begun must complete within this, so a trickling client cannot hold a slot (default 5 s). */
  readonly frameTimeoutMs?: number;
  /** Node flags for reader processes (config.readerProcesses ≥ 1); default: this process's. Tests pass a TypeScript loader. */
  readonly readerExecArgv?: readonly string[];
}

export interface ScadaStats {
  connections: number;
  accepted: number;
  refused: number;
  requests: number;
  writeAttempts: number;
  writesDenied: number;
  commandsSubmitted: number;
  malformedClosed: number;
  timeoutClosed: number;
  imageBuilds: number;
}

export const newScadaStats = (): ScadaStats => ({
  connections: 0,
  accepted: 0,
  refused: 0,
  requests: 0,
  writeAttempts: 0,
  writesDenied: 0,
  commandsSubmitted: 0,
  malformedClosed: 0,
  timeoutClosed: 0,
  imageBuilds: 0,
});

export interface ScadaServer {
  readonly port: number;
  close(): Promise<void>;
  stats(): ScadaStats;
}

/** The allowlist; undefined when writes are disabled. */
export function allowList(cidrs: readonly string[]): BlockList | undefined {
  if (cidrs.length === 0) return undefined;
  const list = new BlockList();
  for (const c of cidrs) {
    const [addr = '', bits] = c.split('/');
    const family = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr, family);
    else list.addSubnet(addr, Number(bits), family);
  }
  return list;
}

/** IPv4-mapped IPv6 (a dual-stack bind) is checked and logged as the IPv4 address it is. */
export const clientIp = (s: Socket): string => (s.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

export async function startScadaServer(opts: ScadaServerOptions): Promise<ScadaServer> {
  // Reader processes share the port; everything below is the in-process server (the default).
  if (opts.config.readerProcesses > 0) return (await import('./readers.js')).startReaderServers(opts);
  const { config, controller } = opts;
  const log = opts.logger.child({ subsystem: 'scada' });
  const frameTimeoutMs = opts.frameTimeoutMs ?? 5000;
  const allow = allowList(config.writes.allow);
  const stats = newScadaStats();
  const status = keepStatusImage(controller, opts.uplinkIds, stats, log);
  const desk = commandDesk({ controller, selectTimeoutMs: config.selectTimeoutMs, log, counters: stats, status: status.image });
  const conns = trackConnections(config.idleTimeoutMs, frameTimeoutMs, (socket, why) => {
    stats.timeoutClosed++;
    log.debug({ client: clientIp(socket), ...why }, 'scada connection timed out');
  });

  function onConnection(accepted: Socket): void {
    const nowMs = conns.tick();
    const ip = clientIp(accepted);
    const origin = `scada:${ip}:${accepted.remotePort ?? 0}`;
    if (conns.size >= config.maxConnections) {
      stats.refused++;
      log.warn({ client: origin, max: config.maxConnections }, 'scada connection refused: too many connections');
      accepted.destroy();
      return;
    }
    const writesAllowed = allow?.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4') ?? false;
    const session = newSession(nowMs);
    stats.accepted++;
    log.debug({ client: origin, writesAllowed }, 'scada client connected');
    const answerPdu = makeAnswer(config.unitId, desk.contextFor(ip, origin, writesAllowed));
    const answer: AnswerFrame = (req, off, len, out, outOff) => {
      stats.requests++;
      status.refresh();
      return answerPdu(req, off, len, out, outOff);
    };
    const { socket } = serveConnection(accepted, conns.shared, {
      session,
      answer,
      onBadInput(reason) {
        stats.malformedClosed++;
        log.warn({ client: origin, reason }, 'scada connection closed: malformed frame');
      },
      onFault(err) {
        log.error({ client: origin, err }, 'scada connection closed: internal error answering it');
      },
    });
    socket.setNoDelay(true);
    conns.add(socket, session);
    socket.on('error', (err) => log.debug({ client: origin, err: err.message }, 'scada socket error'));
  }

  // pauseOnConnect: nothing is read until serveConnection takes the socket over.
  const server = createServer({ pauseOnConnect: true }, onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.bind, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((err: unknown) => {
    conns.stop();
    throw err;
  });
  server.on('error', (err) => log.error({ err }, 'scada server error'));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  log.info({ bind: config.bind, port, unitId: config.unitId, writes: allow ? config.writes.allow : 'disabled' }, 'scada listening');

  return {
    port,
    stats: () => ({ ...stats, connections: conns.size }),
    close: () =>
      new Promise<void>((resolve) => {
        conns.stop();
        conns.destroyAll();
        server.close(() => resolve());
      }),
  };
}
