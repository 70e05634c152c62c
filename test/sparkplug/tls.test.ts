// The edge node over mqtts:// against a mosquitto TLS listener that requires client certificates, all
// made by openssl for the test: with the right CA, certificate and key it births; with the wrong CA it
// is one clear "TLS failed" log line and the SPARKPLUG_FAULT input, and it never connects.
import { afterEach, describe, expect, it } from 'vitest';
import type { SparkplugConfig } from '../../src/config/schema.js';
import type { EdgeNode } from '../../src/sparkplug/edge-node.js';
import { CI, missingTools } from '../system-tools.js';
import { makeTestPki } from './certs.js';
import { config, logCapture, testNode, waitUntil } from './harness.js';
import { startBroker, subscribe } from './peers.js';

const missing = missingTools('mosquitto', 'mosquittoClients', 'openssl');
if (missing && !CI) console.warn(`SKIP sparkplug TLS tests: ${missing}`);
const suite = missing && !CI ? describe.skip : describe;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const node = (cfg: SparkplugConfig, logger: ReturnType<typeof logCapture>['logger']): EdgeNode => testNode(cfg, logger, cleanups);

suite('Sparkplug edge node over TLS (mqtts://, a test CA, client certificates)', () => {
  it('births with the right CA, certificate and key; the wrong CA is one clear log line and the fault', async () => {
    const pki = makeTestPki();
    const broker = await startBroker(undefined, undefined, { ca: pki.ca, cert: pki.serverCert, key: pki.serverKey });
    cleanups.push(() => broker.stop());
    expect(broker.url).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
    const sub = await subscribe(broker.port, 'spBv1.0/g/#', ['--cafile', pki.ca, '--cert', pki.clientCert, '--key', pki.clientKey]);
    cleanups.push(() => sub.stop());

    const good = logCapture();
    const ok = node(config(broker.url, { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey }), good.logger);
    const birth = await sub.waitFor((m) => m.topic === 'spBv1.0/g/NBIRTH/e', 15_000);
    expect(birth.payload.metrics.find((m) => m.name === 'PSU/1/OK')?.value).toBe(true);
    expect(ok.fault()).toBeNull();

    const bad = logCapture();
    const wrong = node(config(broker.url, { edgeNodeId: 'e2', ca: pki.otherCa, cert: pki.clientCert, key: pki.clientKey }), bad.logger);
    await waitUntil(() => wrong.fault() !== null, 15_000);
    // Two attempts at least (the first retry is 0.5–1 s later): still one line.
    await new Promise((r) => setTimeout(r, 2000));
    const tls = bad.lines.filter((l) => l.includes('TLS failed'));
    expect(tls, bad.lines.join('\n')).toHaveLength(1);
    expect(tls[0]).toMatch(/check sparkplug\.ca \/ cert \/ key/);
    expect(wrong.fault()).toMatch(/TLS failed/);
    expect(wrong.stats.connects).toBe(0);
    expect(sub.messages.some((m) => m.topic === 'spBv1.0/g/NBIRTH/e2')).toBe(false);
  }, 60_000);
});
