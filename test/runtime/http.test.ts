// The HTTP server on 127.0.0.1 with a real scan loop and the sim board: /status, /command, /sim, /metrics, 400/404/405/409.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { health, startHttpServer } from '../../src/runtime/http.js';
import { createMetrics } from '../../src/runtime/metrics.js';
import { createScanLoop, type ScanLoop } from '../../src/runtime/scan.js';
import { createSimBoard, type SimBoard } from '../../src/runtime/simboard.js';

const cfg = validateConfig({ http: { port: 0 } }, 'test');
let server: Server;
let loop: ScanLoop;
let board: SimBoard;
let base = '';

beforeAll(async () => {
  const now = Date.now();
  board = createSimBoard(cfg, now);
  loop = createScanLoop({ config: cfg, configHash: 'test', board });
  loop.start();
  server = await startHttpServer({
    config: cfg.http,
    controller: loop,
    metrics: createMetrics(
      loop.latest,
      cfg.uplinks.links.map((l) => l.id),
    ),
    logger: pino({ level: 'silent' }),
    setKnobs: (k) => {
      const err = board.setKnobs(k);
      if (!err) loop.scanNow();
      return err;
    },
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  loop.stop();
  await new Promise<void>((r) => server.close(() => r()));
});

const post = (path: string, body: string) => fetch(base + path, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
const json = async (r: Response) => (await r.json()) as Record<string, unknown>;

describe('GET /status', () => {
  it('returns the spec status fields as JSON', async () => {
    const r = await fetch(`${base}/status`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    const s = await json(r);
    expect(s).toMatchObject({
      mode: 'auto',
      source: 'A',
      transfer: 'closed',
      generator: 'stopped',
      lockout: false,
      alarms: expect.any(Array),
      ups: { onBattery: false, chargePct: 100 },
      psu: { state: 'redundant' },
      uplink: { active: expect.any(String), fiber: { up: expect.any(Boolean) }, lte: { up: expect.any(Boolean) } },
    });
  });
});

describe('POST /command', () => {
  it('an accepted command → 200 { accepted: true }', async () => {
    const r = await post('/command', JSON.stringify({ name: 'ackAlarms' }));
    expect(r.status).toBe(200);
    expect(await json(r)).toEqual({ accepted: true });
  });

  it('a refused command → 409 with the reason', async () => {
    const r = await post('/command', JSON.stringify({ name: 'stopTest' }));
    expect(r.status).toBe(409);
    expect(await json(r)).toEqual({ accepted: false, reason: 'no test is running' });
  });

  it('bad JSON → 400 with the reason', async () => {
    const r = await post('/command', '{"name": ');
    expect(r.status).toBe(400);
    expect(String((await json(r)).error)).toMatch(/bad JSON/);
  });

  it('an unknown field → 400 naming the field', async () => {
    const r = await post('/command', JSON.stringify({ name: 'ackAlarms', force: true }));
    expect(r.status).toBe(400);
    expect(String((await json(r)).error)).toMatch(/force: unknown key/);
  });

  it('an unknown command name → 400', async () => {
    const r = await post('/command', JSON.stringify({ name: 'selfDestruct' }));
    expect(r.status).toBe(400);
    expect(String((await json(r)).error)).toMatch(/name/);
  });

  it('a bad field value → 400 naming the field', async () => {
    const r = await post('/command', JSON.stringify({ name: 'transferTo', source: 'C' }));
    expect(r.status).toBe(400);
    expect(String((await json(r)).error)).toMatch(/^source: invalid value/);
  });
});

describe('POST /sim', () => {
  it('sets a plant knob (200) and the next status shows its effect', async () => {
    const r = await post('/sim', JSON.stringify({ 'psu.3.ok': false }));
    expect(r.status).toBe(200);
    expect(await json(r)).toEqual({ ok: true });
    expect(board.cabinet.state.psuOk['3']).toBe(false);
    const s = await json(await fetch(`${base}/status`));
    expect(s.psu).toMatchObject({ state: 'degraded', ok: 2 });
    await post('/sim', JSON.stringify({ 'psu.3.ok': true }));
  });

  it('an unknown knob → 400 naming it, nothing set', async () => {
    const r = await post('/sim', JSON.stringify({ 'psu.1.ok': false, 'feed.Q.voltage': 0 }));
    expect(r.status).toBe(400);
    expect(await json(r)).toEqual({ error: 'unknown knob "feed.Q.voltage"' });
    expect(board.cabinet.state.psuOk['1']).toBe(true);
  });

  it('a bad knob value → 400', async () => {
    const r = await post('/sim', JSON.stringify({ 'feed.A.voltage': 'lots' }));
    expect(r.status).toBe(400);
    expect(String((await json(r)).error)).toMatch(/feed\.A\.voltage: expected a number/);
  });

  it('a body that is not an object → 400', async () => {
    expect((await post('/sim', '[1,2]')).status).toBe(400);
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus text with twinfeed_ metrics', async () => {
    const r = await fetch(`${base}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await r.text();
    expect(text).toMatch(/^twinfeed_load_source 1$/m);
    expect(text).toMatch(/^twinfeed_source_available\{feed="A"\} 1$/m);
    expect(text).toMatch(/^twinfeed_lockout 0$/m);
    expect(text).toMatch(/^twinfeed_alarm_active\{code="FAIL_TO_OPEN"\} 0$/m);
    expect(text).toMatch(/^twinfeed_scans_total /m);
  });
});

describe('routing', () => {
  it('unknown path → 404', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
  it('wrong method on a known path → 405', async () => {
    expect((await fetch(`${base}/status`, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`${base}/command`)).status).toBe(405);
    expect((await post('/metrics', '{}')).status).toBe(405);
  });
  // Regression: readBody() used to destroy the request past 64 KiB, closing the socket before the
  // 413 response is written: the client sees "other side closed" (a reset), not 413 with a reason.
  // Input: POST /command with a 70 000-byte JSON body.
  it('a body over 64 KiB → 413 with a reason', async () => {
    const r = await post('/command', JSON.stringify({ name: 'ackAlarms', pad: 'x'.repeat(70_000) }));
    expect(r.status).toBe(413);
    expect(String((await json(r)).error)).toMatch(/larger than/);
  });
});

describe('GET /healthz', () => {
  it('answers 200 while scans complete', async () => {
    const r = await fetch(`${base}/healthz`);
    expect(r.status).toBe(200);
    expect(await json(r)).toMatchObject({ ok: true, scanSeq: expect.any(Number) });
  });

  it('answers 503 with the reason when no scan has completed for longer than the limit', async () => {
    // The same controller seen from a clock 10 s later: its last scan is then 10 s old.
    const late = await startHttpServer({
      config: cfg.http,
      controller: loop,
      metrics: createMetrics(
        loop.latest,
        cfg.uplinks.links.map((l) => l.id),
      ),
      logger: pino({ level: 'silent' }),
      scanPeriodMs: 100,
      clock: () => Date.now() + 10_000,
    });
    try {
      const r = await fetch(`http://127.0.0.1:${(late.address() as AddressInfo).port}/healthz`);
      expect(r.status).toBe(503);
      expect((await json(r)).reason).toMatch(/^no scan for 1\d{4} ms \(limit 1000 ms\): the output image is not being refreshed$/);
    } finally {
      await new Promise<void>((r) => late.close(() => r()));
    }
  });

  it('is not healthy before the first scan', () => {
    expect(health({ scanSeq: 0, atMs: 0 }, 10, 100)).toMatchObject({ ok: false, reason: 'no scan has completed yet: no output image written' });
    expect(health({ scanSeq: 1, atMs: 0 }, 499, 100).ok).toBe(true);
    expect(health({ scanSeq: 1, atMs: 0 }, 1001, 100).ok).toBe(false);
    expect(health({ scanSeq: 1, atMs: 0 }, 2400, 500).ok).toBe(true);
  });
});
