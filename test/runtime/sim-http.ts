// A scan loop on the sim board behind the real HTTP server, for tests of HTTP access rules: start one
// with a raw config, get its port; `stopSimHttp` (in afterEach) stops the last one started.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { validateConfig } from '../../src/config/load.js';
import { startHttpServer } from '../../src/runtime/http.js';
import { createMetrics } from '../../src/runtime/metrics.js';
import { createScanLoop, type ScanLoop } from '../../src/runtime/scan.js';
import { createSimBoard } from '../../src/runtime/simboard.js';

let server: Server | undefined;
let loop: ScanLoop | undefined;

export async function stopSimHttp(): Promise<void> {
  loop?.stop();
  loop = undefined;
  if (server) await new Promise<void>((r) => (server as Server).close(() => r()));
  server = undefined;
}

/** Starts the controller (uplinks off) with `http` as its http section; `knobs` serves POST /sim. */
export async function startSimHttp(http: Record<string, unknown>, knobs = false): Promise<number> {
  await stopSimHttp();
  const cfg = validateConfig({ uplinks: { enabled: false }, http: { port: 0, ...http } }, 'test');
  const board = createSimBoard(cfg, Date.now());
  loop = createScanLoop({ config: cfg, configHash: 'x', board });
  loop.start();
  server = await startHttpServer({
    config: cfg.http,
    controller: loop,
    metrics: createMetrics(loop.latest, []),
    logger: pino({ level: 'silent' }),
    ...(knobs ? { setKnobs: (k: Record<string, unknown>) => board.setKnobs(k) } : {}),
  });
  return (server.address() as AddressInfo).port;
}
