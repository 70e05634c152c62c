// With http.auth.basicFile the browser is asked for a user; with one from the file the page loads,
// goes live (the event stream carries the same credentials) and its commands are accepted.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { CI, missingTool } from '../system-tools.js';
import { FAST, launchBrowser, startController, type Controller } from './harness.js';
import { poll } from './poll.js';

let browser: BrowserContext | undefined;
let ctl: Controller | undefined;
afterAll(async () => {
  await browser?.close();
  await ctl?.stop();
});

describe.skipIf(missingTool('chromium') !== undefined && !CI)('the page behind http.auth (basic)', () => {
  it('loads, goes live and sends commands with a user from the file; without one it gets 401', async () => {
    const users = join(mkdtempSync(join(tmpdir(), 'twinfeed-auth-')), 'users');
    writeFileSync(users, 'night:shift-pass\n', { mode: 0o600 });
    ctl = await startController({ ...FAST, http: { auth: { basicFile: users } } });
    expect((await fetch(`http://127.0.0.1:${ctl.port}/`)).status).toBe(401);
    browser = await launchBrowser({ username: 'night', password: 'shift-pass' });
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${ctl.port}/`);
    await poll(() => page.textContent('#conn')).toBe('live');
    await page.click('text=Manual mode');
    await page.click('#confirm-ok');
    await poll(() => page.textContent('#result')).toBe('setMode: accepted');
    await poll(() => page.textContent('#mode')).toBe('manual');
  });
});
