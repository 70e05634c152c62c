// Which uplink carries traffic: the operator's choice while it is up, else the first usable one in
// priority order; leaving a working uplink for a better one (failback) waits for it to be stable.
import type { UplinksConfig } from '../../config/uplinks.js';
import { isHeld, usable, type LinkState } from './state.js';

export type SwitchReason = 'down' | 'failback' | 'manual' | 'release' | 'restored';

export interface Choice {
  readonly to: string;
  /** Set when `to` differs from the active uplink. */
  readonly reason: SwitchReason | undefined;
  /** When a pending failback becomes due (for nextDeadlineMs). */
  readonly dueMs: number | undefined;
}

/** Since when the uplink has been clean: up, not held, and no failed round. */
function stableSinceMs(l: LinkState): number {
  return Math.max(l.upSinceMs ?? -Infinity, l.lastBadMs ?? -Infinity);
}

export function choose(cfg: UplinksConfig, links: readonly LinkState[], active: string, manual: string | null, nowMs: number, released: boolean): Choice {
  const ids = cfg.links.map((l) => l.id);
  const at = (id: string) => ids.indexOf(id);
  const link = (i: number) => links[i] as LinkState;
  const stay: Choice = { to: active, reason: undefined, dueMs: undefined };
  const go = (to: string, reason: SwitchReason): Choice => (to === active ? stay : { to, reason, dueMs: undefined });

  if (manual !== null && at(manual) >= 0 && link(at(manual)).up) return go(manual, 'manual');

  let best = links.findIndex((l) => usable(l, nowMs));
  // A held-down uplink is still better than none at all.
  if (best < 0) best = links.findIndex((l) => l.up);
  const cur = at(active);
  const anyUsable = links.some((l) => usable(l, nowMs));
  const curOk = cur >= 0 && link(cur).up && (!isHeld(link(cur), nowMs) || !anyUsable);
  if (!curOk) return best < 0 ? go('none', 'down') : go(ids[best] as string, active === 'none' ? 'restored' : released ? 'release' : 'down');
  if (best < 0 || best >= cur) return stay;
  // Only failback (or leaving a manual choice) waits for stability; `best` is above the active uplink.
  const dueMs = stableSinceMs(link(best)) + cfg.failbackDelayMs;
  if (nowMs >= dueMs) return go(ids[best] as string, released ? 'release' : 'failback');
  return { ...stay, dueMs };
}
