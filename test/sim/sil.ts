// Software in the loop for tests: `twinfeed plant` and `twinfeed run --board boards/sim-tcp.yaml` as
// processes of the built CLI on 127.0.0.1 and free ports, with short power delays so an outage and a
// return take seconds. The plant is the judge: it measures paralleling, outages and relay wear itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { ensureBuilt, files, MAIN, ROOT } from '../cli/cli-helpers.js';
import { freePort } from '../scada/fakes.js';

export type Json = Record<string, unknown>;

export interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  stderr(): string;
  readonly exited: Promise<number | null>;
}

export function startCli(name: string, args: string[]): Proc {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { name, child, stderr: () => err, exited };
}

export async function getJson(url: string): Promise<Json | undefined> {
  try {
    const r = await fetch(url);
    return r.ok ? ((await r.json()) as Json) : undefined;
  } catch {
    return undefined; // not listening yet
  }
}

/** Polls `url` until `ok` holds for its JSON; fails with the last answer and the processes' stderr. */
export async function until(url: string, ok: (j: Json) => boolean, what: string, procs: () => readonly Proc[], timeoutMs = 40_000): Promise<Json> {
  let last: Json | undefined;
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    last = await getJson(url);
    if (last && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  const logs = procs()
    .map((c) => `--- ${c.name} stderr:\n${c.stderr().slice(-2000)}`)
    .join('\n');
  throw new Error(`${what}: not seen within ${timeoutMs} ms; last answer ${JSON.stringify(last)}\n${logs}`);
}

export const post = async (url: string, body: Json): Promise<void> => {
  const r = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
  expect(r.status, await r.text()).toBe(200);
};

/** The board and config files for a controller against a plant whose Modbus port is `modbusPort`. */
export async function silFiles(extraConfig: string[] = []) {
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
      ...extraConfig,
    ].join('\n'),
  });
  return {
    modbusPort,
    plantHttp,
    plantUrl: `http://127.0.0.1:${plantHttp}`,
    ctlUrl: `http://127.0.0.1:${ctlHttp}`,
    board: f['board.yaml'] as string,
    config: f['config.yaml'] as string,
    plantArgs: ['plant', '--modbus-port', String(modbusPort), '--http-port', String(plantHttp)],
    runArgs: ['run', '--board', f['board.yaml'] as string, '--config', f['config.yaml'] as string],
  };
}

export type SilFiles = Awaited<ReturnType<typeof silFiles>>;

export interface SilSession {
  readonly plantUrl: string;
  readonly ctlUrl: string;
  readonly modbusPort: number;
  until(url: string, ok: (j: Json) => boolean, what: string, timeoutMs?: number): Promise<Json>;
  knobs(body: Json): Promise<void>;
}

/**
 * One plant and one controller for a test file: `beforeAll` builds, writes the files (`prepare` may
 * change them), starts the plant, sets `knobs`, then starts the controller; `afterAll` stops both with
 * SIGTERM and expects both to exit 0. The fields are filled once `beforeAll` has run.
 */
export function silSession(o: { knobs?: Json; prepare?: (f: SilFiles) => void } = {}): SilSession {
  const children: Proc[] = [];
  const s = {
    plantUrl: '',
    ctlUrl: '',
    modbusPort: 0,
    until: (url: string, ok: (j: Json) => boolean, what: string, timeoutMs?: number) => until(url, ok, what, () => children, timeoutMs),
    knobs: (body: Json) => post(`${s.plantUrl}/sim`, body),
  };
  beforeAll(async () => {
    ensureBuilt();
    const f = await silFiles();
    o.prepare?.(f);
    Object.assign(s, { plantUrl: f.plantUrl, ctlUrl: f.ctlUrl, modbusPort: f.modbusPort });
    children.push(startCli('plant', f.plantArgs));
    await s.until(`${s.plantUrl}/summary`, () => true, 'the plant answering');
    if (o.knobs) await s.knobs(o.knobs);
    children.push(startCli('controller', f.runArgs));
  }, 120_000);
  afterAll(async () => {
    for (const c of children) c.child.kill('SIGTERM');
    const codes = await Promise.all(children.map((c) => c.exited));
    expect(codes).toEqual(children.map(() => 0));
  });
  return s;
}
