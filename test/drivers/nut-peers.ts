// A real NUT server for the tests: Debian's upsd and its dummy-ups driver, started as plain child
// processes (not services) with their config and state in a temp dir, upsd on 127.0.0.1:<free port>.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const UPSD = '/lib/nut/upsd';
export const DUMMY_UPS = '/lib/nut/dummy-ups';

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

export interface NutServer {
  readonly port: number;
  readonly ups: string;
  /** Rewrites the .dev file dummy-ups reads (it re-reads it when it changes). */
  setVars(vars: Record<string, string>): void;
  startDriver(): void;
  /** The driver dies (SIGKILL): upsd answers ERR DRIVER-NOT-CONNECTED. */
  killDriver(): Promise<void>;
  /** The driver hangs (SIGSTOP) or resumes (SIGCONT): after MAXAGE upsd answers ERR DATA-STALE. */
  freezeDriver(frozen: boolean): void;
  stop(): Promise<void>;
}

const exited = (p: ChildProcess) => new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));

export async function startNutServer(opts: { maxAgeS: number }): Promise<NutServer> {
  const dir = mkdtempSync(join(tmpdir(), 'twinfeed-nut-'));
  chmodSync(dir, 0o700);
  const ups = 'cab';
  const port = await freePort();
  writeFileSync(join(dir, 'ups.conf'), `[${ups}]\n  driver = dummy-ups\n  port = ${ups}.dev\n  pollinterval = 1\n  desc = "twinfeed test UPS"\n`);
  writeFileSync(join(dir, 'upsd.conf'), `LISTEN 127.0.0.1 ${port}\nMAXAGE ${opts.maxAgeS}\n`);
  writeFileSync(join(dir, 'upsd.users'), '');
  const env = { ...process.env, NUT_CONFPATH: dir, NUT_STATEPATH: dir };
  // As root, both would switch to the `nut` user, which cannot write our temp dir: stay root here.
  const asUser = process.getuid?.() === 0 ? ['-u', 'root'] : [];
  const logs: string[] = [];
  const run = (cmd: string, args: string[]) => {
    const p = spawn(cmd, [...args, '-F', ...asUser], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout?.on('data', (b: Buffer) => logs.push(b.toString()));
    p.stderr?.on('data', (b: Buffer) => logs.push(b.toString()));
    return p;
  };
  let driver: ChildProcess | undefined;
  const server: NutServer = {
    port,
    ups,
    setVars: (vars) =>
      writeFileSync(
        join(dir, `${ups}.dev`),
        Object.entries(vars)
          .map(([k, v]) => `${k}: ${v}\n`)
          .join(''),
      ),
    startDriver: () => void (driver = run(DUMMY_UPS, ['-a', ups])),
    async killDriver() {
      if (!driver) return;
      driver.kill('SIGKILL');
      await exited(driver);
      driver = undefined;
    },
    freezeDriver: (frozen) => void driver?.kill(frozen ? 'SIGSTOP' : 'SIGCONT'),
    async stop() {
      driver?.kill('SIGCONT');
      await server.killDriver();
      upsd.kill('SIGTERM');
      await exited(upsd);
    },
  };
  server.setVars({ 'ups.status': 'OL', 'battery.charge': '100', 'battery.runtime': '1800' });
  server.startDriver();
  const upsd = run(UPSD, []);
  await waitForPort(port, () => logs.join(''));
  return server;
}

async function waitForPort(port: number, logs: () => string): Promise<void> {
  const { connect } = await import('node:net');
  const end = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), r(true)));
      s.once('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`upsd did not listen on 127.0.0.1:${port}:\n${logs()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
