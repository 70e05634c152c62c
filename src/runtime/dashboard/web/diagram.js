// The one-line diagram as SVG, and the same facts as a sentence for a screen reader. Pure: status in,
// markup out (every text that came from the controller is escaped).

/** @typedef {import('./types.js').Status} Status */
/** @typedef {import('./types.js').Session} Session */
/** @typedef {import('../../../core/types.js').UplinkStatus} UplinkStatus */
/** @typedef {'A' | 'B'} Feed */

/** @param {unknown} v */
const esc = (v) => String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/**
 * @param {number | null | undefined} v
 * @param {string} unit
 */
const num = (v, unit, digits = 0) => (v === null || v === undefined ? `? ${unit}` : `${Number(v).toFixed(digits)} ${unit}`);
/** @param {number} ms */
const secs = (ms) => `${Math.ceil(ms / 1000)} s`;
/** @param {boolean | null} b */
const pos = (b) => (b === null ? 'unknown' : b ? 'closed' : 'open');

/**
 * @param {number} x
 * @param {number} y
 * @param {string} s
 */
function text(x, y, s, cls = '', id = '') {
  return `<text x="${x}" y="${y}"${cls ? ` class="${cls}"` : ''}${id ? ` id="${id}"` : ''}>${esc(s)}</text>`;
}

/**
 * @param {Status} s
 * @param {Feed} f
 * @param {number} x
 * @param {Session['roles']} roles
 */
function feed(s, f, x, roles) {
  const d = s.feeds[f];
  const role = roles?.[f] ?? '';
  const state = d.available ? 'available' : `unavailable: ${d.reason}`;
  let out = `<rect x="${x}" y="10" width="210" height="74" class="${d.available ? 'boxok' : 'boxbad'}"/>`;
  out += text(x + 8, 28, `Feed ${f}${role ? ` (${role})` : ''}`);
  out += text(x + 8, 46, `${num(d.voltageV, 'V')}  ${num(d.frequencyHz, 'Hz', 2)}`);
  out += text(x + 8, 64, state, d.available ? 'ok' : 'bad', `feed-${f}-state`);
  if (role === 'generator') {
    const bad = s.generator === 'failed';
    out += `<circle cx="${x + 186}" cy="44" r="16" class="${bad ? 'boxbad' : s.generator === 'running' ? 'boxok' : 'box'}"/>`;
    out += text(x + 181, 49, 'G');
    out += text(x + 8, 80, `generator ${s.generator}`, bad ? 'bad' : '', 'gen-state');
  }
  return out;
}

/** A contactor: drawn as its confirmed position; a dashed red frame when command and feedback differ. */
/**
 * @param {Status} s
 * @param {Feed} f
 * @param {number} x
 */
function contactor(s, f, x) {
  const b = s.breakers[f];
  const mismatch = b.closed === null || b.commanded !== b.closed;
  const live = s.feeds[f].available && b.closed === true;
  let out = `<line x1="${x}" y1="84" x2="${x}" y2="120" class="${s.feeds[f].available ? 'live' : 'dead'}"/>`;
  out += b.closed
    ? `<line x1="${x}" y1="120" x2="${x}" y2="150" class="${live ? 'live' : 'dead'}"/>`
    : `<line x1="${x}" y1="120" x2="${x + 22}" y2="145" class="dead"/>`;
  if (mismatch) out += `<rect x="${x - 30}" y="112" width="60" height="44" class="mismatch"/>`;
  // Labels on the inner side of each contactor, so that neither runs off the drawing.
  const lx = f === 'A' ? x + 34 : x - 34;
  const anchor = f === 'A' ? '' : ' text-anchor="end"';
  out += `<text x="${lx}" y="128" id="k-${f}-cmd"${anchor}>${esc(`K${f} cmd ${b.commanded ? 'close' : 'open'}`)}</text>`;
  out += `<text x="${lx}" y="146" id="k-${f}-fb"${anchor}${mismatch ? ' class="bad"' : ''}>${esc(`fb ${pos(b.closed)}`)}</text>`;
  out += `<line x1="${x}" y1="150" x2="${x}" y2="180" class="${live ? 'live' : 'dead'}"/>`;
  return out;
}

/** @param {Status} s */
export function busLive(s) {
  return s.source !== 'none' && s.breakers[s.source].closed === true && s.feeds[s.source].available;
}

/**
 * @param {Status} s
 * @param {Session | undefined} session
 */
export function diagram(s, session) {
  const roles = session?.roles;
  const live = busLive(s);
  const timer = s.timer.name === 'none' ? '' : ` · ${s.timer.name} ${secs(s.timer.remainingMs)}`;
  const ids = session?.uplinkIds ?? [];
  let out = `<svg viewBox="0 0 700 ${ids.length ? 400 : 340}" role="img" aria-labelledby="diagram-text" xmlns="http://www.w3.org/2000/svg">`;
  out += feed(s, 'A', 15, roles) + feed(s, 'B', 475, roles);
  out += contactor(s, 'A', 120) + contactor(s, 'B', 580);
  out += `<line x1="120" y1="180" x2="580" y2="180" class="${live ? 'live' : 'dead'}"/>`;
  out += text(250, 172, `load bus ${live ? 'live' : 'dead'} · on ${s.source}`, live ? 'ok' : 'bad', 'bus-state');
  out += text(250, 205, `transfer ${s.transfer}${timer}`, s.transfer === 'lockout' ? 'bad' : '', 'transfer-state');
  // UPS under the bus, then the DC supplies and the uplinks it keeps running.
  const u = s.ups;
  const upsBad = u.onBattery || u.fault || !u.comm || u.lowBattery;
  out += `<line x1="350" y1="180" x2="350" y2="225" class="${live || u.onBattery ? 'live' : 'dead'}"/>`;
  out += `<rect x="250" y="225" width="200" height="56" class="${upsBad ? 'boxbad' : 'boxok'}"/>`;
  out += text(258, 243, `UPS ${num(u.chargePct, '%')} · ${u.runtimeS === null ? '?' : Math.round(u.runtimeS / 60)} min`);
  const upsState = [u.onBattery ? 'ON BATTERY' : 'on mains', u.lowBattery ? 'LOW' : '', u.fault ? 'FAULT' : '', u.comm ? '' : 'no comm']
    .filter(Boolean)
    .join(' · ');
  out += text(258, 263, upsState, upsBad ? 'bad' : 'ok', 'ups-state');
  const p = s.psu;
  out += `<line x1="350" y1="281" x2="350" y2="300" class="live"/>`;
  out += `<rect x="250" y="300" width="250" height="34" class="${p.state === 'redundant' ? 'boxok' : 'boxbad'}"/>`;
  out += text(258, 322, `PSU ${p.ok} of ${p.ids.length} ok (need ${p.required}): ${p.state}`, '', 'psu-state');
  ids.forEach((id, i) => {
    const l = s.uplink[id];
    if (!l || typeof l !== 'object') return;
    const x = 40 + i * 330;
    const active = s.uplink.active === id;
    out += `<rect x="${x}" y="350" width="290" height="44" class="${l.up ? 'boxok' : 'boxbad'}"/>`;
    out += text(x + 8, 368, `uplink ${id}${active ? ' ★ carries traffic' : ''}${s.uplink.manual === id ? ' (manual)' : ''}`, '', `uplink-${id}`);
    out += text(x + 8, 386, `${l.up ? 'up' : `down: ${l.reason}`} · loss ${l.lossPct.toFixed(0)} % · ${num(l.latencyMs, 'ms')}`, l.up ? '' : 'bad');
  });
  out += '</svg>';
  return { svg: out, text: describe(s, live, ids) };
}

/**
 * @param {Status} s
 * @param {string} id
 * @returns {UplinkStatus | undefined}
 */
const uplinkOf = (s, id) => {
  const l = s.uplink[id];
  return l && typeof l === 'object' ? l : undefined;
};

/**
 * @param {Status} s
 * @param {boolean} live
 * @param {readonly string[]} ids
 */
function describe(s, live, ids) {
  /** @param {Feed} id */
  const f = (id) =>
    `Feed ${id} ${s.feeds[id].available ? 'available' : `unavailable (${s.feeds[id].reason})`}, ${num(s.feeds[id].voltageV, 'volts')}; contactor ${id} commanded ${s.breakers[id].commanded ? 'closed' : 'open'}, confirmed ${pos(s.breakers[id].closed)}.`;
  const up = ids
    .map((id) => {
      const l = uplinkOf(s, id);
      return l ? `Uplink ${id} ${l.up ? 'up' : 'down'}${s.uplink.active === id ? ', carrying traffic' : ''}.` : '';
    })
    .join(' ');
  return `${f('A')} ${f('B')} Load bus ${live ? 'live' : 'dead'} on ${s.source}; transfer ${s.transfer}; generator ${s.generator}. UPS ${num(s.ups.chargePct, 'percent')}${s.ups.onBattery ? ', on battery' : ''}. PSU ${s.psu.ok} of ${s.psu.ids.length}. ${up}`;
}
