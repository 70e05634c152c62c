// Entry of a SCADA reader process (forked by readers.ts): accepts on the shared port, answers reads
// from the image the controller sends after each scan, and asks the controller for everything global.
import { createServer, isIP, type Socket } from 'node:net';
import { commandWord, SBO_IDLE, type SboState } from './commands.js';
import { newStatusImage } from './image.js';
import { isMessage, READER_SETTINGS_ENV, type FromReader, type ReaderSettings, type ToReader, type WriteAttempt } from './reader-ipc.js';
import { serveReaderConnection } from './reader-conn.js';
import { allowList, clientIp } from './server.js';
import { newSession, sweepPeriodMs, timedOut, type Session } from './session.js';
import { MAX_CLIENT_STATES } from './writes.js';

const settings = JSON.parse(process.env[READER_SETTINGS_ENV] ?? '{}') as ReaderSettings;
const { config, frameTimeoutMs } = settings;
const send = (m: FromReader): void => {
  if (process.connected) process.send?.(m);
};
const allow = allowList(config.writes.allow);
const image = newStatusImage();
const mirror = new Map<string, SboState>();
const counters = { requests: 0, malformedClosed: 0, timeoutClosed: 0 };
const conns = new Set<{ socket: Socket; session: Session }>();
let nextId = 1;
const slotWaiters = new Map<number, (ok: boolean) => void>();
const writeWaiters = new Map<number, (code: number) => void>();
let coarseNowMs = Date.now();

process.on('message', (m: unknown) => {
  if (!isMessage<ToReader>(m)) return;
  switch (m.t) {
    case 'image':
      image.set(m.image.subarray(0, image.length));
      break;
    case 'sbo':
      mirror.delete(m.ip); // same least-recently-used bound as the controller's table
      mirror.set(m.ip, m.state);
      if (mirror.size > MAX_CLIENT_STATES) mirror.delete(mirror.keys().next().value ?? '');
      break;
    case 'slot':
      slotWaiters.get(m.id)?.(m.ok);
      slotWaiters.delete(m.id);
      break;
    case 'wrote':
      writeWaiters.get(m.id)?.(m.code);
      writeWaiters.delete(m.id);
      break;
    case 'stop':
      for (const { socket } of conns) socket.destroy();
      server.close(() => process.exit(0));
      break;
  }
});
// Without the controller there is no image to serve and no one to decide writes.
process.on('disconnect', () => process.exit(0));

const scratch = Buffer.alloc(64 * 1024);
const deps = {
  unitId: config.unitId,
  image,
  scratch,
  counters,
  coarseNowMs: () => coarseNowMs,
  commandWord: (ip: string, address: number) => commandWord(mirror.get(ip) ?? SBO_IDLE, address, Date.now(), config.selectTimeoutMs),
  forwardWrite(ip: string, origin: string, writesAllowed: boolean, attempt: WriteAttempt): Promise<number> {
    const id = nextId++;
    return new Promise<number>((resolve) => {
      writeWaiters.set(id, resolve);
      send({ t: 'write', id, ip, origin, writesAllowed, attempt });
    });
  },
  warn: (msg: string, fields: Record<string, unknown>) => send({ t: 'log', level: 'warn', msg, fields }),
};

function onConnection(socket: Socket): void {
  coarseNowMs = Date.now();
  const ip = clientIp(socket);
  const origin = `scada:${ip}:${socket.remotePort ?? 0}`;
  socket.on('error', (err) => send({ t: 'log', level: 'debug', msg: 'scada socket error', fields: { client: origin, err: err.message } }));
  // The cap is global across readers, so the controller hands out the slots; the connection's
  // bytes wait in the socket meanwhile (no 'data' listener yet).
  const id = nextId++;
  slotWaiters.set(id, (ok) => {
    if (!ok) return void socket.destroy();
    if (socket.destroyed) return send({ t: 'release', id });
    socket.setNoDelay(true);
    const conn = { socket, session: newSession(coarseNowMs) };
    conns.add(conn);
    socket.on('close', () => {
      conns.delete(conn);
      send({ t: 'release', id });
    });
    const writesAllowed = allow?.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4') ?? false;
    serveReaderConnection(socket, conn.session, ip, origin, writesAllowed, deps);
  });
  send({ t: 'acquire', id, origin });
}

// One sweep for every connection, as in the in-process server: idle clients and trickled frames are closed.
setInterval(() => {
  coarseNowMs = Date.now();
  for (const { socket, session } of conns) {
    const why = timedOut(session, coarseNowMs, config.idleTimeoutMs, frameTimeoutMs);
    if (!why) continue;
    counters.timeoutClosed++;
    send({ t: 'log', level: 'debug', msg: 'scada connection timed out', fields: { client: clientIp(socket), ...why } });
    socket.destroy();
  }
}, sweepPeriodMs(config.idleTimeoutMs, frameTimeoutMs)).unref();
// Counters for the controller's stats(); cumulative, so a lost message costs nothing.
setInterval(() => send({ t: 'stats', ...counters }), 250).unref();

const server = createServer(onConnection);
server.once('error', (err) => {
  send({ t: 'failed', message: err.message });
  process.exit(1);
});
server.listen(config.port, config.bind, () => {
  const a = server.address();
  send({ t: 'listening', port: typeof a === 'object' && a !== null ? a.port : config.port });
});
