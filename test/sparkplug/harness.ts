// Shared pieces of the in-process Sparkplug tests: a full sparkplug config, a logger whose lines the
// test can read, and polling until something a user would see has happened.
import { Writable } from 'node:stream';
import { connect } from 'mqtt';
import { pino } from 'pino';
import type { SparkplugConfig } from '../../src/config/schema.js';
import { createBdSeqCounter } from '../../src/sparkplug/bdseq.js';
import { startEdgeNode, type EdgeNode } from '../../src/sparkplug/edge-node.js';
import { createForwardQueue } from '../../src/sparkplug/store-forward.js';

export function config(broker: string, extra: Partial<SparkplugConfig> = {}): SparkplugConfig {
  return {
    broker,
    groupId: 'g',
    edgeNodeId: 'e',
    primaryHostId: null,
    username: null,
    passwordFile: null,
    ca: null,
    cert: null,
    key: null,
    deadbands: { voltageV: 1, frequencyHz: 0.05, pct: 1, runtimeS: 30, latencyMs: 10, timerMs: 5000 },
    storeForward: { maxBytes: 1 << 20 },
    commands: false,
    ...extra,
  };
}

export function logCapture() {
  const lines: string[] = [];
  const stream = new Writable({
    write: (chunk: Buffer, _e, done) => (lines.push(...chunk.toString().split('\n').filter(Boolean)), done()),
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

export const waitUntil = async (ok: () => boolean, timeoutMs: number) => {
  for (const end = Date.now() + timeoutMs; !ok();) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** An edge node with one metric, no stateDir, and its stop pushed onto `cleanups` (run after each test). */
export function testNode(cfg: SparkplugConfig, logger: pino.Logger, cleanups: (() => Promise<void>)[]): EdgeNode {
  const n = startEdgeNode({
    config: cfg,
    current: () => ({ metrics: [{ name: 'PSU/1/OK', datatype: 'Boolean', value: true }], atMs: Date.now() }),
    bdSeq: createBdSeqCounter(null, () => undefined),
    queue: createForwardQueue(null, 1 << 20, () => undefined),
    logger,
    connect,
  });
  cleanups.push(() => n.stop());
  return n;
}
