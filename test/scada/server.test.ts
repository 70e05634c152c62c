import { afterEach, describe, expect, it } from 'vitest';
import { startScadaServer, type ScadaServer } from '../../src/scada/server.js';
import { captureLogger, fakeController, frame, rawClient, readPdu, scadaConfig, silentLogger, UPLINK_IDS, write6Pdu, type FakeController } from './fakes.js';
import type { Config } from '../../src/config/schema.js';

let server: ScadaServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(
  over: Partial<Config['scada']> = {},
  controller: FakeController = fakeController(),
  extra: { frameTimeoutMs?: number; logger?: ReturnType<typeof silentLogger> } = {},
) {
  server = await startScadaServer({
    config: scadaConfig(over),
    controller,
    uplinkIds: UPLINK_IDS,
    logger: extra.logger ?? silentLogger(),
    frameTimeoutMs: extra.frameTimeoutMs,
  });
  return server;
}
const words = (f: Buffer | undefined) => (f ? [...Array((f.length - 9) / 2).keys()].map((i) => f.readUInt16BE(9 + 2 * i)) : []);
const exc = (f: Buffer | undefined) => (f ? [f[7], f[8]] : []);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SCADA server on a socket', () => {
  it('serves the status block to the configured unit id and 255, 0x0B to any other, echoing transaction ids', async () => {
    const s = await start();
    const c = await rawClient(s.port);
    c.send(Buffer.concat([frame(7, 1, readPdu(3, 0, 5)), frame(8, 255, readPdu(4, 0, 5)), frame(9, 2, readPdu(3, 0, 5))]));
    const [a, b, d] = await c.next(3);
    expect(words(a)).toEqual([1, 0, 1, 1, 1]);
    expect(words(b)).toEqual([1, 0, 1, 1, 1]);
    expect([a?.readUInt16BE(0), b?.readUInt16BE(0), d?.readUInt16BE(0)]).toEqual([7, 8, 9]);
    expect(d?.[6]).toBe(2);
    expect(exc(d)).toEqual([0x83, 0x0b]);
    c.close();
  });

  it('rebuilds the image once per published scan and never submits for a read', async () => {
    const ctl = fakeController();
    const s = await start({}, ctl);
    const c = await rawClient(s.port);
    for (let i = 0; i < 5; i++) c.send(frame(i, 1, readPdu(3, 36, 2)));
    await c.next(5);
    ctl.publish(() => ({ uptimeS: 70_000 }));
    c.send(frame(9, 1, readPdu(3, 36, 2)));
    expect(words((await c.next())[0])).toEqual([1, 70_000 - 65_536]);
    expect(s.stats().imageBuilds).toBe(2);
    expect(ctl.submitted).toEqual([]);
    c.close();
  });

  it('closes only the connection that sent a malformed frame', async () => {
    const s = await start();
    const good = await rawClient(s.port);
    const bad = await rawClient(s.port);
    bad.send(Buffer.from([0, 1, 0, 9, 0, 6, 1, 3, 0, 0, 0, 1]));
    await bad.closed;
    good.send(frame(1, 1, readPdu(3, 0, 1)));
    expect(words((await good.next())[0])).toEqual([1]);
    expect(s.stats().malformedClosed).toBe(1);
    good.close();
  });

  it('refuses the connection beyond maxConnections and accepts again when one leaves', async () => {
    const s = await start({ maxConnections: 2 });
    const a = await rawClient(s.port);
    const b = await rawClient(s.port);
    a.send(frame(1, 1, readPdu(3, 0, 1)));
    await a.next();
    const third = await rawClient(s.port);
    await third.closed;
    expect(s.stats().refused).toBe(1);
    a.close();
    await a.closed;
    await sleep(50);
    const d = await rawClient(s.port);
    d.send(frame(1, 1, readPdu(3, 0, 1)));
    expect(words((await d.next())[0])).toEqual([1]);
    b.close();
    d.close();
  });

  it('closes a connection that sends no complete frame within the idle timeout', async () => {
    const s = await start({ idleTimeoutMs: 300 });
    const idle = await rawClient(s.port);
    const t0 = Date.now();
    await idle.closed;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(s.stats().timeoutClosed).toBe(1);
  });

  it('closes a connection that trickles a frame (slowloris) long before the idle timeout; others stay', async () => {
    const s = await start({ idleTimeoutMs: 60_000 }, fakeController(), { frameTimeoutMs: 300 });
    const quiet = await rawClient(s.port);
    const slow = await rawClient(s.port);
    const f = frame(1, 1, readPdu(3, 0, 1));
    let i = 0;
    const drip = setInterval(() => {
      if (i < f.length) slow.send(f.subarray(i, ++i));
    }, 60);
    await slow.closed;
    clearInterval(drip);
    expect(i).toBeLessThan(f.length);
    quiet.send(f);
    expect(words((await quiet.next())[0])).toEqual([1]);
    expect(s.stats().timeoutClosed).toBe(1);
    quiet.close();
  });

  it('answers a burst from a client that does not read, in order, without losing frames', async () => {
    const s = await start();
    const c = await rawClient(s.port);
    c.socket.pause();
    const n = 5000;
    c.send(Buffer.concat(Array.from({ length: n }, (_, i) => frame(i, 1, readPdu(3, 0, 100)))));
    await sleep(300);
    c.socket.resume();
    const got = await c.next(n, 20_000);
    expect(got.map((g) => g.readUInt16BE(0))).toEqual(Array.from({ length: n }, (_, i) => i));
    c.close();
  });
});

describe('writes over the socket', () => {
  it('with writes disabled: exception 01, status 5, and the attempt is logged with the client address', async () => {
    const cap = captureLogger();
    const ctl = fakeController();
    const s = await start({}, ctl, { logger: cap.logger });
    const c = await rawClient(s.port);
    c.send(frame(1, 1, write6Pdu(100, 1)));
    expect(exc((await c.next())[0])).toEqual([0x86, 1]);
    c.send(frame(2, 1, readPdu(3, 100, 3)));
    expect(words((await c.next())[0])).toEqual([0, 0, 5]);
    const line = cap.lines.find((l) => l.msg === 'scada write rejected');
    expect(line).toMatchObject({
      subsystem: 'scada',
      client: `scada:127.0.0.1:${c.socket.localPort}`,
      fc: 6,
      address: 100,
      values: [1],
      exception: 1,
      permitted: false,
    });
    expect(ctl.submitted).toEqual([]);
    c.close();
  });

  it('a client outside the allowlist gets 01 although writes are enabled', async () => {
    const s = await start({ writes: { allow: ['10.0.0.0/8', '::1/128'] } });
    const c = await rawClient(s.port);
    c.send(frame(1, 1, write6Pdu(100, 1)));
    expect(exc((await c.next())[0])).toEqual([0x86, 1]);
    c.close();
  });

  it('select-before-operate from an allowed client executes the command with its origin', async () => {
    const cap = captureLogger();
    const ctl = fakeController();
    const s = await start({ writes: { allow: ['127.0.0.0/8'] } }, ctl, { logger: cap.logger });
    const c = await rawClient(s.port);
    const step = async (pdu: number[]) => (c.send(frame(1, 1, pdu)), (await c.next())[0]);
    expect(words(await step(readPdu(3, 100, 3)))).toEqual([0, 0, 0]);
    await step(write6Pdu(100, 2));
    expect(words(await step(readPdu(3, 100, 3)))).toEqual([2, 0, 1]);
    await step(write6Pdu(101, 2));
    await sleep(20);
    expect(words(await step(readPdu(4, 102, 1)))).toEqual([2]);
    expect(ctl.submitted).toEqual([{ command: { name: 'transferTo', source: 'B' }, origin: `scada:127.0.0.1:${c.socket.localPort}` }]);
    ctl.verdict = () => ({ accepted: false, reason: 'lockout' });
    await step(write6Pdu(100, 9));
    await step([16, 0, 101, 0, 1, 2, 0, 9]);
    await sleep(20);
    expect(words(await step(readPdu(3, 102, 1)))).toEqual([3]);
    await step(write6Pdu(100, 9));
    await step(write6Pdu(101, 8));
    expect(words(await step(readPdu(3, 102, 1)))).toEqual([4]);
    expect(exc(await step(write6Pdu(100, 0)))).toEqual([0x86, 3]);
    expect(exc(await step(write6Pdu(102, 1)))).toEqual([0x86, 2]);
    expect(ctl.submitted).toHaveLength(2);
    expect(cap.lines.filter((l) => l.msg === 'scada write' || l.msg === 'scada write rejected')).toHaveLength(8);
    c.close();
  });

  it('a select expires after selectTimeoutMs', async () => {
    const ctl = fakeController();
    const s = await start({ writes: { allow: ['127.0.0.1'] }, selectTimeoutMs: 100 }, ctl);
    const c = await rawClient(s.port);
    c.send(frame(1, 1, write6Pdu(100, 10)));
    await c.next();
    await sleep(200);
    c.send(frame(2, 1, readPdu(3, 102, 1)));
    expect(words((await c.next())[0])).toEqual([4]);
    c.send(frame(3, 1, write6Pdu(101, 10)));
    await c.next();
    expect(ctl.submitted).toEqual([]);
    c.close();
  });
});
