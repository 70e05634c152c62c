// HTTP write access: POST /command and /sim only from loopback unless the client's network is in http.commandAllow.
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimHttp, stopSimHttp } from './sim-http.js';

/** A non-loopback IPv4 address of this machine: connecting to it makes us a non-loopback client. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;

afterEach(stopSimHttp);

const start = async (commandAllow: string[]): Promise<string> => `http://${external as string}:${await startSimHttp({ bind: '0.0.0.0', commandAllow }, true)}`;

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
