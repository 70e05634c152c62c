// Shared pieces of the in-process Sparkplug tests: a full sparkplug config, a logger whose lines the
// test can read, and polling until something a user would see has happened.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { SparkplugConfig } from '../../src/config/schema.js';

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
