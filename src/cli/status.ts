// `twinfeed status [--url URL]`: the live status of a running controller (its GET /status), in
// human form for a technician at the cabinet. Nothing answering is a clear message and exit 69.
import { EX_NOPERM, EX_OK, EX_UNAVAILABLE } from '../config/exit-codes.js';
import { GEN_CONTROL_MODES } from '../core/genset.js';
import { GEN_ENGINE_STATES } from '../core/genset-engine.js';
import type { Status, UplinkStatus } from '../core/types.js';
import type { StatusCredentials } from './status-auth.js';

export const DEFAULT_URL = 'http://127.0.0.1:8080';
const TIMEOUT_MS = 3000;

const onOff = (b: boolean | null) => (b === null ? 'unknown' : b ? 'closed' : 'open');
const num = (v: number | null, unit: string, digits = 1) => (v === null ? '—' : `${v.toFixed(digits)} ${unit}`);

function uplinkLine(id: string, u: UplinkStatus, active: string): string {
  const state = u.up ? 'up' : `down (${u.reason})`;
  const lat = u.latencyMs === null ? '' : `, ${Math.round(u.latencyMs)} ms`;
  return `${id === active ? '*' : ' '}${id} ${state}, ${u.lossPct.toFixed(1)} % loss${lat}${u.heldDown ? ', held down' : ''}`;
}

/** The genset controller's line, where the board maps any of it: mode, engine state, hours, starts, fuel. */
function gensetLine(g: Status['genset']): string | undefined {
  if (Object.values(g).every((v) => v === null)) return undefined;
  const code = (v: number | null, names: Readonly<Record<number, string>>) => (v === null ? '?' : `${names[v] ?? 'code'} (${v})`);
  const mode = g.controlMode === null ? '?' : code(g.controlMode, GEN_CONTROL_MODES);
  const parts = [
    `mode ${mode}`,
    `engine ${code(g.engineState, GEN_ENGINE_STATES)}`,
    num(g.engineHours, 'h'),
    `${g.starts ?? '?'} starts`,
    `fuel ${num(g.fuelPct, '%', 0)}`,
  ];
  return parts.join(', ');
}

/** The status as aligned lines: load source first, then what a technician checks next. */
export function formatStatus(s: Status): string[] {
  const row = (k: string, v: string) => `${k.padEnd(11)}${v}`;
  const lines = [
    row('load', s.source === 'none' ? `NOT FED (transfer ${s.transfer})` : `on feed ${s.source} (${s.transfer})`),
    row('mode', s.mode + (s.test.active ? ` (${s.test.onLoad ? 'on-load' : 'off-load'} test, ${Math.ceil(s.test.remainingMs / 1000)} s left)` : '')),
    row('lockout', s.lockout ? `YES: ${s.lockoutReason ?? ''} (resetLockout when the cause is cleared)` : 'no'),
  ];
  for (const f of ['A', 'B'] as const) {
    const h = s.feeds[f];
    lines.push(row(`feed ${f}`, `${h.available ? 'available' : `unavailable (${h.reason})`}, ${num(h.voltageV, 'V')}, ${num(h.frequencyHz, 'Hz', 2)}`));
  }
  const br = (f: 'A' | 'B') => `${f} commanded ${s.breakers[f].commanded ? 'closed' : 'open'}, shows ${onOff(s.breakers[f].closed)}`;
  lines.push(row('breakers', `${br('A')}; ${br('B')}`));
  lines.push(row('generator', s.generator));
  const genset = gensetLine(s.genset);
  if (genset !== undefined) lines.push(row('genset', genset));
  if (s.timer.name !== 'none') lines.push(row('timer', `${s.timer.name}, ${Math.ceil(s.timer.remainingMs / 1000)} s`));
  lines.push(row('transfers', `${s.transferCount}, last: ${s.lastTransferReason}${s.retransferPending ? '; retransfer pending' : ''}`));
  const ops = Object.entries(s.relayOperations ?? {});
  if (ops.length > 0) lines.push(row('relay ops', ops.map(([k, n]) => `${k} ${n}`).join(', ')));
  const u = s.ups;
  lines.push(
    row(
      'UPS',
      u.comm
        ? `${u.onBattery ? 'ON BATTERY' : 'on mains'}, charge ${u.chargePct ?? '?'} %, runtime ${u.runtimeS ?? '?'} s${u.lowBattery ? ', LOW BATTERY' : ''}${u.fault ? ', FAULT' : ''}`
        : 'no communication',
    ),
  );
  lines.push(row('PSUs', `${s.psu.state}: ${s.psu.ok} of ${s.psu.ids.length} ok, ${s.psu.required} required`));
  const links = Object.entries(s.uplink).filter((e): e is [string, UplinkStatus] => typeof e[1] === 'object' && e[1] !== null);
  lines.push(row('uplinks', `active ${s.uplink.active}${s.uplink.manual ? ` (pinned by operator to ${s.uplink.manual})` : ''}`));
  for (const [id, l] of links) lines.push(row('', uplinkLine(id, l, s.uplink.active)));
  const unacked = new Set(s.alarmsUnacked);
  lines.push(row('alarms', s.alarms.length === 0 ? 'none' : s.alarms.map((c) => (unacked.has(c) ? `${c} (unacknowledged)` : c)).join(', ')));
  return lines;
}

export interface StatusIo {
  out(line: string): void;
  err(line: string): void;
}

/** A 401's message: what was (not) sent and how to send the right thing. */
function refusedMessage(at: string, creds: StatusCredentials | undefined): string {
  const fix = "pass --config FILE (the controller's config: status reads the token or user:password file its http.auth names) or --token-file FILE";
  return creds
    ? `twinfeed status: ${at} refused the credentials from ${creds.from} (HTTP 401); check that file against the controller's http.auth, or ${fix}`
    : `twinfeed status: ${at} requires credentials (HTTP 401, http.auth); ${fix}`;
}

export async function showStatus(url: string, json: boolean, io: StatusIo, creds?: StatusCredentials): Promise<number> {
  const at = `${url.replace(/\/+$/, '')}/status`;
  let body: unknown;
  try {
    const headers = creds ? { authorization: creds.authorization } : undefined;
    const r = await fetch(at, { signal: AbortSignal.timeout(TIMEOUT_MS), ...(headers ? { headers } : {}) });
    if (r.status === 401) {
      io.err(refusedMessage(at, creds));
      return EX_NOPERM;
    }
    if (r.status !== 200) {
      io.err(`twinfeed status: ${at} answered HTTP ${r.status}; is that a twinfeed controller? (check --url)`);
      return EX_UNAVAILABLE;
    }
    body = await r.json();
  } catch (e) {
    const why = (e as Error).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS} ms` : ((e as { cause?: Error }).cause?.message ?? (e as Error).message);
    io.err(
      `twinfeed status: nothing answers at ${at} (${why}). Is twinfeed running? Start it with \`twinfeed run\`, or pass --url http://HOST:PORT (http.bind/http.port of its config).`,
    );
    return EX_UNAVAILABLE;
  }
  const s = body as Status;
  if (typeof s !== 'object' || s === null || typeof s.mode !== 'string' || typeof s.feeds !== 'object') {
    io.err(`twinfeed status: ${at} did not return a twinfeed status object (check --url)`);
    return EX_UNAVAILABLE;
  }
  if (json) io.out(JSON.stringify(s));
  else for (const l of formatStatus(s)) io.out(l);
  return EX_OK;
}
