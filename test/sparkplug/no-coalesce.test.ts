// Events are never coalesced away: several scans handled in one tick (a fast simulation, or a busy
// event loop) where a transfer begins and ends still give one NDATA per scan with changes, each value in
// order with its own scan's timestamp, through startSparkplug against a real mosquitto.
import { connect } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import type { ControllerEvent, TransferStateName } from '../../src/core/types.js';
import type { Published } from '../../src/io/controller-port.js';
import { startSparkplug } from '../../src/sparkplug/start.js';
import { published, sampleStatus } from '../scada/fakes.js';
import { CI, missingTools } from '../system-tools.js';
import { logCapture } from './harness.js';
import { startBroker, subscribe, type Received } from './peers.js';

const missing = missingTools('mosquitto', 'mosquittoClients');
const suite = missing && !CI ? describe.skip : describe;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

suite('Sparkplug report by exception keeps every event', () => {
  it('a transfer that begins and ends between two ticks: every state goes out, in order, each with its scan time', async () => {
    const broker = await startBroker();
    cleanups.push(() => broker.stop());
    const sub = await subscribe(broker.port, 'spBv1.0/g/#');
    cleanups.push(() => sub.stop());
    const cfg = validateConfig({ sparkplug: { broker: broker.url, groupId: 'g', edgeNodeId: 'e' } }, 'test');
    let current: Published = published(sampleStatus(), { atMs: Date.now() });
    let listener: ((events: readonly ControllerEvent[], atMs: number) => void) | undefined;
    const node = await startSparkplug(cfg, { latest: () => current, onEvents: (l) => ((listener = l), () => undefined) }, logCapture().logger, connect);
    if (!node) throw new Error('sparkplug did not start');
    cleanups.push(() => node.stop());
    await sub.waitFor((m) => m.topic === 'spBv1.0/g/NBIRTH/e', 10_000);

    // Five scans in one tick, 1 ms apart: closed → opening → neutral → closing → closed.
    const t0 = Date.now();
    const states: TransferStateName[] = ['opening', 'neutral', 'closing', 'closed'];
    states.forEach((transfer, i) => {
      current = published({ ...sampleStatus(), transfer }, { atMs: t0 + i + 1 });
      listener?.([], t0 + i + 1);
    });
    const transferData = (m: Received) => m.topic === 'spBv1.0/g/NDATA/e' && m.payload.metrics.some((x) => x.name === 'Power/Transfer State');
    await sub.waitFor((m) => transferData(m) && m.payload.metrics.some((x) => x.value === 'closed'), 10_000);
    const sent = sub.messages.filter(transferData).flatMap((m) => m.payload.metrics.filter((x) => x.name === 'Power/Transfer State'));
    expect(sent.map((x) => x.value)).toEqual(states);
    expect(sent.map((x) => x.timestamp)).toEqual([t0 + 1, t0 + 2, t0 + 3, t0 + 4]);
  }, 60_000);
});
