// The dashboard page: what this client may do (GET /session), then the live status pushed by the
// controller (GET /events, Server-Sent Events), reconnecting by itself after a controller restart.
import { diagram } from './diagram.js';
import { $ } from './dom.js';
import { addEvents, renderAlarms, renderCommands, renderSim, showKnobValues } from './panels.js';
import { loadTrends, pushTrend } from './trends.js';

/** @typedef {import('./types.js').Session} Session */
/** @typedef {import('./types.js').LiveMessage} LiveMessage */

/** @type {Session} */
let session = { canCommand: false, uplinkIds: [], sim: false, knobs: [], incidents: [] };

/** @param {LiveMessage} msg */
function render(msg) {
  const s = msg.status;
  $('mode').textContent = s.mode;
  $('lockout').hidden = !s.lockout;
  $('lockout').textContent = s.lockout ? `LOCKOUT: ${s.lockoutReason ?? ''}` : '';
  const d = diagram(s, session);
  $('diagram').innerHTML = d.svg;
  $('diagram-text').textContent = d.text;
  renderAlarms(s);
  addEvents(msg.events, msg.initial === true);
  pushTrend(s, msg.atMs);
  showKnobValues(msg.knobs);
  document.body.dataset.scanSeq = String(msg.scanSeq);
}

/**
 * @param {string} text
 * @param {boolean} ok
 */
function setConn(text, ok) {
  $('conn').textContent = text;
  $('conn').className = ok ? 'ok' : 'bad';
}

/** EventSource retries a dropped stream by itself, but gives up when a reconnect is refused: then we retry. */
function connect(delayMs = 1000) {
  const es = new EventSource('/events');
  es.onopen = () => setConn('live', true);
  es.onmessage = (ev) => {
    /** @type {LiveMessage} */
    const msg = JSON.parse(ev.data);
    if (msg.initial) void loadTrends().catch(() => undefined);
    render(msg);
  };
  es.onerror = () => {
    setConn('reconnecting…', false);
    if (es.readyState === EventSource.CLOSED) setTimeout(() => connect(Math.min(delayMs * 2, 10_000)), delayMs);
  };
}

async function start() {
  try {
    const r = await fetch('/session');
    session = await r.json();
  } catch {
    // The controller is down: the stream's reconnect brings the page back; commands stay hidden.
  }
  document.body.classList.toggle('readonly', !session.canCommand);
  $('readonly').hidden = session.canCommand;
  if (session.canCommand) {
    renderCommands(session.uplinkIds);
    if (session.sim) {
      renderSim(session);
      showKnobValues(session.values);
    }
  }
  connect();
}

void start();
