// The dashboard's figures: page weight (gzipped, as served); plant change → the page showing it in
// Debian's chromium (p50/p99); the scan (read → output image written), scan-to-output and the event
// loop's delay with 20 open dashboards compared with none in the same run; the controller's RSS with 20 dashboards.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/runtime/run.js';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pageWeightGzBytes } from '../../src/runtime/dashboard/assets.js';
import { missingTool } from '../system-tools.js';
import { launchBrowser, startController, FAST } from '../dashboard/harness.js';

type Emit = (name: string, value: number, unit: string) => void;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const now = () => performance.timeOrigin + performance.now();

/**
 * The clients, in a child process so that their work is not counted in the controller's loop: N
 * event-stream readers, and a plant change (POST /sim) every 20 ms, each pushed to the open streams,
 * as another machine's browser and fault panel would be.
 */
const CLIENTS = `
const [base, n] = process.argv.slice(1);
let bytes = 0;
for (let i = 0; i < Number(n); i++) fetch(base + '/events').then(async (r) => { for await (const c of r.body) bytes += c.length; }).catch(() => {});
let v = 0;
const change = () => fetch(base + '/sim', { method: 'POST', body: JSON.stringify({ 'feed.B.voltage': 225 + (v++ % 10) }) }).catch(() => {}).finally(() => setTimeout(change, 20));
change();
`;

async function pageLatency(emit: Emit): Promise<void> {
  const ctl = await startController(FAST);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${ctl.port}/`);
    // Browser code as text: this project's TypeScript has no DOM types.
    // Polled: waitForFunction would need eval, which the page's CSP forbids.
    for (const until = Date.now() + 30_000; (await page.textContent('#conn')) !== 'live'; await sleep(20))
      if (Date.now() > until) throw new Error('the page never went live');
    // The page notes when the PSU line of the diagram changes, on the wall clock this process shares.
    await page.evaluate(
      `window.seen = []; new MutationObserver(() => window.seen.push({ text: document.getElementById('psu-state')?.textContent ?? '', at: performance.timeOrigin + performance.now() })).observe(document.getElementById('diagram'), { childList: true, subtree: true })`,
    );
    const lat: number[] = [];
    for (let i = 0; i < 60; i++) {
      const ok = i % 2 === 1;
      const want = ok ? 'PSU 3 of 3' : 'PSU 2 of 3';
      const t0 = now();
      await fetch(`http://127.0.0.1:${ctl.port}/sim`, { method: 'POST', body: JSON.stringify({ 'psu.1.ok': ok }) });
      // Polled by evaluate (the page's CSP forbids waitForFunction's eval); the time is the page's own.
      let at: number | undefined;
      for (const until = Date.now() + 5000; at === undefined && Date.now() < until; await sleep(5)) {
        at = (await page.evaluate(`window.seen.find((s) => s.text.startsWith(${JSON.stringify(want)}))?.at`)) as number | undefined;
      }
      if (at === undefined) throw new Error(`the page never showed "${want}"`);
      lat.push(at - t0);
      await page.evaluate('window.seen.length = 0');
      await sleep(20);
    }
    emit('dashboard plant change → page shows it p50', pct(lat, 50), 'ms');
    emit('dashboard plant change → page shows it p99', pct(lat, 99), 'ms');
  } finally {
    await browser.close();
    await ctl.stop();
  }
}

/**
 * Scan-to-output: scans due at random moments (as an input edge wakes the loop), each timed from when
 * it was due until it has run (output image written, publish queued); meanwhile the plant changes every
 * ~20 ms, each change pushed to the open dashboards, so their fan-out competes with those scans.
 */
async function scanToOutput(ctl: { loop: { scanNow(): void } }, running: () => boolean): Promise<number[]> {
  const out: number[] = [];
  while (running()) {
    // Whole ms, as Node's timers keep them; a timer may still fire up to ~1 ms early (its cached loop time).
    const delayMs = 3 + Math.floor(Math.random() * 14);
    const dueAt = performance.now() + delayMs;
    await new Promise<void>((r) =>
      setTimeout(() => {
        ctl.loop.scanNow();
        out.push(performance.now() - dueAt);
        r();
      }, delayMs),
    );
  }
  return out;
}

/** Scan read → output written, scan-to-output and event-loop delay, while the clients change a knob every 20 ms (each change pushed). */
async function scanWith(readers: number): Promise<{ scans: number[]; toOutput: number[]; loopP99: number }> {
  const ctl = await startController(FAST);
  const child = spawn(process.execPath, ['-e', CLIENTS, `http://127.0.0.1:${ctl.port}`, String(readers)], { stdio: 'ignore' });
  await sleep(1000);
  const scans: number[] = [];
  const base = ctl.loop.scans;
  // The scan loop's own timing is not exposed; time it from the outside: scanNow() runs read → step → write → publish.
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const end = Date.now() + 10_000;
  const sampled = scanToOutput(ctl, () => Date.now() < end);
  while (Date.now() < end) {
    const t0 = performance.now();
    ctl.loop.scanNow();
    scans.push(performance.now() - t0);
    await sleep(20);
  }
  const toOutput = await sampled;
  h.disable();
  child.kill();
  await ctl.stop();
  if (ctl.loop.scans <= base) throw new Error('no scans ran');
  return { scans, toOutput, loopP99: h.percentile(99) / 1e6 };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** VmRSS of a real `twinfeed run` (sim board) after 5 s with `readers` dashboards' streams open. */
async function runRssMiB(readers: number): Promise<number> {
  const port = await freePort();
  const cfg = join(mkdtempSync(join(tmpdir(), 'twinfeed-rss-')), 'c.yaml');
  writeFileSync(cfg, `http: { port: ${port} }\nscada: { enabled: false }\n`);
  const run = spawn(process.execPath, [join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js'), 'run', '--config', cfg], { stdio: 'ignore' });
  try {
    for (
      let i = 0;
      i < 100 &&
      !(await fetch(`http://127.0.0.1:${port}/healthz`)
        .then((r) => r.ok)
        .catch(() => false));
      i++
    )
      await sleep(100);
    const child = spawn(process.execPath, ['-e', CLIENTS, `http://127.0.0.1:${port}`, String(readers)], { stdio: 'ignore' });
    await sleep(5000);
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${run.pid ?? 0}/status`, 'utf8'))?.[1]);
    child.kill();
    return kb / 1024;
  } finally {
    run.kill('SIGTERM');
  }
}

export async function bench(emit: Emit): Promise<void> {
  emit('dashboard page weight (gzipped, all files)', pageWeightGzBytes() / 1024, 'KiB');
  // Interleaved rounds, pooled: a neighbour's load on this machine falls on both sides alike.
  const none = { scans: [] as number[], toOutput: [] as number[], loops: [] as number[] };
  const twenty = { scans: [] as number[], toOutput: [] as number[], loops: [] as number[] };
  for (let round = 0; round < 3; round++) {
    for (const [n, acc] of [
      [0, none],
      [20, twenty],
    ] as const) {
      const r = await scanWith(n);
      acc.scans.push(...r.scans);
      acc.toOutput.push(...r.toOutput);
      acc.loops.push(r.loopP99);
    }
  }
  emit('scan (read → output written → publish) p99, no dashboards', pct(none.scans, 99), 'ms');
  emit('scan (read → output written → publish) p99, 20 dashboards', pct(twenty.scans, 99), 'ms');
  emit('scan-to-output (due → output written) p50, no dashboards', pct(none.toOutput, 50), 'ms');
  emit('scan-to-output (due → output written) p50, 20 dashboards', pct(twenty.toOutput, 50), 'ms');
  emit('scan-to-output (due → output written) p99, no dashboards', pct(none.toOutput, 99), 'ms');
  emit('scan-to-output (due → output written) p99, 20 dashboards', pct(twenty.toOutput, 99), 'ms');
  emit('event-loop delay p99 (median of 3 rounds), no dashboards', pct(none.loops, 50), 'ms');
  emit('event-loop delay p99 (median of 3 rounds), 20 dashboards', pct(twenty.loops, 50), 'ms');
  emit('twinfeed run RSS, no dashboards', await runRssMiB(0), 'MiB');
  emit('twinfeed run RSS, 20 dashboards', await runRssMiB(20), 'MiB');
  if (missingTool('chromium')) process.stderr.write(`dashboard bench: no page latency: ${missingTool('chromium') ?? ''}\n`);
  else await pageLatency(emit);
}
