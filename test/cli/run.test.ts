// `twinfeed run`: exit 78 on a bad config, 2 on usage errors, and a real start on the sim board that serves /status and exits 0 on SIGTERM/SIGINT.
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt, files, MAIN, ROOT } from './cli-helpers.js';

beforeAll(() => ensureBuilt(), 300_000);

/** A port unlikely to be in use by the other test files running at the same time. */
const port = 20_000 + Math.floor(Math.random() * 20_000);
const f = files({
  'bad.yaml': 'http:\n  port: 99999\n',
  'ok.yaml': `http:\n  port: ${port}\nscada:\n  enabled: false\nuplinks:\n  enabled: false\n`,
});

async function waitForStatus(url: string, deadlineMs: number): Promise<Record<string, unknown>> {
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return (await r.json()) as Record<string, unknown>;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadlineMs) throw new Error(`no answer from ${url}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('twinfeed run', () => {
  it('exits 78 with `path: problem (hint)` for a bad config, before listening on anything', async () => {
    const r = await cli(['run', '--config', f['bad.yaml'] as string]);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/http\.port: .* \(must be at most 65535\)/);
  });

  it('exits 2 for a positional argument', async () => {
    expect((await cli(['run', 'extra'])).code).toBe(2);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('runs on the sim board, serves GET /status, and exits 0 on %s', async (signal) => {
    const child = spawn(process.execPath, [MAIN, 'run', '--config', f['ok.yaml'] as string], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      const status = await waitForStatus(`http://127.0.0.1:${port}/status`, Date.now() + 20_000);
      expect(status).toMatchObject({ mode: 'auto', source: 'A', transfer: 'closed', lockout: false });
    } finally {
      child.kill(signal);
    }
    expect(await exited, stderr).toBe(0);
  });
});
