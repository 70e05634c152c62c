// A silently dead uplink (packets dropped, no FIN, no RST) between the edge node and a real mosquitto,
// made by a TCP proxy in the test: a change published into it is not lost. When the keepalive notices,
// the NDATA sent since the broker last answered a ping is stored, and after the reconnect it follows
// the birth as historical with its original time.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { createBdSeqCounter } from '../../src/sparkplug/bdseq.js';
import { startEdgeNode } from '../../src/sparkplug/edge-node.js';
import type { MetricValue } from '../../src/sparkplug/metrics.js';
import { createSentWindow } from '../../src/sparkplug/sent-window.js';
import { createForwardQueue } from '../../src/sparkplug/store-forward.js';
import { CI, missingTools } from '../system-tools.js';
import { config, logCapture, waitUntil } from './harness.js';
import { silentableProxy, startBroker, subscribe, type Received } from './peers.js';

const missing = missingTools('mosquitto', 'mosquittoClients');
const suite = missing && !CI ? describe.skip : describe;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const is = (type: string) => (m: Received) => m.topic === `spBv1.0/g/${type}/e`;
const psu = (m: Received) => m.payload.metrics.find((x) => x.name === 'PSU/1/OK');

suite('Sparkplug over a silently dead uplink', () => {
  it('a change sent before the keepalive noticed arrives after the reconnect, historical, with its time', async () => {
    const broker = await startBroker();
    cleanups.push(() => broker.stop());
    const proxy = await silentableProxy(broker.port);
    cleanups.push(() => proxy.close());
    const sub = await subscribe(broker.port, 'spBv1.0/g/#');
    cleanups.push(() => sub.stop());
    let ok = true;
    const metrics = (): MetricValue[] => [{ name: 'PSU/1/OK', datatype: 'Boolean', value: ok }];
    const log = logCapture();
    const n = startEdgeNode({
      config: config(`mqtt://127.0.0.1:${proxy.port}`),
      current: () => ({ metrics: metrics(), atMs: Date.now() }),
      bdSeq: createBdSeqCounter(null, () => undefined),
      queue: createForwardQueue(null, 1 << 20, () => undefined),
      logger: log.logger,
      connect,
      keepaliveS: 1,
    });
    cleanups.push(() => n.stop());
    await sub.waitFor(is('NBIRTH'), 10_000);
    await new Promise((r) => setTimeout(r, 1500)); // a ping round trip: the birth is confirmed

    proxy.silence();
    ok = false;
    const lostAtMs = Date.now();
    n.update(metrics(), lostAtMs);
    await waitUntil(() => log.lines.some((l) => l.includes('connection lost;')), 15_000);
    expect(
      sub.messages.some((m) => is('NDATA')(m) && psu(m)?.value === false),
      'the live NDATA went into the void',
    ).toBe(false);

    const before = sub.messages.length;
    proxy.restore();
    const birth = await sub.waitFor(is('NBIRTH'), 30_000, before);
    const replayed = await sub.waitFor((m) => is('NDATA')(m) && psu(m)?.isHistorical === true, 10_000, before);
    expect(psu(replayed)).toMatchObject({ value: false, timestamp: lostAtMs });
    expect(sub.messages.indexOf(replayed)).toBeGreaterThan(sub.messages.indexOf(birth));
  }, 60_000);

  it('a clean stop over a silent uplink (NDEATH never acknowledged) keeps the unconfirmed change for the next run', async () => {
    const broker = await startBroker();
    cleanups.push(() => broker.stop());
    const proxy = await silentableProxy(broker.port);
    cleanups.push(() => proxy.close());
    const sub = await subscribe(broker.port, 'spBv1.0/g/#');
    cleanups.push(() => sub.stop());
    const dir = mkdtempSync(join(tmpdir(), 'twinfeed-sp-stop-'));
    let ok = true;
    const metrics = (): MetricValue[] => [{ name: 'PSU/1/OK', datatype: 'Boolean', value: ok }];
    const queue = createForwardQueue(dir, 1 << 20, () => undefined);
    const n = startEdgeNode({
      config: config(`mqtt://127.0.0.1:${proxy.port}`),
      current: () => ({ metrics: metrics(), atMs: Date.now() }),
      bdSeq: createBdSeqCounter(null, () => undefined),
      queue,
      window: createSentWindow({ stateDir: dir }),
      logger: logCapture().logger,
      connect,
    });
    await sub.waitFor(is('NBIRTH'), 10_000);
    proxy.silence();
    ok = false;
    const lostAtMs = Date.now();
    n.update(metrics(), lostAtMs);
    await n.stop();
    // The next run: the previous window, then the previous queue.
    const next = createForwardQueue(dir, 1 << 20, () => undefined);
    await next.load(await createSentWindow({ stateDir: dir }).recover());
    expect(next.drain().some((c) => c.atMs === lostAtMs && c.metrics.some((m) => m.name === 'PSU/1/OK' && m.value === false))).toBe(true);
  }, 60_000);
});
