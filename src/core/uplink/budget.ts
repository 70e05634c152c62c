// Probe budget: which targets each uplink probes in a round. A standby uplink (ranked below the selected
// one) is probed slowly while the selected uplink is healthy, and at full rate the moment it is in doubt.
// Plain data and pure functions, shared by the real prober and the simulated uplinks.
import type { UplinksConfig } from '../../config/uplinks.js';

/**
 * ICMP payload per echo: just the timestamp ping needs for a round-trip time, so an echo and its answer
 * are 2 × 44 bytes over IPv4 instead of 2 × 84 (what a metered standby SIM pays for).
 */
export const ICMP_PAYLOAD_BYTES = 16;
/** IPv4 bytes of one echo request or reply: 20 (IP) + 8 (ICMP) + payload. */
export const ICMP_PACKET_BYTES = 28 + ICMP_PAYLOAD_BYTES;

export interface Budget {
  /** Index of the selected uplink (-1: none or not known yet: every uplink at full rate). */
  readonly selected: number;
  /** Per uplink: rounds in a row with the same outcome, + good / - failed (0: unknown, or carrier changed). */
  readonly streaks: readonly number[];
  /** Per uplink: send time of its last round, and how many slow rounds it has had (picks the targets). */
  readonly lastAtMs: readonly (number | null)[];
  readonly turns: readonly number[];
}

export function initialBudget(cfg: UplinksConfig): Budget {
  return { selected: -1, streaks: cfg.links.map(() => 0), lastAtMs: cfg.links.map(() => null), turns: cfg.links.map(() => 0) };
}

/** The selected uplink (from the output image). */
export function budgetSelect(b: Budget, selected: number): Budget {
  return selected === b.selected ? b : { ...b, selected };
}

const withStreak = (b: Budget, i: number, n: number): Budget => {
  if (b.streaks[i] === n) return b;
  const streaks = b.streaks.slice();
  streaks[i] = n;
  return { ...b, streaks };
};

/** A finished round of uplink `i`: good when a quorum answered in time. */
export function budgetRound(b: Budget, i: number, good: boolean): Budget {
  const s = b.streaks[i] ?? 0;
  return withStreak(b, i, good ? Math.max(0, s) + 1 : Math.min(0, s) - 1);
}

/** A carrier change of uplink `i` unsettles it: its verdict is about to change, probe it at full rate. */
export function budgetCarrier(b: Budget, i: number): Budget {
  return withStreak(b, i, 0);
}

/** Settled: as many rounds in a row alike as the core needs to call the uplink up (or down). */
const settled = (cfg: UplinksConfig, b: Budget, i: number): boolean => {
  const s = b.streaks[i] ?? 0;
  return s >= cfg.upRounds || s <= -cfg.downRounds;
};

/**
 * True when uplink `i` is a standby that may be probed slowly now: the selected uplink has had `upRounds`
 * good rounds in a row, and the standby's own verdict is settled (a standby whose rounds start to fail, or
 * to succeed again, is probed at full rate until the core can call it down, or up).
 */
export function isSlow(cfg: UplinksConfig, b: Budget, i: number): boolean {
  return cfg.standbyProbe.enabled && b.selected >= 0 && i > b.selected && (b.streaks[b.selected] ?? 0) >= cfg.upRounds && settled(cfg, b, i);
}

/**
 * The targets uplink `i` probes in the round at `atMs` (none: it skips this round) and the budget after.
 * A slow round takes `standbyProbe.targets` targets in turn, so every target is checked over time and
 * one dead target cannot fail every slow round.
 */
export function planRound(cfg: UplinksConfig, b: Budget, i: number, atMs: number): { targets: readonly string[]; budget: Budget } {
  const all = cfg.links[i]?.targets ?? [];
  const last = b.lastAtMs[i] ?? null;
  const slow = isSlow(cfg, b, i);
  if (slow && last !== null && atMs - last < cfg.standbyProbe.intervalMs) return { targets: [], budget: b };
  const lastAtMs = b.lastAtMs.slice();
  lastAtMs[i] = atMs;
  // A slow round can still be good: it probes at least a quorum.
  const n = Math.max(cfg.standbyProbe.targets, cfg.probe.quorum);
  if (!slow || n >= all.length) return { targets: all, budget: { ...b, lastAtMs } };
  const turn = b.turns[i] ?? 0;
  const targets = Array.from({ length: n }, (_, k) => all[(turn + k) % all.length] as string);
  const turns = b.turns.slice();
  turns[i] = turn + n;
  return { targets, budget: { ...b, lastAtMs, turns } };
}

/** The longest a healthy prober may leave uplink `i` without a round while `active` is selected. */
export function cadenceMs(cfg: UplinksConfig, i: number, active: number): number {
  return cfg.standbyProbe.enabled && active >= 0 && i > active ? cfg.standbyProbe.intervalMs : cfg.probe.intervalMs;
}
