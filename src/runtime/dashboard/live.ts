// The live feed of the dashboard: Server-Sent Events pushed from the scan's publish. One JSON text per
// scan that changed something, built once for all clients after the scan (never inside it).
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
  /** Ends every stream (the server is closing; the pages reconnect to the next controller). */
  stop(): void;
}

const RECENT_EVENTS = 100;
/** A comment line this often keeps proxies and the browser from timing an idle stream out. */
const KEEPALIVE_MS = 15_000;
/** The browser's reconnect delay after the stream ends (a controller restart). */
const RETRY_MS = 1000;

/** `knobValues`: the sim board's knobs, sent (as `knobs`) on connect and whenever one changed. */
export function createLiveFeed(controller: ControllerPort, knobValues?: () => Record<string, unknown>): LiveFeed {
  const clients = new Set<ServerResponse>();
  const recent: TimedEvent[] = [];
  let pending: TimedEvent[] = [];
  let flushQueued = false;
  let lastStatusJson = '';
  let lastKnobsJson = '';

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
    const msg = `data: {"scanSeq":${pub.scanSeq},"atMs":${pub.atMs},"status":${statusJson},"events":${JSON.stringify(pending)}${knobs}}\n\n`;
    pending = [];
    for (const c of clients) c.write(msg);
  };

  const unsubscribe = controller.onEvents?.((events, atMs) => {
    for (const e of events) {
      const te = { ...e, t: atMs };
      recent.push(te);
      if (clients.size > 0) pending.push(te);
    }
    if (recent.length > RECENT_EVENTS) recent.splice(0, recent.length - RECENT_EVENTS);
    if (clients.size > 0 && !flushQueued) {
      flushQueued = true;
      setImmediate(flush);
    }
  });
  const keepalive = setInterval(() => {
    for (const c of clients) c.write(': keepalive\n\n');
  }, KEEPALIVE_MS);
  keepalive.unref();

  return {
    attach(res) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      const pub = controller.latest();
      res.write(`retry: ${RETRY_MS}\n`);
      const knobs = knobValues ? { knobs: knobValues() } : {};
      res.write(`data: ${JSON.stringify({ scanSeq: pub.scanSeq, atMs: pub.atMs, status: pub.status, events: recent, initial: true, ...knobs })}\n\n`);
      clients.add(res);
      res.on('close', () => clients.delete(res));
    },
    recent: () => recent,
    get clients() {
      return clients.size;
    },
    stop() {
      unsubscribe?.();
      clearInterval(keepalive);
      for (const c of clients) c.end();
      clients.clear();
    },
  };
}
