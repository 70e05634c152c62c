// Software in the loop: `twinfeed plant` and `twinfeed run --board boards/sim-tcp.yaml` as two
// processes of the built CLI, talking Modbus TCP on 127.0.0.1. Feed A fails at the plant, the
// controller transfers to B and back, and the plant — the judge — saw no paralleling.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, files, MAIN, ROOT } from '../cli/cli-helpers.js';
import { freePort } from '../scada/fakes.js';

type Json = Record<string, unknown>;
const children: { name: string; child: ChildProcess; stderr: () => string; exited: Promise<number | null> }[] = [];
let plantUrl = '';
let ctlUrl = '';

function start(name: string, args: string[]) {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  children.push({ name, child, stderr: () => err, exited });
}

async function get(url: string): Promise<Json | undefined> {
  try {
    const r = await fetch(url);
    return r.ok ? ((await r.json()) as Json) : undefined;
  } catch {
    return undefined; // not listening yet
  }
}

/** Polls `url` until `ok` holds for its JSON; fails with the last answer and the processes' stderr. */
async function until(url: string, ok: (j: Json) => boolean, what: string, timeoutMs = 40_000): Promise<Json> {
  let last: Json | undefined;
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    last = await get(url);
    if (last && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  const logs = children.map((c) => `--- ${c.name} stderr:\n${c.stderr().slice(-2000)}`).join('\n');
  throw new Error(`${what}: not seen within ${timeoutMs} ms; last answer ${JSON.stringify(last)}\n${logs}`);
}

const knobs = async (body: Json) => {
  const r = await fetch(`${plantUrl}/sim`, { method: 'POST', body: JSON.stringify(body) });
  expect(r.status, await r.text()).toBe(200);
};

beforeAll(async () => {
  ensureBuilt();
  const [modbusPort, plantHttp, ctlHttp] = [await freePort(), await freePort(), await freePort()];
  const shipped = readFileSync(join(ROOT, 'boards', 'sim-tcp.yaml'), 'utf8');
  expect(shipped.match(/port: 5020\b/g)).toHaveLength(1);
  const f = files({
    'board.yaml': shipped.replace(/port: 5020\b/, `port: ${modbusPort}`),
    // Short delays so that an outage and a return take seconds; uplinks off: the plant carries no probes.
    'config.yaml': [
      `http: { port: ${ctlHttp} }`,
      'scada: { enabled: false }',
      'uplinks: { enabled: false }',
      'power:',
      '  feeds:',
      '    A: { dropoutDelayMs: 1s, pickupDelayMs: 1s }',
      '    B: { dropoutDelayMs: 1s, pickupDelayMs: 1s }',
      '  retransfer: { delayMs: 2s }',
      '  generator: { cooldownMs: 1s }',
    ].join('\n'),
  });
  plantUrl = `http://127.0.0.1:${plantHttp}`;
  ctlUrl = `http://127.0.0.1:${ctlHttp}`;
  start('plant', ['plant', '--modbus-port', String(modbusPort), '--http-port', String(plantHttp)]);
  await until(`${plantUrl}/summary`, () => true, 'the plant answering');
  await knobs({ 'generator.startMs': '1s' });
  start('controller', ['run', '--board', f['board.yaml'] as string, '--config', f['config.yaml'] as string]);
}, 120_000);

afterAll(async () => {
  for (const c of children) c.child.kill('SIGTERM');
  const codes = await Promise.all(children.map((c) => c.exited));
  expect(codes).toEqual(children.map(() => 0));
});

describe('the controller against `twinfeed plant` over Modbus TCP (boards/sim-tcp.yaml)', () => {
  it('starts bumpless on feed A, with every device answering', async () => {
    const s = await until(`${ctlUrl}/status`, (j) => j.source === 'A', 'the controller on A');
    expect(s).toMatchObject({ mode: 'auto', transfer: 'closed', lockout: false, feeds: { A: { available: true, voltageV: 230 } } });
    expect(s.alarms).toEqual([]);
    expect(await get(`${plantUrl}/summary`)).toMatchObject({ transfers: 0, relayOperations: {} });
  });

  it('transfers to B when feed A fails at the plant, and the plant saw no paralleling', async () => {
    await knobs({ 'feed.A.voltage': 0 });
    const s = await until(`${ctlUrl}/status`, (j) => j.source === 'B' && j.transfer === 'closed', 'the load on B');
    expect(s).toMatchObject({ generator: 'running', breakers: { A: { closed: false }, B: { closed: true } } });
    expect(await get(`${plantUrl}/summary`)).toMatchObject({ transfers: 1, interlockViolations: 0, paralleledMs: 0 });
  });

  it('returns to A once A is back, still without paralleling', async () => {
    await knobs({ 'feed.A.voltage': 230 });
    const s = await until(`${ctlUrl}/status`, (j) => j.source === 'A' && j.transfer === 'closed', 'the retransfer to A');
    expect(s).toMatchObject({ lastTransferReason: 'retransfer', breakers: { A: { closed: true }, B: { closed: false } } });
    const summary = await until(`${plantUrl}/summary`, (j) => j.transfers === 2, 'the plant counting the retransfer', 5000);
    expect(summary).toMatchObject({ interlockViolations: 0, paralleledMs: 0, relayOperations: { 'breaker.A.closeCmd': 2, 'breaker.B.closeCmd': 2 } });
  });
});
