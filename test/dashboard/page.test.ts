// The dashboard in a real browser (Debian's chromium driven by playwright-core): it loads clean,
// a knob set from its panel fails feed A and the diagram follows the transfer live, an alarm is
// acknowledged from it, refusals carry the controller's reason, and it reconnects after a restart.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CI, missingTool } from '../system-tools.js';
import { launchBrowser, startController, type Controller } from './harness.js';
import { poll } from './poll.js';

const missing = missingTool('chromium');
if (missing && !CI) console.warn(`SKIP dashboard browser tests: ${missing}`);
// Under dist/ (built output, ignored by git): nothing new at the repository's top level.
export const SHOTS = join(import.meta.dirname, '..', '..', 'dist', 'test-output', 'dashboard');

let browser: BrowserContext;
let ctl: Controller;
let page: Page;
const errors: string[] = [];

describe.skipIf(missing !== undefined && !CI)('dashboard in chromium', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ctl = await startController();
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await ctl?.stop();
  });

  it('loads with no console errors and shows the cabinet live', async () => {
    await page.goto(`http://127.0.0.1:${ctl.port}/`);
    await poll(() => page.textContent('#conn')).toBe('live');
    await poll(() => page.textContent('#bus-state')).toContain('live · on A');
    expect(await page.textContent('#feed-A-state')).toBe('available');
    expect(await page.isVisible('#readonly')).toBe(false);
    await page.screenshot({ path: join(SHOTS, 'normal.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('the knob panel shows each knob’s value and follows a change made elsewhere, leaving alone a field being edited', async () => {
    await poll(() => page.inputValue('[id="knob-feed.A.voltage"]')).toBe('230');
    expect(await page.inputValue('[id="knob-breaker.B.stuck"]')).toBe('none');
    expect(await page.inputValue('[id="knob-meter.A.comm"]')).toBe('true');
    await page.fill('[id="knob-feed.B.frequency"]', '55');
    // Another client (a script, a second page) changes two knobs.
    const r = await fetch(`http://127.0.0.1:${ctl.port}/sim`, { method: 'POST', body: JSON.stringify({ 'generator.fuelPct': 42, 'feed.B.frequency': 51 }) });
    expect(r.status).toBe(200);
    await poll(() => page.inputValue('[id="knob-generator.fuelPct"]')).toBe('42');
    expect(await page.inputValue('[id="knob-feed.B.frequency"]')).toBe('55');
    // Escape gives the field back to the live value at the next change.
    await page.press('[id="knob-feed.B.frequency"]', 'Escape');
    await page.focus('[id="knob-feed.A.voltage"]');
    await fetch(`http://127.0.0.1:${ctl.port}/sim`, { method: 'POST', body: JSON.stringify({ 'feed.B.frequency': 50 }) });
    await poll(() => page.inputValue('[id="knob-feed.B.frequency"]')).toBe('50');
  });

  it('a refused command shows the controller’s own reason', async () => {
    await page.click('text=Approve retransfer');
    await poll(() => page.isVisible('#confirm')).toBe(true);
    expect(await page.textContent('#confirm-what')).toContain('preferred feed');
    await page.click('#confirm-ok');
    await poll(() => page.textContent('#result')).toMatch(/^approveRetransfer refused: \S+/);
  });

  it('a knob set from the panel fails feed A: the generator starts and the load moves to B without a reload', async () => {
    const seq = Number(await page.getAttribute('body', 'data-scan-seq'));
    await page.fill('[id="knob-generator.startMs"]', '300');
    await page.press('[id="knob-generator.startMs"]', 'Enter');
    await poll(() => page.textContent('#sim-result')).toBe('set generator.startMs');
    await page.fill('[id="knob-feed.A.voltage"]', '0');
    await page.click('button[aria-label="Apply feed.A.voltage"]');
    await poll(() => page.textContent('#feed-A-state')).toBe('unavailable: undervoltage');
    await poll(() => page.textContent('#gen-state'), { timeout: 30_000 }).toMatch(/generator (starting|running)/);
    await poll(() => page.textContent('#bus-state'), { timeout: 30_000 }).toBe('load bus live · on B');
    await poll(() => page.textContent('#k-B-fb')).toBe('fb closed');
    expect(await page.textContent('#events')).toContain('transfer.end');
    // The same page, updated by the stream: no navigation happened.
    expect(Number(await page.getAttribute('body', 'data-scan-seq'))).toBeGreaterThan(seq);
    await page.screenshot({ path: join(SHOTS, 'outage.png'), fullPage: true });
  });

  it('the alarm is acknowledged from the page', async () => {
    await poll(() => page.textContent('#alarms li[data-code="SOURCE_A_FAIL"]')).toBe('SOURCE_A_FAIL (not acknowledged)');
    await page.click('#ack');
    await page.click('#confirm-ok');
    await poll(() => page.textContent('#result')).toBe('ackAlarms: accepted');
    await poll(() => page.textContent('#alarms li[data-code="SOURCE_A_FAIL"]')).toBe('SOURCE_A_FAIL (acknowledged)');
    expect(ctl.loop.latest().status.alarmsUnacked).toEqual([]);
  });

  it('reconnects after a controller restart, without a reload', async () => {
    const port = ctl.port;
    await ctl.stop();
    await poll(() => page.textContent('#conn')).toBe('reconnecting…');
    await new Promise((r) => setTimeout(r, 1500));
    ctl = await startController(undefined, port);
    // The new controller starts with feed A healthy again and its own scan count.
    await poll(() => page.textContent('#conn'), { timeout: 30_000 }).toBe('live');
    await poll(() => page.textContent('#feed-A-state'), { timeout: 30_000 }).toBe('available');
  });
});
