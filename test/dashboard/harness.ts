// A controller on the simulated cabinet, in this process, serving the dashboard: the same wiring as
// `twinfeed run` (scan loop, sim board, HTTP with knobs and incidents), on a free port or a given one.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { chromium, type BrowserContext } from 'playwright-core';
import { validateConfig } from '../../src/config/load.js';
import { incidents, knobList } from '../../src/runtime/dashboard/knobs.js';
import { knobReader } from '../../src/runtime/dashboard/knob-values.js';
import { startHttpServer } from '../../src/runtime/http.js';
import { createMetrics } from '../../src/runtime/metrics.js';
import { createScanLoop, type ScanLoop } from '../../src/runtime/scan.js';
import { createSimBoard } from '../../src/runtime/simboard.js';

export interface Controller {
  readonly port: number;
  readonly loop: ScanLoop;
  stop(): Promise<void>;
}

/** Short timers so that a failure and its transfer take well under a second of wall time. */
export const FAST = {
  uplinks: { enabled: false },
  power: { feeds: { A: { dropoutDelayMs: 200 }, B: { pickupDelayMs: 200 } } },
};

export async function startController(raw: Record<string, unknown> = FAST, port = 0, bind = '127.0.0.1', commandAllow: string[] = []): Promise<Controller> {
  const cfg = validateConfig({ ...raw, http: { ...(raw.http as object | undefined), bind, port, commandAllow } }, 'test');
  const board = createSimBoard(cfg, Date.now());
  const loop = createScanLoop({ config: cfg, configHash: 'test', board });
  loop.start();
  const server: Server = await startHttpServer({
    config: cfg.http,
    controller: loop,
    metrics: createMetrics(loop.latest, []),
    logger: pino({ level: 'silent' }),
    uplinkIds: cfg.uplinks.enabled ? cfg.uplinks.links.map((l) => l.id) : [],
    feedRoles: { A: cfg.power.feeds.A.role, B: cfg.power.feeds.B.role },
    knobs: knobList(cfg),
    incidents: incidents(cfg),
    knobValues: knobReader(board.cabinet, knobList(cfg)),
    setKnobs: (k) => {
      const err = board.setKnobs(k);
      if (!err) loop.scanNow();
      return err;
    },
  });
  return {
    port: (server.address() as AddressInfo).port,
    loop,
    stop: async () => {
      loop.stop();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Debian's chromium, flags as known to work on this machine (no network beyond loopback). */
export async function launchBrowser(httpCredentials?: { username: string; password: string }): Promise<BrowserContext> {
  const dir = mkdtempSync(join(tmpdir(), 'twinfeed-chromium-'));
  return chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1000, height: 1100 },
    ...(httpCredentials ? { httpCredentials } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
