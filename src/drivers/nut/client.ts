// A small upsd client: one connection, one request queue (one request on the wire at a time), a
// timeout per request, and reconnection with backoff. The socket is injected (tests use a fake).
import { getVar, LineSplitter, listVars, NutProtocolError, splitWords, type NutRequest } from './protocol.js';

/** What the client is told by its socket. */
export interface NutSocketEvents {
  onConnect(): void;
  onData(chunk: string): void;
  onClose(reason: string): void;
}

/** The two things the client does with a socket. */
export interface NutSocket {
  write(text: string): void;
  destroy(): void;
}

/** Opens a TCP connection to upsd (node:net in the driver, a fake in tests); events come after it returns, as with node:net. */
export type NutConnect = (host: string, port: number, events: NutSocketEvents) => NutSocket;

/** The link failed, not the request: no connection, a timeout, a dropped socket, garbage on the line. */
export class NutLinkError extends Error {
  constructor(
    readonly kind: 'backoff' | 'connect' | 'timeout' | 'closed' | 'protocol',
    message: string,
  ) {
    super(message);
    this.name = 'NutLinkError';
  }
}

export interface NutClientOptions {
  readonly host: string;
  readonly port: number;
  /** For a connect and for each request's answer. */
  readonly timeoutMs: number;
  readonly connect: NutConnect;
  readonly clock?: () => number;
  /** Reconnect backoff: doubles from minMs up to maxMs, back to minMs after an answer. */
  readonly backoff?: { readonly minMs: number; readonly maxMs: number };
  /** Longest line accepted from the server (upsd's own lines stay far below 1 KiB). */
  readonly maxLineBytes?: number;
}

export const NUT_COUNTERS = ['requests', 'answers', 'errors', 'timeouts', 'garbage', 'connects', 'drops'] as const;
export type NutCounters = Record<(typeof NUT_COUNTERS)[number], number>;

export interface NutClient {
  request<T>(req: NutRequest<T>): Promise<T>;
  get(ups: string, name: string): Promise<string>;
  list(ups: string): Promise<ReadonlyMap<string, string>>;
  readonly counters: Readonly<NutCounters>;
  close(): void;
}

interface Pending {
  readonly req: NutRequest<unknown>;
  resolve(v: unknown): void;
  reject(e: Error): void;
}

interface Link {
  readonly socket: NutSocket;
  readonly lines: LineSplitter;
  ready: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export function createNutClient(opts: NutClientOptions): NutClient {
  const clock = opts.clock ?? Date.now;
  const backoff = opts.backoff ?? { minMs: 1000, maxMs: 30_000 };
  const counters = Object.fromEntries(NUT_COUNTERS.map((k) => [k, 0])) as NutCounters;
  const queue: Pending[] = [];
  let link: Link | undefined;
  let inflight: Pending | undefined;
  let delayMs = backoff.minMs;
  let retryAtMs = -Infinity;
  let closed = false;

  const arm = (l: Link, what: string) => {
    clearTimeout(l.timer);
    l.timer = setTimeout(() => {
      counters.timeouts++;
      drop(l, new NutLinkError('timeout', `no answer to ${what} within ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
  };

  /** Ends a connection: everything waiting on it fails, and the next attempt waits out the backoff. */
  const drop = (l: Link, err: NutLinkError) => {
    if (link !== l) return;
    clearTimeout(l.timer);
    l.socket.destroy();
    link = undefined;
    counters.drops++;
    retryAtMs = clock() + delayMs;
    delayMs = Math.min(delayMs * 2, backoff.maxMs);
    const failed = [...(inflight ? [inflight] : []), ...queue.splice(0)];
    inflight = undefined;
    for (const p of failed) p.reject(err);
  };

  const open = () => {
    counters.connects++;
    const events: NutSocketEvents = {
      onConnect() {
        if (link !== l) return;
        l.ready = true;
        clearTimeout(l.timer);
        pump();
      },
      onData: (chunk) => receive(l, chunk),
      onClose: (reason) => drop(l, new NutLinkError(l.ready ? 'closed' : 'connect', reason)),
    };
    const l: Link = {
      socket: opts.connect(opts.host, opts.port, events),
      lines: new LineSplitter(opts.maxLineBytes ?? 16_384),
      ready: false,
      timer: undefined,
    };
    link = l;
    arm(l, `connect to ${opts.host}:${opts.port}`);
  };

  const receive = (l: Link, chunk: string) => {
    if (link !== l) return;
    try {
      for (const line of l.lines.push(chunk)) {
        if (!inflight) throw new NutProtocolError(`unrequested line: ${line.slice(0, 80)}`);
        const p = inflight;
        let out: { done: unknown } | undefined;
        try {
          out = p.req.take(splitWords(line), line);
        } catch (e) {
          if (e instanceof NutProtocolError) throw e;
          counters.errors++;
          finish(l);
          p.reject(e as Error);
          continue;
        }
        if (out) {
          finish(l);
          p.resolve(out.done);
        }
      }
    } catch (e) {
      counters.garbage++;
      return drop(l, new NutLinkError('protocol', (e as Error).message));
    }
    pump();
  };

  /** An answer came (a value or an ERR): the link works. */
  const finish = (l: Link) => {
    clearTimeout(l.timer);
    counters.answers++;
    inflight = undefined;
    delayMs = backoff.minMs;
  };

  const pump = () => {
    if (closed || inflight || queue.length === 0) return;
    if (!link) {
      const waitMs = retryAtMs - clock();
      if (waitMs > 0) {
        const err = new NutLinkError('backoff', `not connected to ${opts.host}:${opts.port} (next attempt in ${Math.ceil(waitMs)} ms)`);
        for (const p of queue.splice(0)) p.reject(err);
        return;
      }
      return open();
    }
    if (!link.ready) return;
    const p = queue.shift() as Pending;
    inflight = p;
    counters.requests++;
    arm(link, p.req.text.trim());
    link.socket.write(p.req.text);
  };

  const request = <T>(req: NutRequest<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (closed) return reject(new NutLinkError('closed', 'client closed'));
      queue.push({ req, resolve: resolve as (v: unknown) => void, reject });
      pump();
    });

  return {
    request,
    get: (ups, name) => request(getVar(ups, name)),
    list: (ups) => request(listVars(ups)),
    counters,
    close() {
      if (link) drop(link, new NutLinkError('closed', 'client closed'));
      closed = true;
    },
  };
}
