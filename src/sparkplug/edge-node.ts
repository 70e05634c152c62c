// The Sparkplug edge node's MQTT shell: one connection at a time with NDEATH as its Will, births on
// connect and on a Rebirth request, NDATA by exception, reconnect with backoff and jitter, NDEATH
// first on a clean stop. Everything here is asynchronous: the scan only hands over its status.
import { readFileSync } from 'node:fs';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { SparkplugConfig } from '../config/schema.js';
import { backoffMs, type BdSeqCounter } from './bdseq.js';
import type { MetricValue } from './metrics.js';
import { decodeMetrics, encodePayload, type SpPayload } from './proto.js';
import { createEdgeSession, deathPayload, nodeTopic, REBIRTH } from './session.js';
import type { ForwardQueue } from './store-forward.js';

export type Connect = (url: string, opts: IClientOptions) => MqttClient;

export interface EdgeNodeOptions {
  readonly config: SparkplugConfig;
  /** The whole metric set now, with the time of the scan it came from. */
  readonly current: () => { metrics: MetricValue[]; atMs: number };
  readonly bdSeq: BdSeqCounter;
  /** Where changes go while offline (loaded before the node starts). */
  readonly queue: ForwardQueue;
  readonly logger: Logger;
  readonly connect: Connect;
  readonly random?: () => number;
  readonly clock?: () => number;
}

export interface EdgeNode {
  /** A scan's metric set: what changed goes out as NDATA, or while offline into the store-and-forward queue. */
  update(metrics: MetricValue[], atMs: number): void;
  stop(): Promise<void>;
  readonly stats: { births: number; data: number; connects: number; lastError: string | null };
}

/** The problem a user can fix, named for the log, from mqtt.js's connection error. */
export function describeConnectError(e: Error & { code?: string | number }): string {
  if (e.code === 4 || e.code === 134) return 'the broker refused the connection: bad username or password (check sparkplug.username and passwordFile)';
  if (e.code === 5 || e.code === 135) return 'the broker refused the connection: not authorized (check the broker ACL for this client)';
  if (e.code === 'ECONNREFUSED') return `nothing listens at the broker address (${e.message})`;
  if (typeof e.code === 'string' && /CERT|SSL|TLS/i.test(e.code + e.message)) return `TLS failed: ${e.message} (check sparkplug.ca / cert / key)`;
  return e.message;
}

function tlsAndAuth(cfg: SparkplugConfig): Partial<IClientOptions> {
  const file = (p: string | null) => (p === null ? undefined : readFileSync(p));
  const o: Partial<IClientOptions> = {};
  if (cfg.username !== null) o.username = cfg.username;
  if (cfg.passwordFile !== null) o.password = readFileSync(cfg.passwordFile, 'utf8').trim();
  const ca = file(cfg.ca);
  const cert = file(cfg.cert);
  const key = file(cfg.key);
  if (ca) o.ca = ca;
  if (cert) o.cert = cert;
  if (key) o.key = key;
  return o;
}

export function startEdgeNode(o: EdgeNodeOptions): EdgeNode {
  const cfg = o.config;
  const log = o.logger;
  const random = o.random ?? Math.random;
  const clock = o.clock ?? Date.now;
  const session = createEdgeSession(cfg.deadbands);
  const stats = { births: 0, data: 0, connects: 0, lastError: null as string | null };
  const secrets = tlsAndAuth(cfg);
  let client: MqttClient | undefined;
  let online = false;
  let stopping = false;
  let attempt = 0;
  let retry: NodeJS.Timeout | undefined;

  const publish = (type: 'NBIRTH' | 'NDATA', p: SpPayload) => {
    client?.publish(nodeTopic(cfg, type), Buffer.from(encodePayload(p)), { qos: 0, retain: false });
  };
  const birth = () => {
    const now = o.current();
    publish('NBIRTH', session.birth(now.metrics, now.atMs));
    stats.births++;
  };
  // Births first, then what was stored while offline in order (original times, is_historical), then live data.
  const replay = () => {
    const stored = o.queue.drain();
    for (const c of stored) publish('NDATA', session.historical(c.metrics, c.atMs));
    if (stored.length > 0) log.info({ changes: stored.length, dropped: o.queue.dropped }, 'sparkplug: stored changes forwarded');
  };
  const onMessage = (_topic: string, payload: Buffer) => {
    let metrics: ReturnType<typeof decodeMetrics>;
    try {
      metrics = decodeMetrics(payload);
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'sparkplug: an NCMD that is not a Sparkplug B payload was ignored');
      return;
    }
    for (const m of metrics) {
      if (m.name === REBIRTH && m.value === true) {
        log.info({ bdSeq: session.bdSeq }, 'sparkplug: rebirth requested');
        birth();
      } else if (m.name !== REBIRTH) log.warn({ metric: m.name }, 'sparkplug: NCMD metric not handled (commands over NCMD are not implemented yet)');
    }
  };

  const scheduleReconnect = () => {
    if (stopping || retry) return;
    const wait = backoffMs(attempt++, random);
    retry = setTimeout(() => {
      retry = undefined;
      void connectOnce();
    }, wait);
    retry.unref();
  };

  const connectOnce = async () => {
    const bdSeq = await o.bdSeq.next();
    if (stopping) return;
    session.connect(bdSeq);
    const will = {
      topic: nodeTopic(cfg, 'NDEATH'),
      payload: Buffer.from(encodePayload(deathPayload(bdSeq, clock()))),
      qos: 1 as const,
      retain: false,
    };
    // MQTT 3.1.1 with a clean session, as Sparkplug 3.0 asks; our own reconnect so each CONNECT gets its own bdSeq in its Will.
    const c = o.connect(cfg.broker, {
      protocolVersion: 4,
      clean: true,
      clientId: `twinfeed/${cfg.groupId}/${cfg.edgeNodeId}`,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      keepalive: 30,
      will,
      ...secrets,
    });
    client = c;
    let closed = false;
    c.on('connect', () => {
      attempt = 0;
      stats.connects++;
      stats.lastError = null;
      log.info({ broker: cfg.broker, bdSeq }, 'sparkplug: connected');
      // NCMD is subscribed before the birth, so a Rebirth sent in answer to it is not missed.
      c.subscribe(nodeTopic(cfg, 'NCMD'), { qos: 0 }, (err) => {
        if (err || c !== client) return;
        birth();
        replay();
        online = true;
      });
    });
    c.on('message', onMessage);
    c.on('error', (e: Error & { code?: string | number }) => {
      const why = describeConnectError(e);
      if (why !== stats.lastError) log.warn({ broker: cfg.broker, code: e.code }, `sparkplug: ${why}`);
      stats.lastError = why;
    });
    c.on('close', () => {
      if (closed) return;
      closed = true;
      if (c === client) online = false;
      c.removeAllListeners('message');
      c.end(true);
      if (!stopping) scheduleReconnect();
    });
  };

  session.baseline(o.current().metrics);
  void connectOnce();

  return {
    stats,
    update(metrics, atMs) {
      if (!online) {
        const changes = session.changes(metrics, atMs);
        if (changes.length > 0) o.queue.push({ atMs, metrics: changes });
        return;
      }
      const p = session.data(metrics, atMs);
      if (p === 'rebirth') birth();
      else if (p) {
        publish('NDATA', p);
        stats.data++;
      }
    },
    async stop() {
      stopping = true;
      if (retry) clearTimeout(retry);
      const c = client;
      if (!c) return void (await o.queue.settled());
      if (online) {
        // A clean stop says goodbye itself (spec 3.0: NDEATH before DISCONNECT); the Will is then discarded.
        const death = Buffer.from(encodePayload(deathPayload(session.bdSeq, clock())));
        await Promise.race([c.publishAsync(nodeTopic(cfg, 'NDEATH'), death, { qos: 1, retain: false }), new Promise((r) => setTimeout(r, 2000))]).catch(
          () => undefined,
        );
      }
      online = false;
      await Promise.race([c.endAsync(), new Promise((r) => setTimeout(r, 2000))]).catch(() => undefined);
      await Promise.race([o.queue.settled(), new Promise((r) => setTimeout(r, 2000))]);
    },
  };
}
