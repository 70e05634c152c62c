// Entry of a SCADA reader process (forked by readers.ts): accepts on the shared port, answers reads
// from the image the controller sends after each scan, and asks the controller for everything global.
import { createServer, isIP, type Socket } from 'node:net';
import { EX_FAILED, EX_OK } from '../config/exit-codes.js';
import { commandWord, SBO_IDLE, type SboState } from './commands.js';
import { newStatusImage } from './image.js';
import { isMessage, READER_SETTINGS_ENV, type FromReader, type ReaderSettings, type ToReader, type WriteAttempt } from './reader-ipc.js';
import { readerAnswer } from './reader-conn.js';
import { serveConnection, type Conn } from './conn.js';
import { trackConnections } from './connections.js';
import { allowList, clientIp } from './server.js';
import { newSession } from './session.js';
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
// One sweep for every connection, as in the in-process server: idle clients and trickled frames are closed.
const conns = trackConnections(config.idleTimeoutMs, frameTimeoutMs, (socket, why) => {
  counters.timeoutClosed++;
  send({ t: 'log', level: 'debug', msg: 'scada connection timed out', fields: { client: clientIp(socket), ...why } });
});
let nextId = 1;
const slotWaiters = new Map<number, (ok: boolean) => void>();
const writeWaiters = new Map<number, (code: number) => void>();

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
      conns.destroyAll();
      server.close(() => process.exit(EX_OK));
      break;
  }
});
// Without the controller there is no image to serve and no one to decide writes.
process.on('disconnect', () => process.exit(EX_OK));

const deps = {
  unitId: config.unitId,
  image,
  counters,
  commandWord: (ip: string, address: number) => commandWord(mirror.get(ip) ?? SBO_IDLE, address, Date.now(), config.selectTimeoutMs),
  forwardWrite(ip: string, origin: string, writesAllowed: boolean, attempt: WriteAttempt): Promise<number> {
    const id = nextId++;
    return new Promise<number>((resolve) => {
      writeWaiters.set(id, resolve);
      send({ t: 'write', id, ip, origin, writesAllowed, attempt });
    });
  },
};
const warn = (msg: string, fields: Record<string, unknown>): void => send({ t: 'log', level: 'warn', msg, fields });

function onConnection(accepted: Socket): void {
  conns.tick();
  const ip = clientIp(accepted);
  const origin = `scada:${ip}:${accepted.remotePort ?? 0}`;
  const onError = (err: Error): void => send({ t: 'log', level: 'debug', msg: 'scada socket error', fields: { client: origin, err: err.message } });
  accepted.on('error', onError);
  // The cap is global across readers, so the controller hands out the slots; the connection's
  // bytes wait in the kernel meanwhile (accepted with pauseOnConnect: nothing is read yet).
  const id = nextId++;
  slotWaiters.set(id, (ok) => {
    if (!ok) return void accepted.destroy();
    if (accepted.destroyed) return send({ t: 'release', id });
    const session = newSession(conns.shared.nowMs());
    const writesAllowed = allow?.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4') ?? false;
    const conn: Conn = serveConnection(accepted, conns.shared, {
      session,
      // A write waits for the controller; its answer is released into the connection in request order.
      answer: readerAnswer(
        ip,
        origin,
        writesAllowed,
        deps,
        (adu) => conn.release(adu),
        () => conn.socket.destroy(),
      ),
      onBadInput: (reason) => {
        counters.malformedClosed++;
        warn('scada connection closed: malformed frame', { client: origin, reason });
      },
      onFault: (err) =>
        send({ t: 'log', level: 'error', msg: 'scada connection closed: internal error answering it', fields: { client: origin, err: String(err) } }),
    });
    const { socket } = conn;
    socket.setNoDelay(true);
    socket.on('error', onError);
    conns.add(socket, session);
    socket.on('close', () => send({ t: 'release', id }));
  });
  send({ t: 'acquire', id, origin });
}

// Counters for the controller's stats(); cumulative, so a lost message costs nothing.
setInterval(() => send({ t: 'stats', ...counters }), 250).unref();

// pauseOnConnect: nothing is read until the connection has a slot and serveConnection takes it over.
const server = createServer({ pauseOnConnect: true }, onConnection);
server.once('error', (err) => {
  send({ t: 'failed', message: err.message });
  process.exit(EX_FAILED);
});
server.listen(config.port, config.bind, () => {
  const a = server.address();
  send({ t: 'listening', port: typeof a === 'object' && a !== null ? a.port : config.port });
});
