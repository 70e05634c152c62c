// HTTP write access: POST /command and /sim only from loopback unless the client's network is in http.commandAllow.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { startHttpServer } from '../../src/runtime/http.js';
import { createMetrics } from '../../src/runtime/metrics.js';
import { createScanLoop, type ScanLoop } from '../../src/runtime/scan.js';
import { createSimBoard } from '../../src/runtime/simboard.js';

/** A non-loopback IPv4 address of this machine: connecting to it makes us a non-loopback client. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;

let server: Server | undefined;
let loop: ScanLoop | undefined;
afterEach(async () => {
  loop?.stop();
  if (server) await new Promise<void>((r) => (server as Server).close(() => r()));
  server = undefined;
});

async function start(commandAllow: string[]): Promise<string> {
  const cfg = validateConfig({ uplinks: { enabled: false }, http: { bind: '0.0.0.0', port: 0, commandAllow } }, 'test');
  const board = createSimBoard(cfg, Date.now());
  loop = createScanLoop({ config: cfg, configHash: 'x', board });
  loop.start();
  server = await startHttpServer({
    config: cfg.http,
    controller: loop,
    metrics: createMetrics(loop.latest, []),
    logger: pino({ level: 'silent' }),
    setKnobs: (k) => board.setKnobs(k),
  });
  return `http://${external as string}:${(server.address() as AddressInfo).port}`;
}

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', body: JSON.stringify(body) });

describe.skipIf(external === undefined)(`writes from a non-loopback client (${external ?? 'none'})`, () => {
  it('are refused with 403 by default, while GET /status still works', async () => {
    const base = await start([]);
    expect((await post(`${base}/command`, { name: 'ackAlarms' })).status).toBe(403);
    expect((await post(`${base}/sim`, { 'psu.1.ok': false })).status).toBe(403);
    expect((await fetch(`${base}/status`)).status).toBe(200);
  });

  it('are accepted when the client network is in http.commandAllow', async () => {
    const base = await start([`${external as string}/32`]);
    const r = await post(`${base}/command`, { name: 'ackAlarms' });
    expect(r.status).toBe(200);
  });
});
