// The edge node's MQTT shell in-process against a real mosquitto: a wrong password is one clear log
// line (not one per retry), the right one from passwordFile connects, and a restarted broker gets a
// new connection with the next bdSeq after a backoff.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'mqtt';
import type { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { SparkplugConfig } from '../../src/config/schema.js';
import { createBdSeqCounter } from '../../src/sparkplug/bdseq.js';
import { startEdgeNode, type EdgeNode } from '../../src/sparkplug/edge-node.js';
import { createForwardQueue } from '../../src/sparkplug/store-forward.js';
import { CI, missingTools } from '../system-tools.js';
import { config, logCapture, testNode, waitUntil } from './harness.js';
import { freePort, startBroker, subscribe, type Broker, type Subscriber } from './peers.js';

const missing = missingTools('mosquitto', 'mosquittoClients');
const suite = missing && !CI ? describe.skip : describe;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const node = (cfg: SparkplugConfig, logger: pino.Logger): EdgeNode => testNode(cfg, logger, cleanups);

suite('Sparkplug edge node MQTT session', () => {
  it('a wrong password is one clear log line; the password from passwordFile connects and births', async () => {
    const broker: Broker = await startBroker(undefined, { cab: 's3cret' });
    cleanups.push(() => broker.stop());
    const dir = mkdtempSync(join(tmpdir(), 'twinfeed-sp-pw-'));
    writeFileSync(join(dir, 'bad'), 'wrong\n');
    writeFileSync(join(dir, 'good'), 's3cret\n');
    const bad = logCapture();
    const n = node(config(broker.url, { username: 'cab', passwordFile: join(dir, 'bad') }), bad.logger);
    // Two attempts at least (the first retry is 0.5–1 s later): still one line.
    await waitUntil(() => bad.lines.length > 0, 10_000);
    await new Promise((r) => setTimeout(r, 2500));
    const refusals = bad.lines.filter((l) => l.includes('refused'));
    expect(refusals.length, bad.lines.join('\n')).toBe(1);
    expect(refusals[0]).toMatch(/broker refused the connection: (bad username or password|not authorized)/);
    expect(n.stats.connects).toBe(0);
    expect(n.fault(), 'a refusal is the SPARKPLUG_FAULT input at once').toMatch(/refused/);

    const sub: Subscriber = await subscribeAs(broker);
    const good = logCapture();
    const ok = node(config(broker.url, { username: 'cab', passwordFile: join(dir, 'good') }), good.logger);
    await sub.waitFor((m) => m.topic === 'spBv1.0/g/NBIRTH/e', 10_000);
    expect(ok.stats.connects).toBe(1);
    expect(ok.fault()).toBeNull();
  }, 60_000);

  it('reconnects to a restarted broker with the next bdSeq', async () => {
    let broker = await startBroker();
    const port = broker.port;
    cleanups.push(() => broker.stop());
    let sub = await subscribe(port, 'spBv1.0/g/#');
    const log = logCapture();
    const n = node(config(broker.url), log.logger);
    const first = await sub.waitFor((m) => m.topic === 'spBv1.0/g/NBIRTH/e', 10_000);
    expect(first.payload.metrics[0]).toMatchObject({ name: 'bdSeq', value: 0 });
    await sub.stop();
    await broker.stop();
    await waitUntil(() => log.lines.some((l) => l.includes('nothing listens')), 10_000);
    broker = await startBroker(port);
    sub = await subscribe(port, 'spBv1.0/g/#');
    cleanups.push(() => sub.stop());
    const second = await sub.waitFor((m) => m.topic === 'spBv1.0/g/NBIRTH/e', 30_000);
    // One CONNECT refused while the broker was down counts too: the bdSeq only ever goes up.
    expect(second.payload.metrics[0]?.value).toBeGreaterThanOrEqual(1);
    expect(second.payload.seq).toBe(0);
    expect(n.stats.connects).toBe(2);
  }, 90_000);
});

suite('Sparkplug edge node fault (the SPARKPLUG_FAULT input)', () => {
  it('a broker out of reach is a fault only after unreachableFaultMs; a connection clears it', async () => {
    const port = await freePort();
    const n = startEdgeNode({
      config: config(`mqtt://127.0.0.1:${port}`),
      current: () => ({ metrics: [{ name: 'PSU/1/OK', datatype: 'Boolean', value: true }], atMs: Date.now() }),
      bdSeq: createBdSeqCounter(null, () => undefined),
      queue: createForwardQueue(null, 1 << 20, () => undefined),
      logger: logCapture().logger,
      connect,
      unreachableFaultMs: 1500,
    });
    cleanups.push(() => n.stop());
    await new Promise((r) => setTimeout(r, 500));
    expect(n.fault()).toBeNull();
    await waitUntil(() => n.fault() !== null, 10_000);
    expect(n.fault()).toMatch(/no connection to the broker for \d+ s/);
    const broker = await startBroker(port);
    cleanups.push(() => broker.stop());
    await waitUntil(() => n.stats.connects === 1, 30_000);
    expect(n.fault()).toBeNull();
  }, 60_000);
});

async function subscribeAs(broker: Broker): Promise<Subscriber> {
  // The password-protected broker: mosquitto_sub with the same user.
  const s = await subscribe(broker.port, 'spBv1.0/g/#', ['-u', 'cab', '-P', 's3cret']);
  cleanups.push(() => s.stop());
  return s;
}
