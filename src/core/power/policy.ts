// Which feed the load should be on: failure transfers, retransfer policy (auto / manual / window),
// test mode, manual mode, anti-hunting. Whatever the policy: if the feed in use fails and the
// preferred one is available, transfer at once.
import type { PowerConfig } from '../../config/schema.js';
import { other, type FeedId, type Mode } from '../types.js';
import type { Availability } from './source.js';
import type { Desire } from './transfer.js';
import { insideWindow } from './window.js';

export interface PolicyInput {
  readonly mode: Mode;
  readonly position: FeedId | 'none';
  readonly avail: Readonly<Record<FeedId, Availability>>;
  /** The feed in use is dead by independent evidence (meter quiet, UPS on battery). */
  readonly inUseDeadByEvidence: boolean;
  /** Since when the preferred feed has been available (or auto mode began, if later). */
  readonly preferredStableSinceMs: number | null;
  readonly approved: boolean;
  readonly rateLimited: boolean;
  readonly test: { readonly onLoad: boolean } | null;
  readonly manualTarget: FeedId | null;
  /** A test just ended with the load on the alternate feed: return at once (the preferred never failed). */
  readonly testReturn: boolean;
}

export interface PolicyResult {
  readonly desire: Desire;
  /** A retransfer to the preferred feed is waiting (timer, approval, window or rate limit). */
  readonly retransferPending: boolean;
  /** When the automatic retransfer delay ends (for the deadline and the status timer). */
  readonly retransferAtMs: number | null;
}

const NONE: PolicyResult = { desire: null, retransferPending: false, retransferAtMs: null };

export function decide(cfg: PowerConfig, p: PolicyInput, nowMs: number): PolicyResult {
  const P = cfg.preferred;
  const Q = other(P);
  const up = (f: FeedId) => p.avail[f] === 'available';
  const inUseFailed = p.position !== 'none' && (p.avail[p.position] === 'failed' || p.inUseDeadByEvidence);

  if (p.mode === 'manual') {
    return p.manualTarget && p.manualTarget !== p.position && up(p.manualTarget) ? { ...NONE, desire: { to: p.manualTarget, reason: 'manual' } } : NONE;
  }
  if (p.position === 'none') {
    if (p.test?.onLoad && up(Q)) return { ...NONE, desire: { to: Q, reason: 'test' } };
    if (up(P)) return { ...NONE, desire: { to: P, reason: 'restore' } };
    if (up(Q)) return { ...NONE, desire: { to: Q, reason: 'restore' } };
    return NONE;
  }
  const x = p.position;
  if (inUseFailed) {
    return up(other(x)) ? { ...NONE, desire: { to: other(x), reason: p.avail[x] === 'failed' ? 'sourceFail' : 'deadOutput' } } : NONE;
  }
  if (p.testReturn && x === Q && up(P)) return { ...NONE, desire: { to: P, reason: 'testEnd' } };
  if (p.mode === 'test' && p.test?.onLoad) {
    return x === P && up(Q) ? { ...NONE, desire: { to: Q, reason: 'test' } } : NONE;
  }
  if (x === P || !up(P)) return NONE;
  // On the alternate feed with the preferred one available: the retransfer policy decides.
  if (p.approved) return { ...NONE, desire: { to: P, reason: 'retransfer' } };
  const stable = p.preferredStableSinceMs;
  const atMs = stable === null ? null : stable + cfg.retransfer.delayMs;
  const delayDone = atMs !== null && nowMs >= atMs;
  const pending = { desire: null, retransferPending: true, retransferAtMs: cfg.retransfer.policy === 'manual' ? null : atMs };
  if (cfg.retransfer.policy === 'manual' || p.rateLimited || !delayDone) return pending;
  // `window` (spec: only inside the maintenance window) also waits the retransfer delay: the window
  // opening is no proof that the preferred feed is stable, so the safe reading asks for both.
  if (cfg.retransfer.policy === 'window' && !insideWindow(cfg.retransfer.window, nowMs)) return pending;
  return { desire: { to: P, reason: 'retransfer' }, retransferPending: true, retransferAtMs: atMs };
}
