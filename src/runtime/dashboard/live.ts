// The live feed of the dashboard: Server-Sent Events pushed from the scan's publish. One message per
// scan that changed something, serialized once into one Buffer after the scan (never inside it) and
// written as is to every client: the cost per publish does not grow with the JSON work of each page.
import type { ServerResponse } from 'node:http';
import type { ControllerEvent } from '../../core/types.js';
import type { ControllerPort } from '../../io/controller-port.js';

/** An event as the page shows it: the controller's event plus its wall time. */
export type TimedEvent = ControllerEvent & { t: number };

export interface LiveFeed {
  /** Takes over `res` as an event stream until the client goes away. */
  attach(res: ServerResponse): void;
  /** The last events, oldest first (the page's timeline on connect). */
  recent(): readonly TimedEvent[];
  readonly clients: number;
  /** Messages dropped so far because a client did not read them in time (oldest first). */
  readonly dropped: number;
  /** Ends every stream (the server is closing; the pages reconnect to the next controller). */
  stop(): void;
}

const RECENT_EVENTS = 100;
/** A comment line this often keeps proxies and the browser from timing an idle stream out. */
const KEEPALIVE_MS = 15_000;
const KEEPALIVE = Buffer.from(': keepalive\n\n');
/** The browser's reconnect delay after the stream ends (a controller restart). */
const RETRY_MS = 1000;
/**
 * Messages kept for a client whose socket is full (beyond the socket's own buffer): past this the
 * oldest is dropped, so a stalled page costs bounded memory. Each message carries the whole status,
 * so a page that catches up shows the present; only the dropped messages' events are missing there.
 */
export const MAX_QUEUED_MESSAGES = 8;

/** A stream and the messages waiting for its socket to drain. */
interface Client {
  readonly res: ServerResponse;
  readonly queue: Buffer[];
  waiting: boolean;
}

export function createLiveFeed(controller: ControllerPort, knobValues?: () => Record<string, unknown>): LiveFeed {
  const clients = new Set<Client>();
  const recent: TimedEvent[] = [];
  let pending: TimedEvent[] = [];
  let flushQueued = false;
  let lastStatusJson = '';
  let lastKnobsJson = '';
  let dropped = 0;

  const drain = (c: Client) => {
    c.waiting = false;
    while (c.queue.length > 0 && !c.res.writableNeedDrain) c.res.write(c.queue.shift() as Buffer);
    if (c.queue.length > 0) wait(c);
  };
  const wait = (c: Client) => {
    c.waiting = true;
    c.res.once('drain', () => drain(c));
  };
  /** Writes now, or queues behind a full socket (dropping the oldest past MAX_QUEUED_MESSAGES). */
  const send = (c: Client, buf: Buffer) => {
    if (!c.waiting && !c.res.writableNeedDrain) {
      c.res.write(buf);
      return;
    }
    c.queue.push(buf);
    if (c.queue.length > MAX_QUEUED_MESSAGES) {
      c.queue.shift();
      dropped++;
    }
    if (!c.waiting) wait(c);
  };

  const flush = () => {
    flushQueued = false;
    const pub = controller.latest();
    const statusJson = JSON.stringify(pub.status);
    const knobsJson = knobValues ? JSON.stringify(knobValues()) : '';
    const knobsChanged = knobsJson !== lastKnobsJson;
    // A scan that changed nothing (the usual case) sends nothing: 20 open pages cost no work then.
    if (statusJson === lastStatusJson && pending.length === 0 && !knobsChanged) return;
    lastStatusJson = statusJson;
    lastKnobsJson = knobsJson;
    const knobs = knobsChanged ? `,"knobs":${knobsJson}` : '';
    // Encoded once: every client gets the same bytes.
    const msg = Buffer.from(`data: {"scanSeq":${pub.scanSeq},"atMs":${pub.atMs},"status":${statusJson},"events":${JSON.stringify(pending)}${knobs}}\n\n`);
    pending = [];
    for (const c of clients) send(c, msg);
  };

  const unsubscribe = controller.onEvents?.((events, atMs) => {
    for (const e of events) {
      const te = { ...e, t: atMs };
      recent.push(te);
      if (clients.size > 0) pending.push(te);
    }
    if (recent.length > RECENT_EVENTS) recent.splice(0, recent.length - RECENT_EVENTS);
    // The message is built after the scan has returned, never inside it.
    if (clients.size > 0 && !flushQueued) {
      flushQueued = true;
      setImmediate(flush);
    }
  });
  const keepalive = setInterval(() => {
    for (const c of clients) send(c, KEEPALIVE);
  }, KEEPALIVE_MS);
  keepalive.unref();

  return {
    attach(res) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      const pub = controller.latest();
      res.write(`retry: ${RETRY_MS}\n`);
      const knobs = knobValues ? { knobs: knobValues() } : {};
      res.write(`data: ${JSON.stringify({ scanSeq: pub.scanSeq, atMs: pub.atMs, status: pub.status, events: recent, initial: true, ...knobs })}\n\n`);
      const c: Client = { res, queue: [], waiting: false };
      clients.add(c);
      res.on('close', () => clients.delete(c));
    },
    recent: () => recent,
    get clients() {
      return clients.size;
    },
    get dropped() {
      return dropped;
    },
    stop() {
      unsubscribe?.();
      clearInterval(keepalive);
      for (const c of clients) c.res.end();
      clients.clear();
    },
  };
}
