// http.auth: with a token file and/or a basic-auth file every route but /healthz needs credentials;
// the secrets live in files, never in the config; a file that cannot be used stops the start.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigInvalid } from '../../src/config/errors.js';
import { validateConfig } from '../../src/config/load.js';
import { startSimHttp, stopSimHttp } from './sim-http.js';

const dir = mkdtempSync(join(tmpdir(), 'twinfeed-auth-'));
const TOKEN = 'k3y-0123456789abcdef';
writeFileSync(join(dir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
writeFileSync(join(dir, 'users'), '# technicians\nnight:shift-pass\n', { mode: 0o600 });

afterEach(stopSimHttp);

const start = async (auth: Record<string, string> | null): Promise<string> => `http://127.0.0.1:${await startSimHttp({ auth })}`;

const basic = (userPass: string) => `Basic ${Buffer.from(userPass).toString('base64')}`;

describe('http.auth', () => {
  it('with a token file: 401 without it or with a wrong one, 200 with it; /healthz stays open', async () => {
    const base = await start({ tokenFile: join(dir, 'token') });
    const none = await fetch(`${base}/status`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await fetch(`${base}/status`, { headers: { authorization: 'Bearer wrong-token-000000' } })).status).toBe(401);
    expect((await fetch(`${base}/status`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/command`, { method: 'POST', body: '{"name":"ackAlarms"}' })).status).toBe(401);
    expect((await fetch(`${base}/command`, { method: 'POST', body: '{"name":"ackAlarms"}', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    await expect.poll(async () => (await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('with a basic-auth file: a browser is asked (WWW-Authenticate: Basic) and its user let in', async () => {
    const base = await start({ basicFile: join(dir, 'users'), tokenFile: join(dir, 'token') });
    const none = await fetch(`${base}/`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic realm="twinfeed"/);
    expect((await fetch(`${base}/`, { headers: { authorization: basic('night:wrong') } })).status).toBe(401);
    expect((await fetch(`${base}/`, { headers: { authorization: basic('night:shift-pass') } })).status).toBe(200);
    expect((await fetch(`${base}/events`, { headers: { authorization: basic('night:shift-pass') } })).headers.get('content-type')).toBe('text/event-stream');
    // Both kinds at once: the token still works for scripts.
    expect((await fetch(`${base}/status`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('refuses to start on a file it cannot read or a short token, naming the file', async () => {
    await expect(start({ tokenFile: join(dir, 'missing') })).rejects.toThrow(/http\.auth\.tokenFile: cannot read .*missing/);
    writeFileSync(join(dir, 'short'), 'abc');
    await expect(start({ tokenFile: join(dir, 'short') })).rejects.toThrow(/shorter than 16/);
  });

  it('has no place for a secret in the config itself', () => {
    expect(() => validateConfig({ http: { auth: { token: TOKEN } } }, 'test')).toThrow(ConfigInvalid);
    expect(() => validateConfig({ http: { auth: {} } }, 'test')).toThrow(/tokenFile, basicFile or both/);
  });
});
