// `twinfeed run` killed during a silent uplink outage: the PSU change it sent into the dead link (no
// ping answer confirmed it) is in <stateDir>, and the next run sends it after its birth, historical,
// with the time it happened. Real mosquitto, the silent proxy in between, the built CLI.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../cli/cli-helpers.js';
import { CI, missingTools } from '../system-tools.js';
import { freePort, silentableProxy, startBroker, startRun, subscribe, type Received } from './peers.js';

const missing = missingTools('mosquitto', 'mosquittoClients');
const suite = missing && !CI ? describe.skip : describe;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const isType = (t: string) => (m: Received) => m.topic === `spBv1.0/tf-test/${t}/cab1`;
const psu2 = (m: Received) => m.payload.metrics.find((x) => x.name === 'PSU/2/OK');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

suite('Sparkplug replay window across a controller kill', () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it('a change sent into a silent uplink, then kill -9: the next run sends it after its birth, historical, with its time', async () => {
    const broker = await startBroker();
    cleanups.push(() => broker.stop());
    const proxy = await silentableProxy(broker.port);
    cleanups.push(() => proxy.close());
    const sub = await subscribe(broker.port, 'spBv1.0/tf-test/#');
    cleanups.push(() => sub.stop());
    const stateDir = mkdtempSync(join(tmpdir(), 'twinfeed-sp-kill-'));
    const httpPort = await freePort();
    const first = startRun({ url: `mqtt://127.0.0.1:${proxy.port}`, stateDir, httpPort });
    cleanups.push(async () => void first.child.kill('SIGKILL'));
    await sub.waitFor(isType('NBIRTH'), 30_000);

    // The uplink goes silent (the keepalive of 30 s has not noticed yet); the PSU fails meanwhile.
    proxy.silence();
    const changedAfterMs = Date.now();
    const r = await fetch(`http://127.0.0.1:${httpPort}/sim`, { method: 'POST', body: JSON.stringify({ 'psu.2.ok': false }) });
    expect(r.status).toBe(200);
    await sleep(2000);
    first.child.kill('SIGKILL');
    await first.exited;
    const killedAtMs = Date.now();
    expect(
      sub.messages.some((m) => isType('NDATA')(m) && psu2(m)?.value === false),
      'the NDATA went into the void',
    ).toBe(false);

    // The next run reaches the broker (the link healed): birth, then the lost change.
    const before = sub.messages.length;
    const second = startRun({ url: broker.url, stateDir, httpPort });
    cleanups.push(async () => (second.child.kill('SIGKILL'), void (await second.exited)));
    const birth = await sub.waitFor(isType('NBIRTH'), 30_000, before);
    expect(psu2(birth)?.value, 'a fresh simulated plant: the PSU is fine again').toBe(true);
    const replayed = await sub.waitFor((m) => isType('NDATA')(m) && psu2(m)?.value === false, 10_000, before);
    expect(sub.messages.indexOf(replayed)).toBeGreaterThan(sub.messages.indexOf(birth));
    expect(psu2(replayed)?.isHistorical).toBe(true);
    expect(psu2(replayed)?.timestamp).toBeGreaterThanOrEqual(changedAfterMs);
    expect(psu2(replayed)?.timestamp).toBeLessThan(killedAtMs);
    expect(second.output()).toMatch(/changes stored by the previous run will be forwarded/);
  }, 120_000);
});
