// The dashboard's HTTP side without a browser: every file served from the package with a CSP and
// nothing from elsewhere, the page under 150 KB gzipped, the event stream pushing a plant change,
// what a client may do, a server that closes with streams open, and the trend ring buffer.
import { afterEach, describe, expect, it } from 'vitest';
import { assets, pageWeightGzBytes } from '../../src/runtime/dashboard/assets.js';
import { createTrends } from '../../src/runtime/dashboard/trends.js';
import { incidents, knobList } from '../../src/runtime/dashboard/knobs.js';
import { knobReader } from '../../src/runtime/dashboard/knob-values.js';
import { createSimBoard } from '../../src/runtime/simboard.js';
import { validateConfig } from '../../src/config/load.js';
import type { Status } from '../../src/core/types.js';
import { startController, type Controller } from './harness.js';

let ctl: Controller | undefined;
afterEach(async () => {
  await ctl?.stop();
  ctl = undefined;
});

/** Reads an event stream until `until` accepts a message; returns the messages read. */
async function readStream(url: string, until: (msg: Record<string, unknown>) => boolean, act?: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const ac = new AbortController();
  const res = await fetch(url, { signal: ac.signal });
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const msgs: Record<string, unknown>[] = [];
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += Buffer.from(value).toString('utf8');
    const parts = buf.split('\n\n');
    buf = parts.pop() ?? '';
    for (const p of parts) {
      const data = p.split('\n').find((l) => l.startsWith('data: '));
      if (!data) continue;
      const msg = JSON.parse(data.slice(6)) as Record<string, unknown>;
      msgs.push(msg);
      if (msgs.length === 1 && act) await act();
      if (until(msg)) {
        ac.abort();
        return msgs;
      }
    }
  }
  return msgs;
}

describe('dashboard routes', () => {
  it('serves every file of the page from the package, with a Content-Security-Policy that allows only itself', async () => {
    ctl = await startController();
    const base = `http://127.0.0.1:${ctl.port}`;
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(refs.filter((r) => !r.startsWith('/') && r !== 'data:,')).toEqual([]);
    for (const r of refs.filter((x) => x.startsWith('/'))) expect((await fetch(`${base}${r}`)).status, r).toBe(200);
    const gz = await fetch(`${base}/app.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
  });

  it('weighs under 150 KB gzipped, all files together', () => {
    expect(assets().size).toBeGreaterThanOrEqual(8);
    expect(pageWeightGzBytes()).toBeLessThan(150 * 1024);
  });

  it('pushes a plant change on the event stream, with the events that came of it', async () => {
    ctl = await startController();
    const base = `http://127.0.0.1:${ctl.port}`;
    const msgs = await readStream(
      `${base}/events`,
      (m) => (m.status as Status).feeds.A.available === false,
      () => fetch(`${base}/sim`, { method: 'POST', body: JSON.stringify({ 'feed.A.voltage': 0 }) }),
    );
    expect(msgs[0]?.initial).toBe(true);
    const last = msgs.at(-1) as { status: Status; events: { type: string }[] };
    expect(last.status.feeds.A.reason).toBe('undervoltage');
    expect(msgs.flatMap((m) => m.events as { type: string }[]).map((e) => e.type)).toContain('source');
  });

  it('tells a loopback client it may command, and lists the knobs and incidents of the sim board', async () => {
    ctl = await startController();
    const s = (await (await fetch(`http://127.0.0.1:${ctl.port}/session`)).json()) as {
      canCommand: boolean;
      sim: boolean;
      knobs: { name: string }[];
      incidents: { name: string }[];
    };
    expect(s.canCommand).toBe(true);
    expect(s.sim).toBe(true);
    expect(s.knobs.map((k) => k.name)).toEqual(expect.arrayContaining(['feed.A.voltage', 'breaker.B.stuck', 'psu.1.ok']));
    expect(s.incidents.map((i) => i.name)).toEqual(expect.arrayContaining(['utility outage', 'generator fails to start']));
  });

  it('closes with event streams still open (a stopping controller is not held by its pages)', async () => {
    ctl = await startController();
    const res = await fetch(`http://127.0.0.1:${ctl.port}/events`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await ctl.stop();
    ctl = undefined;
    for (;;) if ((await reader.read()).done) break;
  });
});

describe('trend ring buffer', () => {
  const st = (v: number) =>
    ({
      feeds: { A: { voltageV: v, frequencyHz: 50 }, B: { voltageV: null, frequencyHz: null } },
      ups: { chargePct: 90 },
      uplink: { fiber: { latencyMs: 5, lossPct: 0 } },
    }) as unknown as Status;
  it('keeps one sample a second, the newest `capacity` of them, oldest first, null where there was no reading', () => {
    const t = createTrends(['fiber'], 3);
    for (let s = 0; s < 5; s++) {
      t.sample(st(s), s * 1000);
      t.sample(st(99), s * 1000 + 500);
    }
    const r = t.series();
    expect(r.tS).toEqual([2, 3, 4]);
    expect(r.series['feed.A.voltageV']).toEqual([2, 3, 4]);
    expect(r.series['feed.B.voltageV']).toEqual([null, null, null]);
    expect(r.series['uplink.fiber.latencyMs']).toEqual([5, 5, 5]);
  });
});

describe('fault-injection panel', () => {
  it('offers only knobs the plant takes, and every one-click incident applies cleanly (default config, uplinks on)', () => {
    const cfg = validateConfig({}, 'test');
    const board = createSimBoard(cfg, 0);
    for (const k of knobList(cfg)) expect(board.cabinet.hasKnob(k.name), k.name).toBe(true);
    const list = incidents(cfg);
    expect(list.map((i) => i.name)).toEqual([
      'utility outage',
      'generator fails to start',
      'welded contactor A',
      'fiber cut (fiber)',
      'silent LTE (lte)',
      'restore all',
    ]);
    for (const i of list) expect(board.setKnobs({ ...i.knobs }), i.name).toBeUndefined();
  });

  it('reads every knob it offers back from the plant, as last set (default config, uplinks on)', () => {
    const cfg = validateConfig({}, 'test');
    const board = createSimBoard(cfg, 0);
    const read = knobReader(board.cabinet, knobList(cfg));
    const before = read();
    expect(Object.entries(before).filter(([, v]) => v === null)).toEqual([]);
    expect(before).toMatchObject({ 'feed.A.voltage': 230, 'breaker.B.stuck': 'none', 'psu.1.ok': true, 'uplink.fiber.carrier': true, 'uplink.lte.loss': 0 });
    const set = { 'feed.A.voltage': 0, 'breaker.B.stuck': 'closed', 'psu.2.ok': false, 'uplink.lte.loss': 0.25, 'generator.startMs': 300 };
    expect(board.setKnobs(set)).toBeUndefined();
    expect(read()).toMatchObject(set);
  });

  it('sends the knob values on connect and again when one changes, in /session too', async () => {
    ctl = await startController();
    const base = `http://127.0.0.1:${ctl.port}`;
    const session = (await (await fetch(`${base}/session`)).json()) as { values: Record<string, unknown> };
    expect(session.values).toMatchObject({ 'generator.startMs': 8000, 'breaker.A.feedback': 'ok' });
    // A knob that changes nothing in the status still reaches the page.
    const msgs = await readStream(
      `${base}/events`,
      (m) => (m.knobs as Record<string, unknown> | undefined)?.['generator.startMs'] === 300,
      () => fetch(`${base}/sim`, { method: 'POST', body: JSON.stringify({ 'generator.startMs': 300 }) }),
    );
    expect((msgs[0]?.knobs as Record<string, unknown>)['generator.startMs']).toBe(8000);
  });
});
