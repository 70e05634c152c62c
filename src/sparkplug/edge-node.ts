// The Sparkplug edge node's MQTT shell: one connection at a time with NDEATH as its Will, births on
// connect and on a Rebirth request, NDATA by exception, reconnect with backoff and jitter, NDEATH
// first on a clean stop. Everything here is asynchronous: the scan only hands over its status.
import type { IClientOptions, MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { SparkplugConfig } from '../config/schema.js';
import type { Command } from '../core/types.js';
import type { CommandOutcome } from '../io/controller-port.js';
import { backoffMs, type BdSeqCounter } from './bdseq.js';
import { commandBirthMetrics, handleNcmd, type NcmdContext } from './commands.js';
import type { MetricValue } from './metrics.js';
import { describeConnectError, isRefusal, tlsAndAuth } from './mqtt-options.js';
import { createHostGate, parseHostState, stateTopic } from './primary-host.js';
import { encodePayload, type SpPayload } from './proto.js';
import { createEdgeSession, deathPayload, nodeTopic } from './session.js';
import { createSentWindow, type SentWindow } from './sent-window.js';
import type { ForwardQueue } from './store-forward.js';

export { describeConnectError };

/** A broker out of reach this long is an alarm: longer than a broker restart, shorter than an unnoticed outage. */
export const UNREACHABLE_FAULT_MS = 60_000;

export type Connect = (url: string, opts: IClientOptions) => MqttClient;

export interface EdgeNodeOptions {
  readonly config: SparkplugConfig;
  /** The whole metric set now, with the time of the scan it came from. */
  readonly current: () => { metrics: MetricValue[]; atMs: number };
  readonly bdSeq: BdSeqCounter;
  /** Where changes go while offline (loaded before the node starts). */
  readonly queue: ForwardQueue;
  /** The NDATA not yet confirmed by a ping answer (default: in memory only). */
  readonly window?: SentWindow;
  readonly logger: Logger;
  readonly connect: Connect;
  /** The controller's command gate (ControllerPort.submit); NCMD commands need it and sparkplug.commands. */
  readonly submit?: (command: Command, origin: string) => Promise<CommandOutcome>;
  /** MQTT keepalive (s); a silent uplink is noticed within about twice this. Default 30. */
  readonly keepaliveS?: number;
  /** Not connected for this long raises the fault (SPARKPLUG_FAULT); default UNREACHABLE_FAULT_MS. */
  readonly unreachableFaultMs?: number;
  readonly random?: () => number;
  readonly clock?: () => number;
}

export interface EdgeNode {
  /** A scan's metric set: what changed goes out as NDATA, or while offline into the store-and-forward queue. */
  update(metrics: MetricValue[], atMs: number): void;
  stop(): Promise<void>;
  /** Why the node cannot report (refused, or no broker for unreachableFaultMs), or null: the SPARKPLUG_FAULT input. */
  fault(nowMs?: number): string | null;
  readonly stats: { births: number; data: number; connects: number; lastError: string | null };
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
  let refusal: string | null = null;
  let lostSinceMs: number | null = clock();
  let online = false;
  let stopping = false;
  let attempt = 0;
  let retry: NodeJS.Timeout | undefined;

  const window = o.window ?? createSentWindow();
  const publish = (type: 'NBIRTH' | 'NDATA', p: SpPayload) => {
    client?.publish(nodeTopic(cfg, type), Buffer.from(encodePayload(p)), { qos: 0, retain: false });
    if (type === 'NDATA') window.sent({ atMs: p.timestampMs, metrics: p.metrics });
  };
  // A connection ended by us (stop, the primary host gone after its NDEATH was acknowledged) loses nothing.
  let endedByUs = false;
  // Births carry the last scan handed to update() (the latest only before the first): scans still waiting
  // in a batch then follow the birth in order, and none is undone by a birth that ran ahead of it.
  let last: { metrics: MetricValue[]; atMs: number } | undefined;
  const birth = (now = last ?? o.current()) => {
    publish('NBIRTH', session.birth(cfg.commands ? [...now.metrics, ...commandBirthMetrics()] : now.metrics, now.atMs));
    stats.births++;
  };
  // Births first, then what was stored while offline in order (original times, is_historical), then live data.
  const replay = () => {
    const stored = o.queue.drain();
    for (const c of stored) publish('NDATA', session.historical(c.metrics, c.atMs));
    if (stored.length > 0) log.info({ changes: stored.length, dropped: o.queue.dropped }, 'sparkplug: stored changes forwarded');
  };
  const host = cfg.primaryHostId === null ? undefined : { id: cfg.primaryHostId, topic: stateTopic(cfg.primaryHostId), gate: createHostGate() };
  let subscribed = false;
  // Live once subscribed and (with a primary host) the host is online: births, then the stored changes, then live data.
  const goLive = () => {
    if (online || !subscribed || (host && !host.gate.online)) return;
    birth();
    replay();
    online = true;
  };
  const onHostState = (c: MqttClient, payload: Buffer) => {
    if (!host || c !== client) return;
    const s = parseHostState(payload);
    if (typeof s === 'string') return log.warn({ topic: host.topic, problem: s }, 'sparkplug: a STATE message that is not Sparkplug 3.0 JSON was ignored');
    if (!host.gate.accept(s)) return log.info({ host: host.id }, 'sparkplug: a stale STATE (older timestamp) was ignored');
    if (s.online) {
      if (!online) log.info({ host: host.id }, 'sparkplug: primary host online: births, then stored changes');
      return goLive();
    }
    if (!online) return log.info({ host: host.id }, 'sparkplug: waiting for the primary host (changes are stored meanwhile)');
    // Spec 3.0: the primary host gone, the edge node ends its session (NDEATH first) and stores until it is back.
    log.warn({ host: host.id }, 'sparkplug: primary host offline: NDEATH, reconnecting; changes are stored until it is online');
    online = false;
    const death = Buffer.from(encodePayload(deathPayload(session.bdSeq, clock())));
    c.publish(nodeTopic(cfg, 'NDEATH'), death, { qos: 1, retain: false }, (err) => {
      endedByUs = !err;
      c.end();
    });
  };
  const ncmd: NcmdContext = {
    commands: cfg.commands,
    origin: `sparkplug:${cfg.primaryHostId ?? 'host'}`,
    logger: log,
    rebirth: () => {
      log.info({ bdSeq: session.bdSeq }, 'sparkplug: rebirth requested');
      birth();
    },
    ...(o.submit ? { submit: o.submit } : {}),
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
      keepalive: o.keepaliveS ?? 30,
      // A ping every keepalive even while data flows: its answer is what confirms the NDATA before it.
      reschedulePings: false,
      will,
      ...secrets,
    });
    client = c;
    let closed = false;
    c.on('connect', () => {
      attempt = 0;
      stats.connects++;
      stats.lastError = null;
      refusal = null;
      lostSinceMs = null;
      log.info({ broker: cfg.broker, bdSeq }, 'sparkplug: connected');
      // NCMD (and the host's STATE) are subscribed before the birth, so a Rebirth sent in answer to it is not missed.
      subscribed = false;
      host?.gate.reset();
      const topics = { [nodeTopic(cfg, 'NCMD')]: { qos: 0 as const }, ...(host ? { [host.topic]: { qos: 1 as const } } : {}) };
      c.subscribe(topics, (err) => {
        if (err || c !== client) return;
        subscribed = true;
        goLive();
      });
    });
    c.on('packetsend', (p: { cmd: string }) => p.cmd === 'pingreq' && window.pingSent());
    c.on('packetreceive', (p: { cmd: string }) => p.cmd === 'pingresp' && window.pongReceived());
    c.on('message', (topic: string, payload: Buffer) => (host && topic === host.topic ? onHostState(c, payload) : handleNcmd(payload, ncmd)));
    c.on('error', (e: Error & { code?: string | number }) => {
      const why = describeConnectError(e);
      if (why !== stats.lastError) log.warn({ broker: cfg.broker, code: e.code }, `sparkplug: ${why}`);
      stats.lastError = why;
      if (isRefusal(e)) refusal = why;
    });
    c.on('close', () => {
      if (closed) return;
      closed = true;
      if (c === client) online = false;
      lostSinceMs ??= clock();
      // Unclean: the NDATA the broker may never have had go first into the queue, before the changes from now on.
      // A stop whose NDEATH the broker never acknowledged is unclean too: the next run forwards them.
      const unconfirmed = window.take(() => o.queue.settled());
      if (!endedByUs && unconfirmed.length > 0) {
        for (const change of unconfirmed) o.queue.push(change);
        log.warn(
          { changes: unconfirmed.length },
          'sparkplug: connection lost; the NDATA sent since the broker last answered a ping will be sent again as historical',
        );
      }
      endedByUs = false;
      c.removeAllListeners('message');
      c.end(true);
      if (!stopping) scheduleReconnect();
    });
  };

  session.baseline(o.current().metrics);
  void connectOnce();

  const unreachableMs = o.unreachableFaultMs ?? UNREACHABLE_FAULT_MS;
  return {
    stats,
    fault(nowMs = clock()) {
      if (refusal !== null) return refusal;
      if (lostSinceMs !== null && nowMs - lostSinceMs >= unreachableMs) return `no connection to the broker for ${Math.round((nowMs - lostSinceMs) / 1000)} s`;
      return null;
    },
    update(metrics, atMs) {
      last = { metrics, atMs };
      if (!online) {
        const changes = session.changes(metrics, atMs);
        if (changes.length > 0) o.queue.push({ atMs, metrics: changes });
        return;
      }
      const p = session.data(metrics, atMs);
      if (p === 'rebirth') birth({ metrics, atMs });
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
        const acked = c.publishAsync(nodeTopic(cfg, 'NDEATH'), death, { qos: 1, retain: false }).then(() => (endedByUs = true));
        await Promise.race([acked, new Promise((r) => setTimeout(r, 2000))]).catch(() => undefined);
      }
      online = false;
      await Promise.race([c.endAsync(), new Promise((r) => setTimeout(r, 2000))]).catch(() => undefined);
      await Promise.race([Promise.all([o.queue.settled(), window.settled()]), new Promise((r) => setTimeout(r, 2000))]);
    },
  };
}
