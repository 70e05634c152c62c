// Hold-down that learns: an uplink that went down `downs` times within `windowMs` is held down, first
// for `holdMs`, each further hold twice as long (up to `maxHoldMs`); every `forgetAfterMs` without a
// down forgives one doubling. A link that flaps all day is used less and less; a bad hour is forgiven.
import type { UplinksConfig } from '../../config/uplinks.js';
import type { LinkState } from './state.js';

type HoldDown = UplinksConfig['holdDown'];
type HoldFields = { -readonly [K in 'downTimesMs' | 'heldUntilMs' | 'holdLevel' | 'lastDownMs']: LinkState[K] };

/** The doublings still remembered at `nowMs`: the stored level less one per quiet `forgetAfterMs`. */
export function holdLevelAt(l: Pick<LinkState, 'holdLevel' | 'lastDownMs'>, hd: HoldDown, nowMs: number): number {
  if (l.holdLevel === 0 || l.lastDownMs === null) return 0;
  return Math.max(0, l.holdLevel - Math.floor(Math.max(0, nowMs - l.lastDownMs) / hd.forgetAfterMs));
}

/** How long the next hold would last at `nowMs`. */
export function nextHoldMs(l: Pick<LinkState, 'holdLevel' | 'lastDownMs'>, hd: HoldDown, nowMs: number): number {
  return Math.min(hd.maxHoldMs, hd.holdMs * 2 ** holdLevelAt(l, hd, nowMs));
}

/** Records an up→down transition at `nowMs`; starts a hold when it is the `downs`-th within the window. */
export function noteDown(l: HoldFields, hd: HoldDown, nowMs: number): void {
  const recent = l.downTimesMs.filter((t) => nowMs - t < hd.windowMs).slice(-(hd.downs - 1));
  recent.push(nowMs);
  const level = holdLevelAt(l, hd, nowMs);
  const held = recent.length >= hd.downs;
  // The downs that triggered a hold are forgotten, so one more down after the hold does not re-trigger it.
  l.downTimesMs = held ? [] : recent;
  l.lastDownMs = nowMs;
  l.holdLevel = level;
  if (!held) return;
  l.heldUntilMs = nowMs + nextHoldMs(l, hd, nowMs);
  // Capped: a level past the longest hold would only take longer to forgive.
  if (hd.holdMs * 2 ** level < hd.maxHoldMs) l.holdLevel = level + 1;
}
