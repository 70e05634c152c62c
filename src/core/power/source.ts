// Source health: voltage/frequency (or a digital contact) → available / failed, with dropout/pickup
// hysteresis and time delays so a sagging source does not chatter. Stale measurements are "comm":
// unknown, never a reason to transfer by themselves.
import type { FeedConfig, PowerConfig } from '../../config/schema.js';
import type { Reading, SourceReason } from '../types.js';

export interface SourceHealth {
  /** Electrical verdict from the last fresh measurements. */
  readonly healthy: boolean;
  readonly reason: SourceReason;
  /** When the present verdict began (for retransfer delays). */
  readonly sinceMs: number;
  /** When the measurements last became trustworthy again after comm loss (restarts retransfer delays). */
  readonly trustedSinceMs: number;
  /** A verdict change waiting for its delay: the time the condition began. */
  readonly pendingSinceMs: number | null;
  readonly pendingReason: SourceReason | null;
  /** Measurements are stale or missing: the verdict above is frozen and not trusted. */
  readonly commLost: boolean;
  readonly voltageV: number | null;
  readonly frequencyHz: number | null;
}

export type Availability = 'available' | 'failed' | 'unknown';

export const availability = (h: SourceHealth): Availability => (h.commLost ? 'unknown' : h.healthy ? 'available' : 'failed');

type Thresholds = PowerConfig['thresholds'];

/**
 * Why a source is outside one set of limits, or null: with `dropoutPct`, why a healthy source should
 * drop out; with `pickupPct`, why a failed one may not pick up yet.
 */
function outside(v: number, f: number, feed: FeedConfig, t: Thresholds, limit: 'dropoutPct' | 'pickupPct'): SourceReason | null {
  const vPct = (100 * v) / feed.nominalVoltageV;
  const fPct = (100 * f) / feed.nominalFrequencyHz;
  if (vPct < t.undervoltage[limit]) return 'undervoltage';
  if (vPct > t.overvoltage[limit]) return 'overvoltage';
  if (fPct < t.underfrequency[limit]) return 'underfrequency';
  if (fPct > t.overfrequency[limit]) return 'overfrequency';
  return null;
}

const fresh = (r: Reading | undefined, staleMs: number): number | boolean | undefined =>
  r !== undefined && r.value !== undefined && r.ageMs <= staleMs ? r.value : undefined;

export interface SourceReadings {
  readonly voltage: Reading | undefined;
  readonly frequency: Reading | undefined;
  readonly available: Reading | undefined;
}

/** The two verdicts the present readings support: dropout (for a healthy source) and pickup (for a failed one). */
function judge(r: SourceReadings, feed: FeedConfig, cfg: PowerConfig) {
  if (feed.sense === 'digital') {
    const a = fresh(r.available, cfg.meterStaleMs);
    if (typeof a !== 'boolean') return undefined;
    const reason: SourceReason | null = a ? null : 'undervoltage';
    return { drop: reason, pick: reason, v: null, f: null };
  }
  const v = fresh(r.voltage, cfg.meterStaleMs);
  const f = fresh(r.frequency, cfg.meterStaleMs);
  if (typeof v !== 'number' || typeof f !== 'number') return undefined;
  return { drop: outside(v, f, feed, cfg.thresholds, 'dropoutPct'), pick: outside(v, f, feed, cfg.thresholds, 'pickupPct'), v, f };
}

/** At boot the controller adopts what it sees at once (bumpless): in pickup limits → healthy. */
export function bootHealth(r: SourceReadings, feed: FeedConfig, cfg: PowerConfig, nowMs: number): SourceHealth {
  const j = judge(r, feed, cfg);
  if (!j)
    return {
      healthy: false,
      reason: 'comm',
      sinceMs: nowMs,
      trustedSinceMs: nowMs,
      pendingSinceMs: null,
      pendingReason: null,
      commLost: true,
      voltageV: null,
      frequencyHz: null,
    };
  return {
    healthy: j.pick === null,
    reason: j.pick ?? 'ok',
    sinceMs: nowMs,
    trustedSinceMs: nowMs,
    pendingSinceMs: null,
    pendingReason: null,
    commLost: false,
    voltageV: j.v,
    frequencyHz: j.f,
  };
}

/** One scan of source health. */
export function stepHealth(prev: SourceHealth, r: SourceReadings, feed: FeedConfig, cfg: PowerConfig, nowMs: number): SourceHealth {
  const j = judge(r, feed, cfg);
  if (!j) {
    return prev.commLost ? prev : { ...prev, commLost: true, pendingSinceMs: null, pendingReason: null };
  }
  const base = { ...prev, commLost: false, voltageV: j.v, frequencyHz: j.f, trustedSinceMs: prev.commLost ? nowMs : prev.trustedSinceMs };
  // A healthy source changes when it is outside dropout limits; a failed one when inside pickup limits.
  const want: SourceReason | null = prev.healthy ? j.drop : j.pick === null ? 'ok' : null;
  if (want === null) {
    const same = prev.pendingSinceMs === null && !prev.commLost && prev.voltageV === j.v && prev.frequencyHz === j.f;
    return same ? prev : { ...base, pendingSinceMs: null, pendingReason: null };
  }
  const since = prev.pendingSinceMs ?? nowMs;
  const delay = prev.healthy ? feed.dropoutDelayMs : feed.pickupDelayMs;
  if (nowMs - since >= delay) {
    return { ...base, healthy: !prev.healthy, reason: want, sinceMs: nowMs, pendingSinceMs: null, pendingReason: null };
  }
  return { ...base, pendingSinceMs: since, pendingReason: want };
}

/** When this source's pending change would complete, if nothing else changes. */
export function healthDeadline(h: SourceHealth, feed: FeedConfig): number | undefined {
  if (h.pendingSinceMs === null) return undefined;
  return h.pendingSinceMs + (h.healthy ? feed.dropoutDelayMs : feed.pickupDelayMs);
}
