// What the controller remembers across a restart (issue 11): picked out of its state as plain data,
// and put back into a fresh state before the first scan. Pure. Position is never remembered: it
// always comes from feedback at boot, and nothing restored here can close a breaker by itself.
import type { Config } from '../config/schema.js';
import type { ControllerState } from './state.js';
import type { LockoutReason } from './power/transfer.js';
import { ALARM_CODES, type AlarmCode, type TransferReason } from './types.js';
import { rememberLadder, restoreLadder, type RememberedLadder } from './uplink/ladder-memory.js';
import { isSoftwareRequest } from './uplink/outputs.js';

export interface RememberedLink {
  readonly downTimesMs: readonly number[];
  readonly heldUntilMs: number | null;
  readonly holdLevel: number;
  readonly lastDownMs: number | null;
  /** The modem recovery ladder's progress and caps (absent in files written before it was remembered). */
  readonly ladder?: RememberedLadder;
}

/** Version 1 of the remembered part (the state file's `state`). Add fields; never change one. */
export interface Remembered {
  /** 'test' is remembered to say a test was running: it is not resumed (see restore). */
  readonly mode: 'auto' | 'manual' | 'test';
  readonly lockout: { readonly reason: LockoutReason; readonly detail: string; readonly sinceMs: number } | null;
  /** Active alarms an operator had acknowledged. */
  readonly ackedAlarms: readonly AlarmCode[];
  readonly retransferApproved: boolean;
  /** Transfer start times inside the anti-hunting window (wall-clock ms). */
  readonly transferTimesMs: readonly number[];
  readonly transferCount: number;
  readonly lastTransferReason: TransferReason | 'none';
  /** Changes of each output, counted over the controller's life (relay wear). */
  readonly relayOperations: Readonly<Record<string, number>>;
  /** The latched generator failure (GEN_FAIL_TO_START), until an operator resets it. */
  readonly generatorFailed: boolean;
  /** When a generator cool-down in progress ends (wall-clock ms), or null: a restart finishes it instead of stopping the set hot. */
  readonly generatorCooldownUntilMs: number | null;
  readonly uplink: {
    /** The operator's selectUplink pin, or null. */
    readonly manual: string | null;
    /** Hold-down history per uplink id (the learning hold-down's level and last down too). */
    readonly links: Readonly<Record<string, RememberedLink>>;
  };
}

const uplinkIds = (cfg: Config) => cfg.uplinks.links.map((l) => l.id);

export function remembered(cfg: Config, s: ControllerState): Remembered {
  const p = s.power;
  const t = p.transfer;
  const ids = uplinkIds(cfg);
  const links: Record<string, RememberedLink> = {};
  s.uplink.links.forEach((l, i) => {
    const id = ids[i];
    if (id !== undefined)
      links[id] = { downTimesMs: l.downTimesMs, heldUntilMs: l.heldUntilMs, holdLevel: l.holdLevel, lastDownMs: l.lastDownMs, ladder: rememberLadder(l) };
  });
  return {
    mode: p.mode,
    lockout: t.kind === 'lockout' ? { reason: t.reason, detail: t.detail, sinceMs: t.sinceMs } : null,
    ackedAlarms: ALARM_CODES.filter((c) => s.alarms[c]?.acked === true),
    retransferApproved: p.approved,
    transferTimesMs: p.transferTimesMs,
    transferCount: p.transferCount,
    lastTransferReason: p.lastTransferReason,
    relayOperations: s.relayOperations,
    generatorFailed: p.generator.kind === 'failed',
    generatorCooldownUntilMs: p.generator.kind === 'cooldown' ? p.generator.sinceMs + cfg.power.generator.cooldownMs : null,
    uplink: { manual: s.uplink.manual, links },
  };
}

/** How long after start a remembered acknowledgement still applies to an alarm that comes back. */
export const RESTORED_ACK_GRACE_MS = 60_000;

/**
 * Puts remembered state into a fresh one (before the first scan). Choices, all on the safe side:
 * - a test that was running has ended: mode auto, and the load returns to the preferred feed as at
 *   any test end (never resumed: its start signal and timer are gone);
 * - a lockout holds: at boot the breakers that feedback shows closed stay closed, nothing closes;
 * - acknowledgements apply to alarms that are active again within RESTORED_ACK_GRACE_MS of start;
 * - an uplink pin or history for an uplink no longer configured is dropped.
 * Returns the new state and what was restored, in words, for the log.
 */
export function restore(cfg: Config, fresh: ControllerState, r: Remembered, nowMs: number): { state: ControllerState; restored: string[] } {
  const restored: string[] = [];
  let power = fresh.power;
  if (r.mode === 'manual') {
    power = { ...power, mode: 'manual' };
    restored.push('mode manual');
  } else if (r.mode === 'test') {
    power = { ...power, mode: 'auto', testReturn: true };
    restored.push('a test was running: ended, the load returns to the preferred feed');
  }
  if (r.lockout) {
    power = {
      ...power,
      transfer: { kind: 'lockout', reason: r.lockout.reason, detail: r.lockout.detail, sinceMs: r.lockout.sinceMs, hold: { A: false, B: false } },
    };
    restored.push(`lockout (${r.lockout.detail})`);
  }
  if (r.retransferApproved) power = { ...power, approved: true };
  const window = cfg.power.antiHunting.windowMs;
  const times = r.transferTimesMs.filter((t) => t > nowMs - window && t <= nowMs);
  power = { ...power, transferTimesMs: times, transferCount: r.transferCount, lastTransferReason: r.lastTransferReason };
  if (r.generatorFailed) {
    power = { ...power, generator: { kind: 'failed', sinceMs: nowMs } };
    restored.push('generator failure latched');
  } else if (r.generatorCooldownUntilMs !== null && r.generatorCooldownUntilMs > nowMs) {
    // The set runs on (its start output was left on): it cools down for what was left, then stops.
    const left = Math.min(r.generatorCooldownUntilMs - nowMs, cfg.power.generator.cooldownMs);
    power = { ...power, generator: { kind: 'cooldown', sinceMs: nowMs + left - cfg.power.generator.cooldownMs } };
    restored.push(`generator cool-down (${Math.ceil(left / 1000)} s left)`);
  }
  let uplink = fresh.uplink;
  const ids = uplinkIds(cfg);
  if (r.uplink.manual !== null && ids.includes(r.uplink.manual)) {
    uplink = { ...uplink, manual: r.uplink.manual };
    restored.push(`uplink pinned to ${r.uplink.manual}`);
  }
  const links = uplink.links.map((l, i) => {
    const h = r.uplink.links[ids[i] ?? ''];
    if (!h) return l;
    const held = {
      ...l,
      downTimesMs: h.downTimesMs,
      heldUntilMs: h.heldUntilMs !== null && h.heldUntilMs > nowMs ? h.heldUntilMs : null,
      holdLevel: h.holdLevel,
      lastDownMs: h.lastDownMs,
    };
    return h.ladder ? restoreLadder(held, h.ladder, nowMs) : held;
  });
  uplink = { ...uplink, links };
  const acks = r.ackedAlarms.filter((c) => (ALARM_CODES as readonly string[]).includes(c));
  if (acks.length > 0) restored.push(`acknowledged: ${acks.join(', ')}`);
  return {
    state: {
      ...fresh,
      power,
      uplink,
      // Files written before modem requests stopped counting as relays may hold them: not relays, dropped.
      relayOperations: Object.fromEntries(Object.entries(r.relayOperations).filter(([k]) => !isSoftwareRequest(k))),
      restoredAcks: acks.length > 0 ? { codes: acks, untilMs: nowMs + RESTORED_ACK_GRACE_MS } : null,
    },
    restored,
  };
}
