// `twinfeed run` as a Sparkplug B edge node against a real mosquitto, read by mosquitto_sub and decoded
// by the tests' own decoder: the birth lists the whole status, seq counts in order, only changes are
// sent, a Rebirth NCMD republishes the birth, kill -9 gets the NDEATH Will delivered with the birth's
// bdSeq, and a restart counts bdSeq on from the stateDir and says goodbye itself on SIGTERM.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CI, missingTools } from '../system-tools.js';
import { ensureBuilt } from '../cli/cli-helpers.js';
import { freePort, publishRaw, startBroker, startRun as startPeerRun, subscribe, type Broker, type Received, type Subscriber } from './peers.js';
import { ncmdPayload, rebirthCommand, type WireMetric } from './wire.js';

const missing = missingTools('mosquitto', 'mosquittoClients');
if (missing && !CI) console.warn(`SKIP sparkplug tests: ${missing}`);
const suite = missing && !CI ? describe.skip : describe;

const T = 'spBv1.0/tf-test';
let broker: Broker;
let sub: Subscriber;
const stateDir = mkdtempSync(join(tmpdir(), 'twinfeed-sp-state-'));
let httpPort = 0;

const startRun = (extra = '', url = broker.url) => startPeerRun({ url, stateDir, httpPort, extra });

const sim = (knobs: Record<string, unknown>) =>
  fetch(`http://127.0.0.1:${httpPort}/sim`, { method: 'POST', body: JSON.stringify(knobs) }).then((r) => expect(r.status).toBe(200));
const metric = (m: Received, name: string): WireMetric | undefined => m.payload.metrics.find((x) => x.name === name);
const waitFor = async (ok: () => boolean, timeoutMs: number) => {
  for (const end = Date.now() + timeoutMs; !ok(); await new Promise((r) => setTimeout(r, 50))) if (Date.now() > end) throw new Error('timed out');
};
const isType = (t: string) => (m: Received) => m.topic === `${T}/${t}/cab1`;

suite('Sparkplug B edge node against mosquitto', () => {
  beforeAll(async () => {
    ensureBuilt();
    broker = await startBroker();
    httpPort = await freePort();
    sub = await subscribe(broker.port, `${T}/#`);
  }, 300_000);
  afterAll(async () => {
    await sub?.stop();
    await broker?.stop();
  });

  it('births, reports by exception in seq order, rebirths on NCMD, and dies by the Will on kill -9', async () => {
    const run = startRun();
    try {
      const birth = await sub.waitFor(isType('NBIRTH'), 30_000);
      expect(birth.payload.seq).toBe(0);
      expect(metric(birth, 'bdSeq')).toMatchObject({ datatype: 4, value: 0 });
      expect(metric(birth, 'Node Control/Rebirth')).toMatchObject({ datatype: 11, value: false });
      expect(metric(birth, 'Power/Source')).toMatchObject({ datatype: 12, value: 'A' });
      expect(metric(birth, 'Power/Transfer State')).toMatchObject({ value: 'closed' });
      expect(metric(birth, 'PSU/3/OK')).toMatchObject({ datatype: 11, value: true });
      expect(metric(birth, 'Feeds/A/Voltage V')).toMatchObject({ datatype: 10 });
      expect(metric(birth, 'Alarms/UPS_ON_BATTERY/Active')).toMatchObject({ value: false });
      expect(metric(birth, 'Properties/Config Hash')?.value).toMatch(/^[0-9a-f]{64}$/);
      expect(metric(birth, 'Commands/Set Mode'), 'no command metrics with commands: false').toBeUndefined();
      for (const g of [
        'Breakers/B/Closed',
        'Generator/State',
        'UPS/Charge %',
        'Power/Timer/Name',
        'Counters/Transfers',
        'Counters/Relay Operations/breaker.A.closeCmd',
      ]) {
        expect(metric(birth, g), g).toBeDefined();
      }
      const born = new Set(birth.payload.metrics.map((m) => m.name));
      const at = sub.messages.indexOf(birth);

      // A PSU fails: its metric (and what follows from it) arrives as NDATA, alone, with the scan's time.
      await sim({ 'psu.3.ok': false });
      const psu = await sub.waitFor((m) => isType('NDATA')(m) && metric(m, 'PSU/3/OK')?.value === false, 10_000, at);
      expect(psu.payload.metrics.length).toBeLessThan(10);
      expect(metric(psu, 'Power/Source')).toBeUndefined();
      expect(metric(psu, 'PSU/3/OK')?.timestamp).toBe(psu.payload.timestamp);
      // A sag within the 1 V deadband is not sent; one beyond it is.
      await sim({ 'feed.A.voltage': 229.6 });
      await new Promise((r) => setTimeout(r, 1000));
      await sim({ 'feed.A.voltage': 226 });
      const sag = await sub.waitFor((m) => isType('NDATA')(m) && metric(m, 'Feeds/A/Voltage V') !== undefined, 10_000, at);
      expect(metric(sag, 'Feeds/A/Voltage V')?.value).toBeCloseTo(226, 0);

      // Rebirth: the same bdSeq, seq from 0 again, then NDATA from 1.
      const before = sub.messages.length;
      publishRaw(broker.port, `${T}/NCMD/cab1`, rebirthCommand(Date.now()));
      const again = await sub.waitFor(isType('NBIRTH'), 10_000, before);
      expect(again.payload.seq).toBe(0);
      expect(metric(again, 'bdSeq')?.value).toBe(0);
      expect(metric(again, 'PSU/3/OK')?.value).toBe(false);
      // With sparkplug.commands false (the default), a command metric is ignored and says why.
      publishRaw(broker.port, `${T}/NCMD/cab1`, ncmdPayload(Date.now(), [{ name: 'Commands/Set Mode', datatype: 12, value: 'manual' }]));
      await waitFor(() => run.output().includes('commands over NCMD are off'), 10_000);
      await sim({ 'psu.3.ok': true });
      const after = await sub.waitFor((m) => isType('NDATA')(m) && metric(m, 'PSU/3/OK')?.value === true, 10_000, before);
      expect(after.payload.seq).toBe(1);

      // Every message of the session: seq +1 each, every NDATA metric born and different from the value before it.
      const session = sub.messages.slice(at).filter((m) => isType('NBIRTH')(m) || isType('NDATA')(m));
      const last = new Map<string, unknown>();
      let seq = -1;
      for (const m of session) {
        if (isType('NBIRTH')(m)) seq = -1;
        expect(m.payload.seq).toBe((seq + 1) % 256);
        seq = m.payload.seq ?? -1;
        for (const x of m.payload.metrics) {
          if (isType('NDATA')(m)) {
            expect(born.has(x.name ?? ''), x.name).toBe(true);
            expect(x.isNull ? null : x.value, `${x.name} sent without a change`).not.toEqual(last.get(x.name ?? ''));
          }
          last.set(x.name ?? '', x.isNull ? null : x.value);
        }
      }

      // kill -9: no goodbye from us; the broker delivers the Will with the birth's bdSeq.
      const killedAt = sub.messages.length;
      run.child.kill('SIGKILL');
      const death = await sub.waitFor(isType('NDEATH'), 10_000, killedAt);
      expect(death.payload.seq).toBeUndefined();
      expect(death.payload.metrics).toMatchObject([{ name: 'bdSeq', datatype: 4, value: 0 }]);
    } finally {
      run.child.kill('SIGKILL');
      await run.exited;
    }
  }, 120_000);

  it('a restart counts bdSeq on from the stateDir, and SIGTERM publishes NDEATH before exiting 0', async () => {
    const from = sub.messages.length;
    const run = startRun();
    try {
      const birth = await sub.waitFor(isType('NBIRTH'), 30_000, from);
      expect(metric(birth, 'bdSeq')?.value).toBe(1);
      run.child.kill('SIGTERM');
      expect(await run.exited, run.output()).toBe(0);
      const death = await sub.waitFor(isType('NDEATH'), 10_000, from);
      expect(metric(death, 'bdSeq')?.value).toBe(1);
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 120_000);
  it('commands over NCMD (commands: true): listed in the birth, through the controller gate with their origin; refusals and garbage are logged', async () => {
    const from = sub.messages.length;
    const run = startRun('  commands: true\n');
    const ncmd = (metrics: Parameters<typeof ncmdPayload>[1]) => publishRaw(broker.port, `${T}/NCMD/cab1`, ncmdPayload(Date.now(), metrics));
    try {
      const birth = await sub.waitFor(isType('NBIRTH'), 30_000, from);
      expect(metric(birth, 'Commands/Transfer To')).toMatchObject({ datatype: 12, value: '' });
      expect(metric(birth, 'Commands/Start Test On Load ms')).toMatchObject({ datatype: 4, value: 0 });
      expect(metric(birth, 'Commands/Ack Alarms')).toMatchObject({ datatype: 11, value: false });
      // Garbage bytes, a wrong type, and a command the controller refuses: each one log line, nothing stalls.
      publishRaw(broker.port, `${T}/NCMD/cab1`, Uint8Array.from([0xff, 0xff, 0xff, 0x0f, 0x12]));
      ncmd([{ name: 'Commands/Transfer To', datatype: 4, value: 5 }]);
      ncmd([{ name: 'Commands/Transfer To', datatype: 12, value: 'B' }]);
      await waitFor(() => /NCMD command refused: mode is auto/.test(run.output()), 10_000);
      expect(run.output()).toMatch(/not a Sparkplug B payload/);
      expect(run.output()).toMatch(/Commands\/Transfer To: expects a String/);
      ncmd([{ name: 'Commands/Set Mode', datatype: 12, value: 'manual' }]);
      const manual = await sub.waitFor((m) => isType('NDATA')(m) && metric(m, 'Power/Mode')?.value === 'manual', 10_000, from);
      ncmd([{ name: 'Commands/Set Mode', datatype: 12, value: 'auto' }]);
      await sub.waitFor((m) => isType('NDATA')(m) && metric(m, 'Power/Mode')?.value === 'auto', 10_000, sub.messages.indexOf(manual));
      // The controller's own command events name where the command came from.
      expect(run.output()).toMatch(/"type":"command","name":"setMode","accepted":true[^}]*"origin":"sparkplug:host"/);
    } finally {
      run.child.kill('SIGKILL');
      await run.exited;
    }
  }, 120_000);
  it('a broker that refuses the password: one clear log line, SPARKPLUG_FAULT in /status, the controller keeps controlling', async () => {
    const locked = await startBroker(undefined, { someone: 'else' });
    const dir = mkdtempSync(join(tmpdir(), 'twinfeed-sp-pw-'));
    writeFileSync(join(dir, 'pw'), 'wrong\n');
    const run = startRun(`  username: cab1\n  passwordFile: ${join(dir, 'pw')}\n`, locked.url);
    try {
      const status = () => fetch(`http://127.0.0.1:${httpPort}/status`).then((r) => r.json() as Promise<{ alarms: string[]; source: string }>);
      await waitFor(() => /sparkplug: the broker refused the connection/.test(run.output()), 30_000);
      let s = await status().catch(() => ({ alarms: [] as string[], source: '' }));
      for (const end = Date.now() + 10_000; !s.alarms.includes('SPARKPLUG_FAULT') && Date.now() < end;) {
        await new Promise((r) => setTimeout(r, 100));
        s = await status();
      }
      expect(s.alarms).toContain('SPARKPLUG_FAULT');
      // Control goes on: a utility failure is still answered (the source leaves A).
      await sim({ 'feed.A.voltage': 0 });
      for (const end = Date.now() + 30_000; (await status()).source === 'A' && Date.now() < end;) await new Promise((r) => setTimeout(r, 200));
      expect((await status()).source).not.toBe('A');
      expect(run.output().match(/broker refused the connection/g)).toHaveLength(1);
    } finally {
      run.child.kill('SIGKILL');
      await run.exited;
      await locked.stop();
    }
  }, 120_000);
  it('store-and-forward: changes while the broker is down, or across a controller restart, arrive after the birth, historical, in order', async () => {
    await sub.stop();
    const port = broker.port;
    const birthOf = (m: Received) => isType('NBIRTH')(m);
    const historical = (name: string, value: unknown) => (m: Received) =>
      isType('NDATA')(m) && m.payload.metrics.some((x) => x.name === name && x.value === value && x.isHistorical === true);

    // A controller restart: a PSU fails while the broker is down, the controller stops; both come back.
    let run = startRun();
    await new Promise((r) => setTimeout(r, 1500));
    await broker.stop();
    await new Promise((r) => setTimeout(r, 500));
    await sim({ 'psu.2.ok': false });
    await new Promise((r) => setTimeout(r, 1000));
    run.child.kill('SIGTERM');
    expect(await run.exited, run.output()).toBe(0);
    broker = await startBroker(port);
    sub = await subscribe(port, `${T}/#`);
    run = startRun();
    try {
      const birth = await sub.waitFor(birthOf, 30_000);
      expect(metric(birth, 'PSU/2/OK')?.value).toBe(true); // a fresh sim plant: the PSU is fine now
      const old = await sub.waitFor(historical('PSU/2/OK', false), 10_000);
      expect(sub.messages.indexOf(old)).toBeGreaterThan(sub.messages.indexOf(birth));
      // Before it only historical NDATA, seq 1, 2, …: the NDATA sent before the broker went away that no
      // ping had confirmed yet are replayed first (at least once: README, Sparkplug B).
      const between = sub.messages.slice(sub.messages.indexOf(birth) + 1, sub.messages.indexOf(old) + 1);
      expect(between.map((m) => m.payload.seq)).toEqual(between.map((_, i) => i + 1));
      for (const m of between) expect(isType('NDATA')(m) && m.payload.metrics.every((x) => x.isHistorical === true)).toBe(true);
      expect(metric(old, 'PSU/2/OK')?.timestamp).toBeLessThan(birth.payload.timestamp ?? 0);

      // A broker restart under a running controller: the change made meanwhile is forwarded, flagged historical.
      await sub.stop();
      await broker.stop();
      await new Promise((r) => setTimeout(r, 500));
      await sim({ 'psu.1.ok': false });
      await new Promise((r) => setTimeout(r, 500));
      const changedAtMs = Date.now();
      broker = await startBroker(port);
      sub = await subscribe(port, `${T}/#`);
      const reborn = await sub.waitFor(birthOf, 30_000);
      expect(metric(reborn, 'PSU/1/OK')?.value).toBe(false);
      const fwd = await sub.waitFor(historical('PSU/1/OK', false), 10_000);
      expect(metric(fwd, 'PSU/1/OK')?.timestamp).toBeLessThan(changedAtMs);
      expect(sub.messages.indexOf(fwd)).toBeGreaterThan(sub.messages.indexOf(reborn));
    } finally {
      run.child.kill('SIGKILL');
      await run.exited;
    }
  }, 180_000);
});
