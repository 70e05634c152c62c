// The published status (GET /status, scenario `status` expectations, SCADA registers), derived from
// the controller state: nothing here is stored twice.
import type { Config } from '../config/schema.js';
import { activeAlarms, unackedAlarms } from './alarms.js';
import { generatorDeadline } from './power/generator.js';
import { availability, healthDeadline } from './power/source.js';
import { position, transferDeadline } from './power/transfer.js';
import type { ControllerState } from './state.js';
import type { FeedId, Status, TimerName } from './types.js';
import { uplinkStatus } from './uplink/index.js';

/** The most relevant timer counting now, in the order an operator would ask about them. */
function activeTimer(cfg: Config, s: ControllerState, nowMs: number): Status['timer'] {
  const pc = cfg.power;
  const left = (at: number | undefined) => Math.max(0, (at ?? nowMs) - nowMs);
  const t = s.transfer;
  if (t.kind === 'neutral') return { name: 'neutral', remainingMs: left(transferDeadline(t, pc)) };
  if (t.kind === 'opening' || t.kind === 'closing') return { name: 'operate', remainingMs: left(transferDeadline(t, pc)) };
  for (const f of ['A', 'B'] as const) {
    const h = s.feeds[f];
    if (h.pendingSinceMs !== null) {
      const name = `source${f}${h.healthy ? 'Dropout' : 'Pickup'}` as TimerName;
      return { name, remainingMs: left(healthDeadline(h, pc.feeds[f])) };
    }
  }
  if (s.generator.kind === 'starting') return { name: 'generatorStart', remainingMs: left(generatorDeadline(s.generator, pc)) };
  if (s.retransferAtMs !== null && s.retransferAtMs > nowMs) return { name: 'retransfer', remainingMs: left(s.retransferAtMs) };
  if (s.test) return { name: 'test', remainingMs: left(s.test.endsAtMs) };
  if (s.mode === 'manual' && s.deadSinceMs !== null) return { name: 'manualRevert', remainingMs: left(s.deadSinceMs + pc.manualRevertMs) };
  if (s.generator.kind === 'cooldown') return { name: 'cooldown', remainingMs: left(generatorDeadline(s.generator, pc)) };
  return { name: 'none', remainingMs: 0 };
}

/** The feed actually feeding the load: the machine's belief, or in lockout what feedback shows. */
function sourceOf(s: ControllerState): FeedId | 'none' {
  if (s.transfer.kind !== 'lockout') return position(s.transfer);
  const { A, B } = s.feedback;
  return A === true && B !== true ? 'A' : B === true && A !== true ? 'B' : 'none';
}

export function statusOf(cfg: Config, s: ControllerState, nowMs: number): Status {
  const feed = (f: FeedId) => {
    const h = s.feeds[f];
    return { available: availability(h) === 'available', reason: h.commLost ? ('comm' as const) : h.reason, voltageV: h.voltageV, frequencyHz: h.frequencyHz };
  };
  const cmd = (f: FeedId) => s.outputs.get(`breaker.${f}.closeCmd`) === true;
  return {
    mode: s.mode,
    source: sourceOf(s),
    transfer: s.transfer.kind,
    generator: s.generator.kind,
    lockout: s.transfer.kind === 'lockout',
    lockoutReason: s.transfer.kind === 'lockout' ? s.transfer.detail : null,
    alarms: activeAlarms(s.alarms),
    alarmsUnacked: unackedAlarms(s.alarms),
    feeds: { A: feed('A'), B: feed('B') },
    breakers: { A: { commanded: cmd('A'), closed: s.feedback.A }, B: { commanded: cmd('B'), closed: s.feedback.B } },
    timer: activeTimer(cfg, s, nowMs),
    lastTransferReason: s.lastTransferReason,
    transferCount: s.transferCount,
    retransferPending: s.retransferPending,
    test: { active: s.test !== null, onLoad: s.test?.onLoad ?? false, remainingMs: s.test ? Math.max(0, s.test.endsAtMs - nowMs) : 0 },
    ups: { ...s.ups },
    psu: {
      state: s.psu?.state ?? 'insufficient',
      ok: s.psu?.okIds.length ?? 0,
      required: cfg.psu.required,
      okIds: [...(s.psu?.okIds ?? [])],
      ids: [...cfg.psu.ids],
    },
    uplink: uplinkStatus(cfg.uplinks, s.uplink),
  };
}
