// The dashboard for bright light, a screen reader and a phone, in Debian's chromium: every visible
// text ≥ 4.5:1 (3:1 large) against its background in the normal and the outage state; the diagram has
// a text equivalent that follows the state; every control has an accessible name; at 360×740 nothing
// overflows sideways and the command buttons are at least 44×44 CSS px.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CI, missingTool } from '../system-tools.js';
import { CONTRAST_SCRIPT, type ContrastFailure } from './contrast.js';
import { launchBrowser, startController, type Controller } from './harness.js';
import { poll } from './poll.js';

const missing = missingTool('chromium');

let browser: BrowserContext;
let ctl: Controller;
let page: Page;

interface AxNode {
  role?: { value?: string };
  name?: { value?: string };
  ignored?: boolean;
}

/** The page's accessibility tree as chromium computes it for a screen reader (CDP). */
async function axTree(p: Page): Promise<AxNode[]> {
  const cdp = await p.context().newCDPSession(p);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
  await cdp.detach();
  return nodes.filter((n) => !n.ignored);
}

/** Live, with its trend charts drawn. */
const LOADED = "document.getElementById('conn').textContent === 'live' && document.querySelector('#trends figure') !== null";
/** Waits for a page expression to be true (waitForFunction would need eval, which the page's CSP forbids). */
async function until(p: Page, expr: string, timeoutMs = 30_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !(await p.evaluate(expr));) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const contrastFailures = (p: Page) => p.evaluate(CONTRAST_SCRIPT) as Promise<ContrastFailure[]>;

describe.skipIf(missing !== undefined && !CI)('dashboard accessibility and phones (chromium)', () => {
  beforeAll(async () => {
    ctl = await startController();
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${ctl.port}/`);
    await until(page, LOADED);
  });
  afterAll(async () => {
    await browser?.close();
    await ctl?.stop();
  });

  it('every visible text has enough contrast in the normal state', async () => {
    expect(await contrastFailures(page)).toEqual([]);
    // The check itself sees a bad text: #999 on white is 2.8:1.
    await page.evaluate(
      "document.querySelector('h1').after(Object.assign(document.createElement('span'), { id: 'probe', textContent: 'grey' })); probe.style.color = '#999'",
    );
    expect(await contrastFailures(page)).toMatchObject([{ text: 'grey', ratio: 2.85, need: 4.5 }]);
    await page.evaluate("document.getElementById('probe').remove()");
  });

  it('every button and input has an accessible name; the diagram is an image named by its text equivalent', async () => {
    const nodes = await axTree(page);
    const controls = nodes.filter((n) => ['button', 'spinbutton', 'combobox', 'textbox', 'checkbox', 'slider'].includes(n.role?.value ?? ''));
    expect(controls.length).toBeGreaterThan(30);
    expect(controls.filter((n) => !n.name?.value?.trim()).map((n) => n.role?.value)).toEqual([]);
    const img = nodes.find((n) => n.role?.value === 'image' && /Feed A/.test(n.name?.value ?? ''));
    expect(img?.name?.value).toMatch(/^Feed A available, 230 volts; .* Load bus live on A/);
  });

  it('in an outage: the text equivalent follows the state and every text still has enough contrast', async () => {
    await fetch(`http://127.0.0.1:${ctl.port}/sim`, { method: 'POST', body: JSON.stringify({ 'generator.startMs': 300, 'feed.A.voltage': 0 }) });
    await poll(() => page.textContent('#bus-state'), { timeout: 30_000 }).toBe('load bus live · on B');
    await poll(() => page.textContent('#alarms')).toContain('SOURCE_A_FAIL');
    const img = (await axTree(page)).find((n) => n.role?.value === 'image' && /Feed A/.test(n.name?.value ?? ''));
    expect(img?.name?.value).toMatch(/^Feed A unavailable \(undervoltage\), 0 volts; .* Load bus live on B/);
    expect(await page.getAttribute('#diagram-text', 'aria-live')).toBe('polite');
    expect(await contrastFailures(page)).toEqual([]);
  });

  it('on a 360×740 phone: nothing overflows sideways, command buttons are at least 44×44 px', async () => {
    const phone = await browser.newPage();
    await phone.setViewportSize({ width: 360, height: 740 });
    await phone.goto(`http://127.0.0.1:${ctl.port}/`);
    await until(phone, LOADED);
    expect(await phone.evaluate('document.scrollingElement.scrollWidth')).toBeLessThanOrEqual(360);
    const buttons = phone.locator('#commands button, #ack, #incidents button, #knobs button');
    const sizes: { text: string; width: number; height: number }[] = [];
    for (const b of await buttons.all()) sizes.push({ text: (await b.textContent()) ?? '', width: 0, height: 0, ...(await b.boundingBox()) });
    expect(sizes.length).toBeGreaterThan(10);
    expect(sizes.filter((s) => s.width < 44 || s.height < 44).map((s) => `${s.text} ${s.width}×${s.height}`)).toEqual([]);
    expect(await contrastFailures(phone)).toEqual([]);
    await phone.close();
  });
});
