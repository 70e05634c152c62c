// Starts the Sparkplug edge node for `twinfeed run` when the config has a `sparkplug` section: it
// follows the scan loop's published status and never runs inside a scan (each scan only queues).
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { ControllerPort, Published } from '../io/controller-port.js';
import type { ControllerEvent } from '../core/types.js';
import { createBdSeqCounter } from './bdseq.js';
import { startEdgeNode, type Connect, type EdgeNode } from './edge-node.js';
import { statusMetrics } from './metrics.js';
import { createSentWindow } from './sent-window.js';
import { createForwardQueue } from './store-forward.js';

export interface StatusSource {
  latest(): Published;
  /** The controller's command gate, for NCMD commands (sparkplug.commands). */
  submit?: ControllerPort['submit'];
  onEvents?(listener: (events: readonly ControllerEvent[], atMs: number) => void): () => void;
}

export async function startSparkplug(cfg: Config, source: StatusSource, logger: Logger, connect?: Connect): Promise<EdgeNode | undefined> {
  const sp = cfg.sparkplug;
  if (sp === null) return undefined;
  // mqtt is loaded only when Sparkplug is configured (a cabinet without it never imports it).
  const mqttConnect = connect ?? (await import('mqtt')).connect;
  const log = logger.child({ subsystem: 'sparkplug' });
  const metricsOf = (p: Published) => statusMetrics(cfg, p.status, p.configHash);
  const queue = createForwardQueue(cfg.runtime.stateDir, sp.storeForward.maxBytes, (problem) => log.warn(problem));
  // The window of the previous run (NDATA sent, never confirmed by a ping answer) goes first, before what it stored after.
  const window = createSentWindow({ stateDir: cfg.runtime.stateDir, maxBytes: sp.storeForward.maxBytes, onError: (problem) => log.warn(problem) });
  const unconfirmed = await window.recover();
  await queue.load(unconfirmed);
  window.take(() => queue.settled());
  if (queue.length > 0) log.info({ changes: queue.length, unconfirmed: unconfirmed.length }, 'sparkplug: changes stored by the previous run will be forwarded');
  const startNode = () =>
    startEdgeNode({
      config: sp,
      current: () => {
        const p = source.latest();
        return { metrics: metricsOf(p), atMs: p.atMs };
      },
      bdSeq: createBdSeqCounter(cfg.runtime.stateDir, (problem) => log.warn(problem)),
      queue,
      window,
      logger: log,
      connect: mqttConnect,
      ...(source.submit ? { submit: (c, origin) => source.submit?.(c, origin) ?? Promise.resolve({ accepted: false, reason: 'no controller' }) } : {}),
    });
  let node: EdgeNode;
  try {
    node = startNode();
  } catch (e) {
    // A missing password or certificate file must not stop the controller: it controls without Sparkplug.
    log.error({ err: (e as Error).message }, 'sparkplug: cannot start the edge node (sparkplug is off until restarted)');
    return undefined;
  }
  // Each scan's snapshot is taken at once (it is immutable) and handled after the scan has returned.
  let pending: Published[] = [];
  const unsubscribe = source.onEvents?.(() => {
    pending.push(source.latest());
    if (pending.length > 1) return;
    setImmediate(() => {
      const batch = pending;
      pending = [];
      for (const p of batch) node.update(metricsOf(p), p.atMs);
    });
  });
  log.info({ broker: sp.broker, groupId: sp.groupId, edgeNodeId: sp.edgeNodeId }, 'sparkplug: edge node started');
  return {
    stats: node.stats,
    fault: (nowMs) => node.fault(nowMs),
    update: node.update,
    async stop() {
      unsubscribe?.();
      await node.stop();
    },
  };
}
