// sparkplug.primaryHostId against a real mosquitto, the host's STATE published retained with
// mosquitto_pub: no birth before {"online": true}; changes meanwhile are stored and follow the birth as
// historical; {"online": false} ends the session with NDEATH and stores until the host is back.
import { connect } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { createBdSeqCounter } from '../../src/sparkplug/bdseq.js';
import { startEdgeNode } from '../../src/sparkplug/edge-node.js';
import type { MetricValue } from '../../src/sparkplug/metrics.js';
import { createForwardQueue } from '../../src/sparkplug/store-forward.js';
import { CI, missingTools } from '../system-tools.js';
import { config, logCapture, waitUntil } from './harness.js';
import { publishRaw, startBroker, subscribe, type Received } from './peers.js';

const missing = missingTools('mosquitto', 'mosquittoClients');
const suite = missing && !CI ? describe.skip : describe;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const is = (type: string) => (m: Received) => m.topic === `spBv1.0/g/${type}/e`;
const psu = (m: Received) => m.payload.metrics.find((x) => x.name === 'PSU/1/OK');

suite('Sparkplug primary host STATE', () => {
  it('births wait for online; offline ends the session and stores; online again: birth, stored changes as historical, live', async () => {
    const broker = await startBroker();
    cleanups.push(() => broker.stop());
    const sub = await subscribe(broker.port, 'spBv1.0/g/#');
    cleanups.push(() => sub.stop());
    const state = (online: boolean) =>
      publishRaw(broker.port, 'spBv1.0/STATE/scada', new TextEncoder().encode(JSON.stringify({ online, timestamp: Date.now() })), ['-r', '-q', '1']);
    let ok = true;
    const metrics = (): MetricValue[] => [{ name: 'PSU/1/OK', datatype: 'Boolean', value: ok }];
    const log = logCapture();
    const n = startEdgeNode({
      config: config(broker.url, { primaryHostId: 'scada' }),
      current: () => ({ metrics: metrics(), atMs: Date.now() }),
      bdSeq: createBdSeqCounter(null, () => undefined),
      queue: createForwardQueue(null, 1 << 20, () => undefined),
      logger: log.logger,
      connect,
    });
    cleanups.push(() => n.stop());
    await waitUntil(() => n.stats.connects === 1, 10_000);

    // Connected, but no host yet: a change is stored, nothing is born; a STATE that is not JSON is one log line.
    ok = false;
    const failedAtMs = Date.now() - 1000;
    n.update(metrics(), failedAtMs);
    publishRaw(broker.port, 'spBv1.0/STATE/scada', new TextEncoder().encode('garbage'));
    await waitUntil(() => log.lines.some((l) => l.includes('not Sparkplug 3.0 JSON')), 5000);
    await sleep(500);
    expect(sub.messages.filter(is('NBIRTH'))).toHaveLength(0);

    state(true);
    const birth = await sub.waitFor(is('NBIRTH'), 10_000);
    expect(psu(birth)?.value).toBe(false);
    const stored = await sub.waitFor((m) => is('NDATA')(m) && psu(m)?.isHistorical === true, 10_000);
    expect(psu(stored)).toMatchObject({ value: false, timestamp: failedAtMs });
    expect(stored.payload.seq).toBe(1);
    ok = true;
    n.update(metrics(), Date.now());
    const live = await sub.waitFor((m) => is('NDATA')(m) && psu(m)?.value === true, 10_000);
    expect(psu(live)?.isHistorical).toBeUndefined();

    // The host goes offline: NDEATH with the birth's bdSeq; what changes meanwhile waits for it.
    const before = sub.messages.length;
    state(false);
    const death = await sub.waitFor(is('NDEATH'), 10_000, before);
    expect(death.payload.metrics).toMatchObject([{ name: 'bdSeq', value: 0 }]);
    await waitUntil(() => n.stats.connects === 2, 10_000);
    ok = false;
    const againAtMs = Date.now();
    n.update(metrics(), againAtMs);
    await sleep(500);
    expect(sub.messages.slice(before).filter(is('NBIRTH'))).toHaveLength(0);

    state(true);
    const reborn = await sub.waitFor(is('NBIRTH'), 10_000, before);
    expect(reborn.payload.metrics.find((x) => x.name === 'bdSeq')?.value).toBe(1);
    const forwarded = await sub.waitFor((m) => is('NDATA')(m) && psu(m)?.isHistorical === true, 10_000, before);
    expect(psu(forwarded)).toMatchObject({ value: false, timestamp: againAtMs });
    expect(sub.messages.indexOf(forwarded)).toBeGreaterThan(sub.messages.indexOf(reborn));
  }, 90_000);
});
