// Trend charts (uPlot, shipped with the page) from the controller's one-hour ring buffer, extended
// live from the event stream at most once a second.
import { $ } from './dom.js';
const GROUPS = [
  { title: 'Feed voltage (V)', keys: ['feed.A.voltageV', 'feed.B.voltageV'] },
  { title: 'Feed frequency (Hz)', keys: ['feed.A.frequencyHz', 'feed.B.frequencyHz'] },
  { title: 'UPS charge (%)', keys: ['ups.chargePct'] },
  { title: 'Uplink latency (ms)', match: /^uplink\..*\.latencyMs$/ },
  { title: 'Uplink loss (%)', match: /^uplink\..*\.lossPct$/ },
];
const COLOURS = ['#0047ab', '#b00020', '#005a00', '#8a4b00'];

/** @typedef {import('./types.js').Status} Status */
/** @typedef {import('./types.js').TrendSeries} TrendSeries */
/** @typedef {{ keys: string[], x: number[], ys: (number | null)[][], plot: import('uplot') }} Chart */

/** @type {Chart[]} */
let charts = [];
let lastS = 0;

/**
 * @param {Status} s
 * @returns {Record<string, number | null>}
 */
function valuesOf(s) {
  /** @type {Record<string, number | null>} */
  const v = {
    'feed.A.voltageV': s.feeds.A.voltageV,
    'feed.B.voltageV': s.feeds.B.voltageV,
    'feed.A.frequencyHz': s.feeds.A.frequencyHz,
    'feed.B.frequencyHz': s.feeds.B.frequencyHz,
    'ups.chargePct': s.ups.chargePct,
  };
  for (const [id, l] of Object.entries(s.uplink)) {
    if (l && typeof l === 'object') Object.assign(v, { [`uplink.${id}.latencyMs`]: l.latencyMs, [`uplink.${id}.lossPct`]: l.lossPct });
  }
  return v;
}

export async function loadTrends() {
  const box = $('trends');
  const UPlot = window.uPlot;
  if (typeof UPlot !== 'function') return;
  const r = await fetch('/trends');
  if (!r.ok) return;
  /** @type {TrendSeries} */
  const t = await r.json();
  box.replaceChildren();
  charts = [];
  const width = Math.min(560, Math.max(260, box.clientWidth - 20));
  for (const g of GROUPS) {
    const keys = g.keys ?? Object.keys(t.series).filter((k) => g.match?.test(k));
    if (keys.length === 0) continue;
    const x = t.tS.slice();
    const ys = keys.map((k) => (t.series[k] ?? []).slice());
    const series = [{}, ...keys.map((k, i) => ({ label: k, stroke: COLOURS[i % COLOURS.length], width: 2 }))];
    const el = document.createElement('figure');
    el.setAttribute('aria-label', g.title);
    box.append(el);
    charts.push({ keys, x, ys, plot: new UPlot({ title: g.title, width, height: 160, series }, [x, ...ys], el) });
  }
  lastS = t.tS.at(-1) ?? 0;
}

/**
 * @param {Status} status
 * @param {number} atMs
 */
export function pushTrend(status, atMs) {
  const tS = Math.floor(atMs / 1000);
  if (tS <= lastS || charts.length === 0) return;
  lastS = tS;
  const v = valuesOf(status);
  for (const c of charts) {
    c.x.push(tS);
    c.keys.forEach((k, i) => c.ys[i]?.push(v[k] ?? null));
    if (c.x.length > 3600) for (const col of [c.x, ...c.ys]) col.shift();
    c.plot.setData([c.x, ...c.ys]);
  }
}
