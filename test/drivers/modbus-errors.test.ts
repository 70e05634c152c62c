// modbus-serial rejects with its own objects ({ name, message, errno }), not Error instances. The
// driver must still read their message (a log line saying "[object Object]" helps no one at 3 a.m.)
// and sort them: a port that is gone is reopened at once, not after a run of failures.
import { createServer, type Server, type Socket } from 'node:net';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyError, type ModbusClient } from '../../src/drivers/modbus/master.js';
import { errorText } from '../../src/drivers/pins.js';

const ModbusRTU = createRequire(import.meta.url)('modbus-serial') as new () => ModbusClient & {
  connectTCP(host: string, o: { port: number }): Promise<void>;
};

let server: Server | undefined;
const sockets = new Set<Socket>();
afterEach(async () => {
  sockets.forEach((s) => s.destroy());
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

/** A TCP peer that takes the request and never answers; `drop` closes the connection instead. */
async function peer(drop: boolean): Promise<number> {
  server = createServer((s) => {
    sockets.add(s);
    s.on('data', () => (drop ? s.destroy() : undefined));
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const a = server.address();
  return typeof a === 'object' && a !== null ? a.port : 0;
}

async function rejection(drop: boolean, requests: number): Promise<unknown> {
  const c = new ModbusRTU();
  await c.connectTCP('127.0.0.1', { port: await peer(drop) });
  c.setID(1);
  c.setTimeout(200);
  let last: unknown;
  for (let i = 0; i < requests; i++) await c.readHoldingRegisters(0, 1).catch((e: unknown) => (last = e));
  // close() of a port that is already gone never calls back: do not wait on it for long.
  await new Promise<void>((r) => {
    c.close(() => r());
    setTimeout(r, 500).unref();
  });
  return last;
}

describe("modbus-serial's own rejections", { timeout: 10_000 }, () => {
  it('a request nobody answers: "Timed out", sorted as a timeout', async () => {
    const e = await rejection(false, 1);
    expect(e).not.toBeInstanceOf(Error);
    expect(errorText(e)).toBe('Timed out');
    expect(classifyError(e)).toBe('timeout');
  });

  it('a request after the peer dropped the connection: "Port Not Open", sorted as the port (reopened at once)', async () => {
    const e = await rejection(true, 3);
    expect(e).not.toBeInstanceOf(Error);
    expect(errorText(e)).toBe('Port Not Open');
    expect(classifyError(e)).toBe('port');
  });
});
