// Alarms, events, commands with a confirmation step, and the fault-injection panel.
import { $ } from './dom.js';

/** @typedef {import('./types.js').Status} Status */
/** @typedef {import('./types.js').Session} Session */
/** @typedef {import('./types.js').Knob} Knob */
/** @typedef {import('./types.js').TimedEvent} TimedEvent */
/** @typedef {import('./types.js').CommandButton} CommandButton */

/** Every command the page offers, with what will happen when it is sent. */
/**
 * @param {readonly string[]} uplinkIds
 * @returns {CommandButton[]}
 */
export function commandList(uplinkIds) {
  /** @type {CommandButton[]} */
  const list = [
    {
      label: 'Auto mode',
      cmd: { name: 'setMode', mode: 'auto' },
      what: 'Automatic mode: the controller picks the source, transfers on failure and retransfers by itself.',
    },
    {
      label: 'Manual mode',
      cmd: { name: 'setMode', mode: 'manual' },
      what: 'Manual mode: the load stays where it is until an operator transfers it (a dead load still reverts to auto).',
    },
    {
      label: 'Transfer to A',
      cmd: { name: 'transferTo', source: 'A' },
      what: 'Transfer the load to feed A: open the closed contactor, wait the neutral time (the load is dead), close A.',
    },
    {
      label: 'Transfer to B',
      cmd: { name: 'transferTo', source: 'B' },
      what: 'Transfer the load to feed B: open the closed contactor, wait the neutral time (the load is dead), close B.',
    },
    {
      label: 'Start test (on load, 10 min)',
      cmd: { name: 'startTest', onLoad: true, durationMs: 600000 },
      what: 'Start the generator and move the load onto it for 10 minutes, then back.',
    },
    { label: 'Stop test', cmd: { name: 'stopTest' }, what: 'End the generator test now; the load returns to the preferred feed.' },
    { label: 'Approve retransfer', cmd: { name: 'approveRetransfer' }, what: 'Let the controller move the load back to the preferred feed now.' },
    { label: 'Reset lockout', cmd: { name: 'resetLockout' }, what: 'Clear the lockout: the controller resumes switching contactors.' },
  ];
  for (const id of uplinkIds)
    list.push({
      label: `Select uplink ${id}`,
      cmd: { name: 'selectUplink', id },
      what: `Route traffic over uplink ${id} until released, even if another is better.`,
    });
  if (uplinkIds.length) list.push({ label: 'Release uplink', cmd: { name: 'releaseUplink' }, what: 'Let the controller choose the uplink again.' });
  return list;
}

/** Shows what the command will do; resolves true when the operator confirms. */
/**
 * @param {string} what
 * @returns {Promise<boolean>}
 */
function confirmStep(what) {
  const d = /** @type {HTMLDialogElement} */ ($('confirm'));
  $('confirm-what').textContent = what;
  d.returnValue = '';
  d.showModal();
  return new Promise((resolve) => d.addEventListener('close', () => resolve(d.returnValue === 'ok'), { once: true }));
}

/**
 * @param {string} path
 * @param {unknown} body
 * @returns {Promise<{ ok: boolean, reply: { reason?: string, error?: string } }>}
 */
export async function post(path, body) {
  const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  /** @type {{ reason?: string, error?: string }} */
  let reply = {};
  try {
    reply = await r.json();
  } catch {
    reply = { error: `HTTP ${r.status}` };
  }
  return { ok: r.ok, reply };
}

/**
 * @param {CommandButton['cmd']} cmd
 * @param {string} what
 */
export async function sendCommand(cmd, what) {
  if (!(await confirmStep(what))) return;
  const { ok, reply } = await post('/command', cmd);
  $('result').textContent = ok ? `${cmd.name}: accepted` : `${cmd.name} refused: ${reply.reason ?? reply.error}`;
  $('result').className = ok ? 'ok' : 'bad';
}

/** @param {readonly string[]} uplinkIds */
export function renderCommands(uplinkIds) {
  const box = $('commands');
  box.replaceChildren();
  for (const c of commandList(uplinkIds)) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = c.label;
    b.addEventListener('click', () => void sendCommand(c.cmd, c.what));
    box.append(b);
  }
  $('ack').addEventListener('click', () => void sendCommand({ name: 'ackAlarms' }, 'Acknowledge every active alarm (the common alarm output turns off).'));
}

/** @param {Status} s */
export function renderAlarms(s) {
  const ul = $('alarms');
  ul.replaceChildren();
  if (s.alarms.length === 0) ul.append(Object.assign(document.createElement('li'), { textContent: 'none' }));
  for (const code of s.alarms) {
    const li = document.createElement('li');
    const unacked = s.alarmsUnacked.includes(code);
    li.className = unacked ? 'unacked' : '';
    li.textContent = `${code}${unacked ? ' (not acknowledged)' : ' (acknowledged)'}`;
    li.dataset.code = code;
    ul.append(li);
  }
}

/** @param {number} t */
const hhmmss = (t) => new Date(t).toISOString().slice(11, 19);
/** @param {TimedEvent} e */
function eventText(e) {
  if (e.type === 'alarm') return `alarm ${e.code} ${e.active ? 'raised' : 'cleared'}: ${e.message}`;
  const fields = Object.entries(e).filter(([k]) => k !== 't' && k !== 'type');
  return `${e.type} ${fields.map(([k, v]) => `${k}=${v}`).join(' ')}`;
}

/**
 * @param {readonly TimedEvent[]} events
 * @param {boolean} replace
 */
export function addEvents(events, replace) {
  const ol = $('events');
  if (replace) ol.replaceChildren();
  for (const e of events) {
    const li = document.createElement('li');
    li.textContent = `${hhmmss(e.t)} ${eventText(e)}`;
    ol.prepend(li);
  }
  while (ol.children.length > 200) ol.lastElementChild?.remove();
}

/**
 * @param {Knob} k
 * @returns {HTMLInputElement | HTMLSelectElement}
 */
function knobInput(k) {
  if (k.kind.type === 'bool' || k.kind.type === 'enum') {
    const sel = document.createElement('select');
    for (const v of k.kind.type === 'bool' ? ['true', 'false'] : k.kind.values) sel.append(new Option(v, v));
    return sel;
  }
  const inp = document.createElement('input');
  inp.type = 'number';
  inp.step = 'any';
  if (k.kind.min !== undefined) inp.min = String(k.kind.min);
  if (k.kind.max !== undefined) inp.max = String(k.kind.max);
  return inp;
}

/** @param {Record<string, unknown>} knobs */
async function applyKnobs(knobs) {
  const { ok, reply } = await post('/sim', knobs);
  $('sim-result').textContent = ok ? `set ${Object.keys(knobs).join(', ')}` : `refused: ${reply.error}`;
  $('sim-result').className = ok ? 'ok' : 'bad';
}

/** @param {Session} session */
export function renderSim(session) {
  $('sim').hidden = false;
  const inc = $('incidents');
  for (const i of session.incidents) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = i.name;
    b.addEventListener('click', () => void applyKnobs(i.knobs));
    inc.append(b);
  }
  const form = $('knobs');
  // No implicit submission: Enter in a field applies that field, not the form's first button.
  form.addEventListener('submit', (ev) => ev.preventDefault());
  for (const k of session.knobs) {
    const label = document.createElement('label');
    const input = knobInput(k);
    input.name = k.name;
    input.id = `knob-${k.name}`;
    const apply = document.createElement('button');
    apply.type = 'button';
    apply.textContent = 'Apply';
    apply.setAttribute('aria-label', `Apply ${k.name}`);
    // Typed but not applied yet: the live values leave this field alone until Apply, Enter or Escape.
    input.addEventListener('input', () => (input.dataset.dirty = '1'));
    const go = () => {
      delete input.dataset.dirty;
      if (input.value === '') return;
      // An enum knob may take false beside its words (uplink.<id>.modemStuck): 'false' is sent as false.
      const value = k.kind.type === 'number' ? Number(input.value) : k.kind.type === 'bool' || input.value === 'false' ? input.value === 'true' : input.value;
      void applyKnobs({ [k.name]: value });
    };
    apply.addEventListener('click', go);
    /** @type {HTMLElement} */ (input).addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') delete input.dataset.dirty;
      if (ev.key !== 'Enter') return;
      ev.preventDefault();
      go();
    });
    label.append(k.name, input, apply);
    form.append(label);
  }
}

/** Shows each knob's value now, except in a field the user is editing (focused, or changed and not applied). */
/** @param {Record<string, unknown> | undefined} values */
export function showKnobValues(values) {
  if (!values) return;
  for (const [name, v] of Object.entries(values)) {
    const input = /** @type {HTMLInputElement | null} */ (document.getElementById(`knob-${name}`));
    if (!input || input === document.activeElement || input.dataset.dirty) continue;
    input.value = v === null ? '' : String(v);
  }
}
