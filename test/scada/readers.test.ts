// scada.readerProcesses: 2 reader processes (node:cluster) on one port, the fake controller here in the
// primary. Readers run the TypeScript sources through test/scada/ts-loader.mjs.
import cluster from 'node:cluster';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { startScadaServer, type ScadaServer } from '../../src/scada/server.js';
import {
  captureLogger,
  fakeController,
  frame,
  freePort,
  rawClient,
  readPdu,
  scadaConfig,
  silentLogger,
  UPLINK_IDS,
  write6Pdu,
  type FakeController,
  type RawClient,
} from './fakes.js';

const LOADER = ['--import', new URL('./ts-loader.mjs', import.meta.url).href];
let server: ScadaServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(over: Partial<Config['scada']> = {}, controller: FakeController = fakeController(), logger = silentLogger()) {
  const config = scadaConfig({ port: await freePort(), readerProcesses: 2, ...over });
  server = await startScadaServer({ config, controller, uplinkIds: UPLINK_IDS, logger, readerExecArgv: LOADER });
  return server;
}
const words = (f: Buffer | undefined) => (f ? [...Array((f.length - 9) / 2).keys()].map((i) => f.readUInt16BE(9 + 2 * i)) : []);
const exc = (f: Buffer | undefined) => (f ? [f[7], f[8]] : []);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One request on its own connection, as masters like mbpoll do. */
async function once(port: number, pdu: number[]): Promise<Buffer | undefined> {
  const c = await rawClient(port);
  c.send(frame(1, 1, pdu));
  const [f] = await c.next();
  c.close();
  await c.closed;
  return f;
}

/** Polls `read` until it returns `want` (the image reaches readers within a poll period). */
async function eventually(read: () => Promise<number[]>, want: number[], timeoutMs = 3000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let got = await read();
  while (JSON.stringify(got) !== JSON.stringify(want) && Date.now() < deadline) {
    await sleep(20);
    got = await read();
  }
  return got;
}

describe('SCADA reader processes', () => {
  it('serves every connection the image of the latest published scan', async () => {
    const ctl = fakeController();
    const s = await start({}, ctl);
    const clients = await Promise.all([...Array(6).keys()].map(() => rawClient(s.port)));
    const read = async (c: RawClient) => {
      c.send(frame(1, 1, readPdu(3, 36, 2)));
      return words((await c.next())[0]);
    };
    for (const c of clients) expect(await read(c)).toEqual([0, 0]);
    ctl.publish(() => ({ uptimeS: 70_000 }));
    for (const c of clients) expect(await eventually(() => read(c), [1, 70_000 - 65_536])).toEqual([1, 70_000 - 65_536]);
    expect(s.stats().imageBuilds).toBe(2);
    for (const c of clients) c.close();
  });

  it('sends the image when the controller signals a scan (onEvents), without polling', async () => {
    const ctl = fakeController();
    const listeners: (() => void)[] = [];
    ctl.onEvents = (l) => {
      listeners.push(() => l([], 0));
      return () => undefined;
    };
    const s = await start({}, ctl);
    ctl.publish(() => ({ uptimeS: 5 }));
    await sleep(100);
    expect(s.stats().imageBuilds).toBe(1);
    for (const l of listeners) l();
    expect(s.stats().imageBuilds).toBe(2);
    expect(await eventually(async () => words(await once(s.port, readPdu(3, 36, 2))), [0, 5])).toEqual([0, 5]);
  });

  it('matches a select and an operate sent on different connections, and executes the command once', async () => {
    const ctl = fakeController();
    const s = await start({ writes: { allow: ['127.0.0.1/32'] } }, ctl);
    for (let round = 0; round < 3; round++) {
      expect(exc(await once(s.port, write6Pdu(100, 10)))).toEqual([6, 0]);
      // Any reader sees the selection, whichever one took the write.
      expect(words(await once(s.port, readPdu(3, 100, 3)))).toEqual([10, 0, 1]);
      expect(exc(await once(s.port, write6Pdu(101, 10)))).toEqual([6, 0]);
      expect(await eventually(async () => words(await once(s.port, readPdu(3, 102, 1))), [2])).toEqual([2]);
    }
    expect(ctl.submitted.map((x) => x.command.name)).toEqual(['ackAlarms', 'ackAlarms', 'ackAlarms']);
    expect(ctl.submitted[0]?.origin).toMatch(/^scada:127\.0\.0\.1:\d+$/);
    // An operate with no select in play is a mismatch: status 4, nothing submitted.
    expect(exc(await once(s.port, write6Pdu(101, 10)))).toEqual([6, 0]);
    expect(words(await once(s.port, readPdu(3, 102, 1)))).toEqual([4]);
    expect(ctl.submitted).toHaveLength(3);
  });

  it('answers exception 01 to writes when writes are disabled, and the controller logs the attempt', async () => {
    const ctl = fakeController();
    const { logger, lines } = captureLogger();
    const s = await start({}, ctl, logger);
    const c = await rawClient(s.port);
    c.send(Buffer.concat([frame(1, 1, write6Pdu(100, 1)), frame(2, 1, readPdu(3, 102, 1))]));
    const [w, r] = await c.next(2);
    expect(exc(w)).toEqual([0x86, 0x01]);
    expect(w?.readUInt16BE(0)).toBe(1);
    expect(words(r)).toEqual([5]);
    const logged = lines.find((l) => l.msg === 'scada write rejected');
    expect(logged).toMatchObject({ fc: 6, address: 100, values: [1], exception: 1, permitted: false });
    expect(String(logged?.client)).toMatch(/^scada:127\.0\.0\.1:\d+$/);
    expect(ctl.submitted).toEqual([]);
    expect(s.stats().writesDenied).toBe(1);
    c.close();
  });

  it('holds scada.maxConnections across all readers', async () => {
    const max = 3;
    const s = await start({ maxConnections: max });
    const clients = await Promise.all([...Array(max + 2).keys()].map(() => rawClient(s.port)));
    const served = await Promise.all(
      clients.map(async (c) => {
        c.send(frame(1, 1, readPdu(3, 0, 1)));
        return c.next(1, 2000).then(
          () => true,
          () => false,
        );
      }),
    );
    expect(served.filter(Boolean)).toHaveLength(max);
    expect(s.stats()).toMatchObject({ connections: max, refused: 2 });
    for (const c of clients) c.close();
    await sleep(100);
    expect(s.stats().connections).toBe(0);
    expect(words(await once(s.port, readPdu(3, 0, 1)))).toEqual([1]);
  });

  it('with scada.port 0 the readers share one port chosen by the system, and it is the one reported', async () => {
    const s = await start({ port: 0 });
    expect(s.port).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) expect(words(await once(s.port, readPdu(3, 0, 1)))).toEqual([1]);
  });

  it('replaces a reader process that dies; the others keep serving', async () => {
    const { logger, lines } = captureLogger();
    const s = await start({}, fakeController(), logger);
    const workers = Object.values(cluster.workers ?? {});
    expect(workers).toHaveLength(2);
    const victim = workers[0];
    victim?.process.kill('SIGKILL');
    await new Promise((r) => victim?.once('exit', r));
    expect(words(await once(s.port, readPdu(3, 0, 1)))).toEqual([1]);
    const deadline = Date.now() + 10_000;
    const fresh = () => Object.values(cluster.workers ?? {}).filter((w) => w !== undefined && !workers.includes(w) && w.isConnected());
    while (fresh().length === 0 && Date.now() < deadline) await sleep(50);
    expect(fresh()).toHaveLength(1);
    expect(lines.some((l) => l.msg === 'scada reader process died; starting a replacement')).toBe(true);
    // Enough connections that the new reader takes some (the kernel spreads them).
    for (let i = 0; i < 10; i++) expect(words(await once(s.port, readPdu(3, 0, 1)))).toEqual([1]);
    await sleep(300);
    expect(s.stats().requests).toBeGreaterThanOrEqual(11);
  });
});
