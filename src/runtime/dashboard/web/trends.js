// Trend charts (uPlot, shipped with the page) from the controller's one-hour ring buffer, extended
// live from the event stream at most once a second.
const GROUPS = [
  { title: 'Feed voltage (V)', keys: ['feed.A.voltageV', 'feed.B.voltageV'] },
  { title: 'Feed frequency (Hz)', keys: ['feed.A.frequencyHz', 'feed.B.frequencyHz'] },
  { title: 'UPS charge (%)', keys: ['ups.chargePct'] },
  { title: 'Uplink latency (ms)', match: /^uplink\..*\.latencyMs$/ },
  { title: 'Uplink loss (%)', match: /^uplink\..*\.lossPct$/ },
];
const COLOURS = ['#0047ab', '#b00020', '#005a00', '#8a4b00'];

let charts = [];
let lastS = 0;

function valuesOf(s) {
  const v = { 'feed.A.voltageV': s.feeds.A.voltageV, 'feed.B.voltageV': s.feeds.B.voltageV, 'feed.A.frequencyHz': s.feeds.A.frequencyHz, 'feed.B.frequencyHz': s.feeds.B.frequencyHz, 'ups.chargePct': s.ups.chargePct };
  for (const [id, l] of Object.entries(s.uplink)) {
    if (l && typeof l === 'object') Object.assign(v, { [`uplink.${id}.latencyMs`]: l.latencyMs, [`uplink.${id}.lossPct`]: l.lossPct });
  }
  return v;
}

export async function loadTrends() {
  const box = document.getElementById('trends');
  if (typeof window.uPlot !== 'function') return;
  const r = await fetch('/trends');
  if (!r.ok) return;
  const t = await r.json();
  box.replaceChildren();
  charts = [];
  const width = Math.min(560, Math.max(260, box.clientWidth - 20));
  for (const g of GROUPS) {
    const keys = g.keys ?? Object.keys(t.series).filter((k) => g.match.test(k));
    if (keys.length === 0) continue;
    const data = [t.tS.slice(), ...keys.map((k) => t.series[k].slice())];
    const series = [{}, ...keys.map((k, i) => ({ label: k, stroke: COLOURS[i % COLOURS.length], width: 2 }))];
    const el = document.createElement('figure');
    el.setAttribute('aria-label', g.title);
    box.append(el);
    charts.push({ keys, data, plot: new window.uPlot({ title: g.title, width, height: 160, series }, data, el) });
  }
  lastS = t.tS.at(-1) ?? 0;
}

export function pushTrend(status, atMs) {
  const tS = Math.floor(atMs / 1000);
  if (tS <= lastS || charts.length === 0) return;
  lastS = tS;
  const v = valuesOf(status);
  for (const c of charts) {
    c.data[0].push(tS);
    c.keys.forEach((k, i) => c.data[i + 1].push(v[k] ?? null));
    if (c.data[0].length > 3600) for (const col of c.data) col.shift();
    c.plot.setData(c.data);
  }
}
