// A browser outside http.commandAllow gets a read-only page: it says so, shows no command buttons
// and no fault-injection panel, and a POST it sends anyway is refused by the controller.
import { networkInterfaces } from 'node:os';
import type { BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { CI, missingTool } from '../system-tools.js';
import { FAST, launchBrowser, startController, type Controller } from './harness.js';
import { poll } from './poll.js';

/** A non-loopback IPv4 address of this machine: a browser connecting to it is not a loopback client. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;

let browser: BrowserContext | undefined;
let ctl: Controller | undefined;
afterAll(async () => {
  await browser?.close();
  await ctl?.stop();
});

describe.skipIf((missingTool('chromium') !== undefined && !CI) || external === undefined)(
  `the page from a client outside commandAllow (${external ?? 'none'})`,
  () => {
    it('is read-only, says so, and its POST is refused', async () => {
      ctl = await startController(FAST, 0, '0.0.0.0', []);
      browser = await launchBrowser();
      const page = await browser.newPage();
      await page.goto(`http://${external as string}:${ctl.port}/`);
      await poll(() => page.textContent('#conn')).toBe('live');
      expect(await page.isVisible('#readonly')).toBe(true);
      expect(await page.textContent('#readonly')).toContain('Read-only');
      // Status is there, commands are not.
      expect(await page.textContent('#bus-state')).toContain('on A');
      expect(await page.locator('button:visible').count()).toBe(0);
      expect(await page.isVisible('#sim')).toBe(false);
      const refused = await page.evaluate(async () => {
        const post = (path: string, body: unknown) => fetch(path, { method: 'POST', body: JSON.stringify(body) });
        return [(await post('/command', { name: 'ackAlarms' })).status, (await post('/sim', { 'feed.A.voltage': 0 })).status];
      });
      expect(refused).toEqual([403, 403]);
      expect(ctl.loop.latest().status.feeds.A.available).toBe(true);
    });
  },
);
