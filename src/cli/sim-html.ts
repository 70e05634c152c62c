// `twinfeed sim --html OUT.html`: one self-contained HTML file (inline SVG, no script, nothing fetched)
// plotting each scenario: feed voltages, contactor commands and feedback, generator, UPS charge,
// uplinks, events as markers and every expectation with pass or fail. Engineers attach it to a ticket.
import type { Status, UplinkStatus } from '../core/types.js';
import type { TimedEvent } from '../../sim/runner.js';

interface Sample {
  readonly t: number;
  readonly vA: number;
  readonly vB: number;
  readonly lanes: Readonly<Record<string, boolean | null>>;
  readonly gen: string;
  readonly ups: number | null;
}

export interface PlotInput {
  readonly name: string;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly samples: readonly Sample[];
  readonly events: readonly TimedEvent[];
}

/** Collects one sample per scan that changed what is plotted (a month-long run stays small). */
export function createRecorder(): { onStatus(t: number, s: Status): void; readonly samples: Sample[] } {
  const samples: Sample[] = [];
  let last = '';
  return {
    samples,
    onStatus(t, s) {
      const lanes: Record<string, boolean | null> = {
        'K A command': s.breakers.A.commanded,
        'K A feedback': s.breakers.A.closed,
        'K B command': s.breakers.B.commanded,
        'K B feedback': s.breakers.B.closed,
        'UPS on battery': s.ups.onBattery,
      };
      for (const [id, u] of Object.entries(s.uplink)) {
        if (u === null || typeof u !== 'object') continue;
        lanes[`uplink ${id} up`] = (u as UplinkStatus).up;
        lanes[`uplink ${id} carries traffic`] = s.uplink.active === id;
      }
      const sample: Sample = {
        t,
        vA: Math.round(s.feeds.A.voltageV ?? 0),
        vB: Math.round(s.feeds.B.voltageV ?? 0),
        lanes,
        gen: s.generator,
        ups: s.ups.chargePct === null ? null : Math.round(s.ups.chargePct),
      };
      const key = JSON.stringify({ ...sample, t: 0 });
      if (key !== last) samples.push(sample);
      last = key;
    },
  };
}

const esc = (v: unknown): string => String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const W = 900;
const LEFT = 200;
const LANE_H = 16;
const GEN_COLOURS: Record<string, string> = {
  stopped: '#d9d9d9',
  starting: '#f0c36d',
  running: '#2e7d32',
  cooldown: '#90caf9',
  failed: '#b00020',
};

/** A step line through (t, v) points over [0, durationMs], as SVG path data. */
function stepPath(points: readonly { t: number; v: number }[], x: (t: number) => number, y: (v: number) => number, endMs: number): string {
  if (points.length === 0) return '';
  let d = `M${x(0).toFixed(1)},${y((points[0] as { v: number }).v).toFixed(1)}`;
  for (const p of points) d += `H${x(p.t).toFixed(1)}V${y(p.v).toFixed(1)}`;
  return d + `H${x(endMs).toFixed(1)}`;
}

/** Spans where `f(sample)` holds one value, for lanes and generator segments. */
function spans<T>(samples: readonly Sample[], f: (s: Sample) => T, endMs: number): { from: number; to: number; v: T }[] {
  const out: { from: number; to: number; v: T }[] = [];
  for (const [i, s] of samples.entries()) {
    const v = f(s);
    const prev = out.at(-1);
    if (prev && prev.v === v) continue;
    if (prev) prev.to = s.t;
    out.push({ from: i === 0 ? 0 : s.t, to: endMs, v });
  }
  return out;
}

function plot(p: PlotInput): string {
  const end = Math.max(1, p.durationMs);
  const x = (t: number) => LEFT + (t / end) * (W - LEFT - 10);
  const laneNames = [...new Set(p.samples.flatMap((s) => Object.keys(s.lanes)))];
  const vMax = Math.max(250, ...p.samples.map((s) => Math.max(s.vA, s.vB))) * 1.1;
  let y0 = 20;
  let svg = '';
  // Events as markers along the top, each with its details on hover.
  for (const e of p.events.filter((ev) => ev.type !== 'expect' && ev.type !== 'summary')) {
    const colour = e.type === 'alarm' ? '#b00020' : e.type === 'plant' ? '#6a1b9a' : e.type.startsWith('transfer') ? '#0047ab' : '#777';
    svg += `<line x1="${x(e.t)}" x2="${x(e.t)}" y1="4" y2="16" stroke="${colour}" stroke-width="2"><title>${esc(`${(e.t / 1000).toFixed(3)} s ${e.type} ${JSON.stringify({ ...e, t: undefined, type: undefined })}`)}</title></line>`;
  }
  svg += `<text x="4" y="14">events</text>`;
  // Feed voltages.
  const vy = (v: number) => y0 + 110 - (v / vMax) * 100;
  svg += `<text x="4" y="${y0 + 14}">feed voltage (V)</text><line x1="${LEFT}" x2="${W - 10}" y1="${vy(0)}" y2="${vy(0)}" stroke="#999"/>`;
  svg += `<path d="${stepPath(
    p.samples.map((s) => ({ t: s.t, v: s.vA })),
    x,
    vy,
    end,
  )}" fill="none" stroke="#0047ab" stroke-width="2"/>`;
  svg += `<path d="${stepPath(
    p.samples.map((s) => ({ t: s.t, v: s.vB })),
    x,
    vy,
    end,
  )}" fill="none" stroke="#b00020" stroke-width="2" stroke-dasharray="5 3"/>`;
  svg += `<text x="${LEFT - 4}" y="${vy(0)}" text-anchor="end" font-size="11">0</text><text x="${LEFT - 4}" y="${vy(vMax / 1.1) + 4}" text-anchor="end" font-size="11">${Math.round(vMax / 1.1)}</text>`;
  svg += `<text x="4" y="${y0 + 34}" fill="#0047ab">— A</text><text x="44" y="${y0 + 34}" fill="#b00020">- - B</text>`;
  y0 += 120;
  // Boolean lanes: filled while true, hatched grey while unknown.
  for (const name of laneNames) {
    svg += `<text x="4" y="${y0 + 12}">${esc(name)}</text>`;
    for (const s of spans(p.samples, (v) => v.lanes[name], end)) {
      const fill = s.v === true ? '#2e7d32' : s.v === null ? '#bbb' : 'none';
      if (fill !== 'none') svg += `<rect x="${x(s.from)}" y="${y0 + 2}" width="${Math.max(1, x(s.to) - x(s.from))}" height="${LANE_H - 4}" fill="${fill}"/>`;
    }
    svg += `<line x1="${LEFT}" x2="${W - 10}" y1="${y0 + LANE_H - 1}" y2="${y0 + LANE_H - 1}" stroke="#ddd"/>`;
    y0 += LANE_H;
  }
  svg += `<text x="4" y="${y0 + 12}">generator</text>`;
  for (const s of spans(p.samples, (v) => v.gen, end)) {
    svg += `<rect x="${x(s.from)}" y="${y0 + 2}" width="${Math.max(1, x(s.to) - x(s.from))}" height="${LANE_H - 4}" fill="${GEN_COLOURS[s.v] ?? '#999'}"><title>${esc(s.v)}</title></rect>`;
  }
  y0 += LANE_H + 4;
  const uy = (v: number) => y0 + 50 - (v / 100) * 45;
  svg += `<text x="4" y="${y0 + 14}">UPS charge (%)</text>`;
  svg += `<path d="${stepPath(
    p.samples.filter((s) => s.ups !== null).map((s) => ({ t: s.t, v: s.ups as number })),
    x,
    uy,
    end,
  )}" fill="none" stroke="#8a4b00" stroke-width="2"/>`;
  y0 += 56;
  for (let i = 0; i <= 10; i++) svg += `<text x="${x((end * i) / 10) - 10}" y="${y0 + 14}" font-size="11">${esc(((end * i) / 10 / 1000).toFixed(0))} s</text>`;
  y0 += 20;
  const expects = p.events.filter((e) => e.type === 'expect');
  const rows = expects.map((e) => `<tr class="${e.ok ? 'pass' : 'fail'}"><td>${e.ok ? 'PASS' : 'FAIL'}</td><td>${esc(e.detail)}</td></tr>`).join('');
  return `<section><h2 class="${p.ok ? 'pass' : 'fail'}">${esc(p.name)}: ${p.ok ? 'ok' : 'FAILED'}</h2>
<svg viewBox="0 0 ${W} ${y0}" width="100%" role="img" aria-label="timeline of ${esc(p.name)}">${svg}</svg>
<table><thead><tr><th>result</th><th>expectation</th></tr></thead><tbody>${rows || '<tr><td colspan="2">no expectations</td></tr>'}</tbody></table></section>`;
}

export function renderHtml(plots: readonly PlotInput[], title = 'twinfeed scenarios'): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>body{font:15px/1.4 system-ui,sans-serif;margin:1em;color:#000;background:#fff}svg text{font:12px system-ui,sans-serif}section{margin-bottom:2em;border-top:2px solid #000}
.pass{color:#005a00}.fail{color:#b00020;font-weight:bold}table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px;text-align:left}</style></head>
<body><h1>${esc(title)}</h1><p>${plots.filter((p) => p.ok).length} of ${plots.length} scenario(s) ok. Hover a marker for its event.</p>${plots.map(plot).join('\n')}</body></html>
`;
}
