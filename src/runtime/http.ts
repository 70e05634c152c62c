// HTTP: GET /status (JSON), GET /healthz (200 while scans complete, else 503 with the reason),
// GET /metrics (Prometheus), POST /command (a spec command as JSON; loopback only unless
// http.commandAllow), POST /sim (plant knobs; sim board only). Bad input → 400 with the reason;
// nothing a client sends reaches the scan except a validated command. The dashboard (GET /, /events,
// /trends, /session) is in ./dashboard/.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BlockList, isIPv4 } from 'node:net';
import type { Logger } from 'pino';
import { commandSchema } from '../io/command-schema.js';
import { zodErrors, formatError } from '../config/errors.js';
import type { Config } from '../config/schema.js';
import type { Command } from '../core/types.js';
import type { Metrics } from './metrics.js';
import type { ControllerPort } from '../io/controller-port.js';
import { loadAuth } from './auth.js';
import { createDashboard, DASHBOARD_ROUTES } from './dashboard/routes.js';
import type { Incident, KnobInfo } from './dashboard/knobs.js';

const MAX_BODY_BYTES = 64 * 1024;
const ROUTES = ['GET /status', 'GET /healthz', 'GET /metrics', 'POST /command', 'POST /sim', ...DASHBOARD_ROUTES];

export interface HttpOptions {
  readonly config: Config['http'];
  readonly controller: ControllerPort;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Present only with the sim board. */
  readonly setKnobs?: (knobs: Record<string, unknown>) => string | undefined;
  /** The scan period: /healthz fails when no scan has completed for a few periods. */
  readonly scanPeriodMs?: number;
  /** Wall clock, the scan loop's own (tests inject one). */
  readonly clock?: () => number;
  /** Uplink ids for the dashboard's trends. */
  readonly uplinkIds?: readonly string[];
  /** The sim board's knobs and incidents for the dashboard's fault-injection panel. */
  readonly knobs?: readonly KnobInfo[];
  readonly incidents?: readonly Incident[];
  /** The sim board's knob values now (the panel shows them and follows changes). */
  readonly knobValues?: () => Record<string, unknown>;
  readonly feedRoles?: Readonly<Record<'A' | 'B', string>>;
}

/**
 * Healthy while scans complete and so rewrite the full output image: the last one no older than
 * 5 scan periods, and at least 1 s (a timer or a GC pause is not an outage of control).
 */
export function health(pub: { scanSeq: number; atMs: number }, nowMs: number, scanPeriodMs: number): { ok: boolean; reason?: string; lastScanAgeMs: number } {
  const age = nowMs - pub.atMs;
  const limit = Math.max(5 * scanPeriodMs, 1000);
  if (pub.scanSeq === 0) return { ok: false, reason: 'no scan has completed yet: no output image written', lastScanAgeMs: age };
  if (age > limit)
    return { ok: false, reason: `no scan for ${Math.round(age)} ms (limit ${limit} ms): the output image is not being refreshed`, lastScanAgeMs: age };
  return { ok: true, lastScanAgeMs: age };
}

function allowList(cidrs: readonly string[]): BlockList {
  const b = new BlockList();
  b.addSubnet('127.0.0.0', 8, 'ipv4');
  b.addAddress('::1', 'ipv6');
  for (const c of cidrs) {
    const [addr, bits] = c.split('/') as [string, string | undefined];
    const family = isIPv4(addr) ? 'ipv4' : 'ipv6';
    b.addSubnet(addr, bits === undefined ? (family === 'ipv4' ? 32 : 128) : Number(bits), family);
  }
  return b;
}

function clientAllowed(list: BlockList, req: IncomingMessage): boolean {
  let addr = req.socket.remoteAddress ?? '';
  if (addr.startsWith('::ffff:')) addr = addr.slice(7);
  return list.check(addr, isIPv4(addr) ? 'ipv4' : 'ipv6');
}

export function send(res: ServerResponse, code: number, body: unknown, type = 'application/json'): void {
  const text = type === 'application/json' ? JSON.stringify(body) + '\n' : String(body);
  res.writeHead(code, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(text);
}

export function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      // Past the limit the rest is read and dropped, so the client still gets its 413.
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error(`body larger than ${MAX_BODY_BYTES} bytes`), { status: 413 }));
        return;
      }
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (e) {
        reject(Object.assign(new Error(`bad JSON: ${(e as Error).message}`), { status: 400 }));
      }
    });
    req.on('error', reject);
  });
}

export function startHttpServer(o: HttpOptions): Promise<Server> {
  const allowed = allowList(o.config.commandAllow);
  const log = o.logger.child({ subsystem: 'http' });
  const clock = o.clock ?? Date.now;
  let auth: ReturnType<typeof loadAuth>;
  try {
    auth = loadAuth(o.config.auth);
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
  const dashboard = createDashboard({
    controller: o.controller,
    uplinkIds: o.uplinkIds ?? [],
    ...(o.feedRoles ? { feedRoles: o.feedRoles } : {}),
    ...(o.setKnobs && o.knobs ? { knobs: o.knobs, incidents: o.incidents ?? [] } : {}),
    ...(o.setKnobs && o.knobValues ? { knobValues: o.knobValues } : {}),
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = (req.url ?? '/').split('?')[0];
    const route = `${req.method} ${url}`;
    // /healthz stays open to the service manager and monitoring: it tells whether scans run, no more.
    if (auth && route !== 'GET /healthz' && !auth.check(req)) {
      log.warn({ client: `${req.socket.remoteAddress}`, route }, 'refused: no valid credentials (http.auth)');
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': auth.challenge, 'cache-control': 'no-store' });
      res.end(JSON.stringify({ error: 'authentication required (http.auth)' }) + '\n');
      return;
    }
    if (route === 'GET /status') return send(res, 200, o.controller.latest().status);
    if (route === 'GET /healthz') {
      const pub = o.controller.latest();
      const h = health(pub, clock(), o.scanPeriodMs ?? 100);
      return send(res, h.ok ? 200 : 503, { ...h, scanSeq: pub.scanSeq });
    }
    if (route === 'GET /metrics') return send(res, 200, await o.metrics.registry.metrics(), o.metrics.registry.contentType);
    if (dashboard.handle(req, res, url ?? '/', clientAllowed(allowed, req))) return;
    if (route === 'POST /command' || route === 'POST /sim') {
      const who = `http:${req.socket.remoteAddress}:${req.socket.remotePort}`;
      if (!clientAllowed(allowed, req)) {
        log.warn({ client: who, route }, 'write refused: client not allowed');
        return send(res, 403, { error: 'client not allowed (http.commandAllow)' });
      }
      const body = await readBody(req);
      if (url === '/sim') {
        if (!o.setKnobs) return send(res, 404, { error: 'plant knobs exist only with the sim board' });
        if (typeof body !== 'object' || body === null || Array.isArray(body)) return send(res, 400, { error: 'body must be an object of knob: value' });
        const err = o.setKnobs(body as Record<string, unknown>);
        log.info({ client: who, knobs: body, error: err }, 'sim knobs');
        return err ? send(res, 400, { error: err }) : send(res, 200, { ok: true });
      }
      const parsed = commandSchema.safeParse(body);
      if (!parsed.success) {
        return send(res, 400, { error: zodErrors(commandSchema, parsed.error).map(formatError).join('; ') });
      }
      const outcome = await o.controller.submit(parsed.data as Command, who);
      log.info({ client: who, command: parsed.data, ...outcome }, 'command');
      return send(res, outcome.accepted ? 200 : 409, outcome);
    }
    if (ROUTES.some((r) => r.endsWith(` ${url}`))) return send(res, 405, { error: `method ${req.method} not allowed` });
    return send(res, 404, { error: 'not found', routes: ROUTES });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const status = (e as { status?: number }).status ?? 500;
      if (!res.headersSent) send(res, status, { error: (e as Error).message });
    });
  });
  server.headersTimeout = 10_000;
  // Bounds receiving a request only, so an event stream (GET /events) may stay open for days.
  server.requestTimeout = 10_000;
  // Open event streams would hold close() forever: end them first, so a stopping controller stops.
  const close = server.close.bind(server);
  server.close = ((cb?: (err?: Error) => void) => {
    dashboard.stop();
    return close(cb);
  }) as Server['close'];
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.config.port, o.config.bind, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
