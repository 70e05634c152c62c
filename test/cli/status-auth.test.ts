// `twinfeed status` against a controller with http.auth: it sends the credentials named by the config
// (token, else the basic file's user) or --token-file, and a 401 is a clear message with exit 77.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EX_NOPERM } from '../../src/config/exit-codes.js';
import { cli, ensureBuilt, files, MAIN, ROOT } from './cli-helpers.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const TOKEN = 'correct-horse-battery-staple-42';
let port = 0;
let f: Record<string, string> = {};
let child: ReturnType<typeof spawn> | undefined;

beforeAll(async () => {
  ensureBuilt();
  port = await freePort();
  f = files({ token: `${TOKEN}\n`, users: '# technicians\ntech:s3cret-pass\n', wrong: 'not-the-token-at-all-0000\n' });
  const base = `http:\n  port: ${port}\n  auth:\n`;
  const rest = 'scada:\n  enabled: false\nuplinks:\n  enabled: false\n';
  Object.assign(
    f,
    files({
      'both.yaml': `${base}    tokenFile: ${f.token}\n    basicFile: ${f.users}\n${rest}`,
      'basic.yaml': `${base}    basicFile: ${f.users}\n${rest}`,
    }),
  );
  child = spawn(process.execPath, [MAIN, 'run', '--config', f['both.yaml'] as string], { cwd: ROOT, stdio: 'ignore' });
  for (const end = Date.now() + 20_000; ;) {
    if ((await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok) break;
    if (Date.now() > end) throw new Error('controller did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}, 300_000);

afterAll(() => {
  child?.kill('SIGTERM');
});

describe('twinfeed status with http.auth', () => {
  it('without credentials: exit 77 and a message naming --config and --token-file', async () => {
    const r = await cli(['status', '--url', `http://127.0.0.1:${port}`]);
    expect(r.code).toBe(EX_NOPERM);
    expect(r.stderr).toMatch(/requires credentials \(HTTP 401, http\.auth\); pass --config FILE .* or --token-file FILE/);
  });

  it('with --config: finds the controller and sends the token its tokenFile holds', async () => {
    const r = await cli(['status', '--config', f['both.yaml'] as string]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('load       on feed A (closed)');
  });

  it('with a config that names only a basicFile: sends its first user:password line', async () => {
    const r = await cli(['status', '--json', '--config', f['basic.yaml'] as string]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ mode: 'auto', source: 'A' });
  });

  it('--token-file overrides the config; a wrong token names the file it came from', async () => {
    const bad = await cli(['status', '--config', f['both.yaml'] as string, '--token-file', f.wrong as string]);
    expect(bad.code).toBe(EX_NOPERM);
    expect(bad.stderr).toContain(`refused the credentials from ${f.wrong} (HTTP 401)`);
    const good = await cli(['status', '--url', `http://127.0.0.1:${port}`, '--token-file', f.token as string]);
    expect(good.code, good.stderr).toBe(0);
  });

  it('a token file that cannot be read: exit 66 naming it', async () => {
    const r = await cli(['status', '--url', `http://127.0.0.1:${port}`, '--token-file', '/nonexistent/token']);
    expect(r.code).toBe(66);
    expect(r.stderr).toMatch(/--token-file: cannot read \/nonexistent\/token/);
  });
});
