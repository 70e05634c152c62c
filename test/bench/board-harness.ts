// A cabinet on the bench for the Pi-class figures: `twinfeed plant` (the simulated cabinet's field
// devices on Modbus TCP) and `twinfeed run` with the shipped example config and boards/sim-tcp.yaml,
// both child processes of the built CLI on 127.0.0.1 and free ports. Between them a pass-through TCP
// proxy notes when the controller's first coil write (FC5/FC15: its first output image) reaches the
// plant, the observable end of a cold start. The controller answers its own CPU and V8 heap over IPC
// (board-probe.ts, preloaded into both children: it also ends them when the bench dies).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse, stringify } from 'yaml';
import { PACKAGE_ROOT } from '../../src/runtime/run.js';

export interface Mem {
  readonly cpuUs: number;
  readonly rssB: number;
  readonly heapUsedB: number;
}
type Json = Record<string, unknown>;
const MAIN = join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');
const PROBE = join(PACKAGE_ROOT, 'dist', 'test', 'bench', 'board-probe.js');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const t = createServer();
  await new Promise<void>((r) => t.listen(0, '127.0.0.1', r));
  const a = t.address();
  await new Promise((r) => t.close(r));
  return typeof a === 'object' && a !== null ? a.port : 0;
}

/** The shipped example config, made to run here: 127.0.0.1 and free ports, a temp stateDir (so the
 * journal runs, as on a cabinet), no uplink probes (the plant has none), and retransfer delay,
 * generator cooldown and the anti-hunting limit (4 transfers in 15 min would hold the load on B
 * after the second outage) loosened so that one outage a minute is a whole cycle: out, to B, back to A. */
function benchConfig(dir: string, httpPort: number, scadaPort: number): string {
  const cfg = parse(readFileSync(join(PACKAGE_ROOT, 'deploy', 'config.example.yaml'), 'utf8')) as Record<string, Json>;
  const power = cfg.power as Record<string, Json>;
  cfg.scada = { ...cfg.scada, bind: '127.0.0.1', port: scadaPort };
  cfg.http = { ...cfg.http, bind: '127.0.0.1', port: httpPort };
  cfg.uplinks = { ...cfg.uplinks, enabled: false };
  cfg.runtime = { ...cfg.runtime, stateDir: join(dir, 'state') };
  power.retransfer = { ...power.retransfer, delayMs: '15s' };
  power.generator = { ...power.generator, cooldownMs: '5s' };
  power.antiHunting = { maxTransfers: 100, windowMs: '15m' };
  mkdirSync(join(dir, 'state')); // install.sh creates /var/lib/twinfeed; without it the journal is a STORAGE_FAULT
  const path = join(dir, 'config.yaml');
  writeFileSync(path, stringify(cfg));
  return path;
}

interface Proxy {
  readonly server: Server;
  readonly firstConnect: Promise<number>;
  readonly firstWrite: Promise<number>;
  close(): Promise<void>;
}

/** Forwards every connection to the plant, noting performance.now() of the first connection and of the first FC5/FC15. */
function writeWatchingProxy(plantPort: number): Proxy {
  let seen: (atMs: number) => void = () => {};
  let connected: (atMs: number) => void = () => {};
  const firstWrite = new Promise<number>((r) => (seen = r));
  const firstConnect = new Promise<number>((r) => (connected = r));
  const sockets = new Set<Socket>();
  const server = createServer((down) => {
    connected(performance.now());
    const up = connect(plantPort, '127.0.0.1');
    for (const s of [down, up]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => (sockets.delete(s), down.destroy(), up.destroy()));
    }
    up.pipe(down);
    let pending = Buffer.alloc(0);
    down.on('data', (chunk: Buffer) => {
      up.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      // MBAP: 7-byte header (length at 4), then the function code.
      while (pending.length >= 8 && pending.length >= 6 + pending.readUInt16BE(4)) {
        if (pending[7] === 5 || pending[7] === 15) seen(performance.now());
        pending = pending.subarray(6 + pending.readUInt16BE(4));
      }
    });
  });
  const close = () => {
    sockets.forEach((s) => s.destroy());
    return new Promise<void>((r) => server.close(() => r()));
  };
  return { server, firstConnect, firstWrite, close };
}

function cli(args: string[], execArgv: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...execArgv, MAIN, ...args], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  child.on('exit', (code, sig) => {
    if (code !== 0 && sig !== 'SIGTERM') process.stderr.write(`board bench: ${args[0]} exited ${code ?? sig}\n${err}\n`);
  });
  return child;
}

async function getJson(url: string, init?: RequestInit): Promise<Json | undefined> {
  try {
    const r = await fetch(url, init);
    return r.ok ? ((await r.json()) as Json) : undefined;
  } catch {
    return undefined;
  }
}

export interface BoardRun {
  /** performance.now() just before the controller was spawned, of its first Modbus connection and of its first output write. */
  readonly spawnedAtMs: number;
  readonly firstConnect: Promise<number>;
  readonly firstWrite: Promise<number>;
  mem(): Promise<Mem>;
  /** Writes a V8 heap snapshot of the controller to `path` (resolves with the path written). */
  snapshot(path: string): Promise<string>;
  scans(): Promise<number>;
  summary(): Promise<Json>;
  /** The controller's GET /status. */
  status(): Promise<Json>;
  feedA(voltageV: number): Promise<void>;
  close(): Promise<void>;
}

async function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(50)) {
    const v = await f();
    if (v !== undefined) return v;
  }
  throw new Error(`board bench: ${what} not within ${timeoutMs} ms`);
}

export async function startBoardRun(): Promise<BoardRun> {
  const dir = mkdtempSync(join(tmpdir(), 'twinfeed-boardpi-'));
  const [plantModbus, plantHttp, proxyPort, httpPort, scadaPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const config = benchConfig(dir, httpPort, scadaPort);
  const board = join(dir, 'board.yaml');
  writeFileSync(board, readFileSync(join(PACKAGE_ROOT, 'boards', 'sim-tcp.yaml'), 'utf8').replace(/port: 5020\b/, `port: ${proxyPort}`));
  const plantUrl = `http://127.0.0.1:${plantHttp}`;
  const plant = cli(
    ['plant', '--config', config, '--modbus-port', String(plantModbus), '--http-port', String(plantHttp)],
    ['--import', pathToFileURL(PROBE).href],
  );
  await until('the plant', () => getJson(`${plantUrl}/summary`));
  const proxy = writeWatchingProxy(plantModbus);
  await new Promise<void>((r) => proxy.server.listen(proxyPort, '127.0.0.1', r));
  const spawnedAtMs = performance.now();
  const ctl = cli(['run', '--board', board, '--config', config], ['--expose-gc', '--import', pathToFileURL(PROBE).href]);
  const ctlUrl = `http://127.0.0.1:${httpPort}`;
  return {
    spawnedAtMs,
    firstConnect: proxy.firstConnect,
    firstWrite: proxy.firstWrite,
    mem: () =>
      new Promise<Mem>((resolve) => {
        ctl.once('message', (m: Mem) => resolve(m));
        ctl.send('mem');
      }),
    snapshot: (path) =>
      new Promise<string>((resolve) => {
        const on = (m: unknown) => {
          if (typeof m !== 'object' || m === null || !('snapshot' in m)) return;
          ctl.off('message', on);
          resolve(String((m as { snapshot: string }).snapshot));
        };
        ctl.on('message', on);
        ctl.send({ snapshot: path });
      }),
    async scans() {
      const text = await until('/metrics', async () => (await fetch(`${ctlUrl}/metrics`).catch(() => undefined))?.text());
      const m = /^twinfeed_scans_total (\d+)/m.exec(text);
      return m ? Number(m[1]) : NaN;
    },
    summary: () => until('/summary', () => getJson(`${plantUrl}/summary`)),
    status: () => until('/status', () => getJson(`${ctlUrl}/status`)),
    async feedA(voltageV) {
      await until('POST /sim', () => getJson(`${plantUrl}/sim`, { method: 'POST', body: JSON.stringify({ 'feed.A.voltage': voltageV }) }));
    },
    async close() {
      ctl.kill('SIGTERM');
      plant.kill('SIGTERM');
      const exited = (c: ChildProcess) =>
        c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => c.once('exit', () => r()));
      await Promise.all([exited(ctl), exited(plant)]);
      await proxy.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
