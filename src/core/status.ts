// The published status (GET /status, scenario `status` expectations, SCADA registers), derived from
// the controller state: nothing here is stored twice.
import type { Config } from '../config/schema.js';
import { activeAlarms, unackedAlarms } from './alarms.js';
import { CLOSE_CMD } from './interlock.js';
import { generatorDeadline } from './power/generator.js';
import { availability, healthDeadline } from './power/source.js';
import { position, transferDeadline } from './power/transfer.js';
import type { PowerState } from './power/state.js';
import type { ControllerState } from './state.js';
import type { FeedId, Status, TimerName } from './types.js';
import { uplinkStatus } from './uplink/index.js';

/** The most relevant timer counting now, in the order an operator would ask about them. */
function activeTimer(cfg: Config, s: ControllerState, nowMs: number): Status['timer'] {
  const pc = cfg.power;
  const p = s.power;
  const left = (at: number | undefined) => Math.max(0, (at ?? nowMs) - nowMs);
  const t = p.transfer;
  if (t.kind === 'neutral') return { name: 'neutral', remainingMs: left(transferDeadline(t, pc)) };
  if (t.kind === 'opening' || t.kind === 'closing') return { name: 'operate', remainingMs: left(transferDeadline(t, pc)) };
  for (const f of ['A', 'B'] as const) {
    const h = p.feeds[f];
    if (h.pendingSinceMs !== null) {
      const name = `source${f}${h.healthy ? 'Dropout' : 'Pickup'}` as TimerName;
      return { name, remainingMs: left(healthDeadline(h, pc.feeds[f])) };
    }
  }
  if (p.generator.kind === 'starting') return { name: 'generatorStart', remainingMs: left(generatorDeadline(p.generator, pc)) };
  if (p.retransferAtMs !== null && p.retransferAtMs > nowMs) return { name: 'retransfer', remainingMs: left(p.retransferAtMs) };
  if (p.test) return { name: 'test', remainingMs: left(p.test.endsAtMs) };
  if (p.mode === 'manual' && p.deadSinceMs !== null) return { name: 'manualRevert', remainingMs: left(p.deadSinceMs + pc.manualRevertMs) };
  if (p.generator.kind === 'cooldown') return { name: 'cooldown', remainingMs: left(generatorDeadline(p.generator, pc)) };
  return { name: 'none', remainingMs: 0 };
}

/** The feed actually feeding the load: the machine's belief, or in lockout what feedback shows. */
function sourceOf(s: PowerState): FeedId | 'none' {
  if (s.transfer.kind !== 'lockout') return position(s.transfer);
  const { A, B } = s.feedback;
  return A === true && B !== true ? 'A' : B === true && A !== true ? 'B' : 'none';
}

export function statusOf(cfg: Config, s: ControllerState, nowMs: number): Status {
  const p = s.power;
  const feed = (f: FeedId) => {
    const h = p.feeds[f];
    return { available: availability(h) === 'available', reason: h.commLost ? ('comm' as const) : h.reason, voltageV: h.voltageV, frequencyHz: h.frequencyHz };
  };
  const cmd = (f: FeedId) => s.outputs.get(CLOSE_CMD[f]) === true;
  return {
    mode: p.mode,
    source: sourceOf(p),
    transfer: p.transfer.kind,
    generator: p.generator.kind,
    lockout: p.transfer.kind === 'lockout',
    lockoutReason: p.transfer.kind === 'lockout' ? p.transfer.detail : null,
    alarms: activeAlarms(s.alarms),
    alarmsUnacked: unackedAlarms(s.alarms),
    feeds: { A: feed('A'), B: feed('B') },
    breakers: { A: { commanded: cmd('A'), closed: p.feedback.A }, B: { commanded: cmd('B'), closed: p.feedback.B } },
    timer: activeTimer(cfg, s, nowMs),
    lastTransferReason: p.lastTransferReason,
    transferCount: p.transferCount,
    relayOperations: s.relayOperations,
    retransferPending: p.retransferPending,
    test: { active: p.test !== null, onLoad: p.test?.onLoad ?? false, remainingMs: p.test ? Math.max(0, p.test.endsAtMs - nowMs) : 0 },
    ups: { ...s.ups },
    psu: {
      state: s.psu?.state ?? 'insufficient',
      ok: s.psu?.okIds.length ?? 0,
      required: cfg.psu.required,
      okIds: [...(s.psu?.okIds ?? [])],
      ids: [...cfg.psu.ids],
    },
    uplink: uplinkStatus(cfg.uplinks, s.uplink),
    genset: { ...s.genset },
  };
}
