// Per uplink over the month: availability while the controller ran, outages, the longest one, and
// failovers (traffic moved off it because it went down). A restart starts every uplink as up, as
// the core does; the time the controller was not running counts neither way.
import type { At } from './record.js';
import { bool, str } from './record.js';
import { overlapMs, type Month } from './month.js';
import type { UplinkRecord } from './types.js';

interface Link {
  downSince: number | null;
  downMs: number;
  outages: number;
  longestMs: number;
  failovers: number;
}

export interface UplinkTracker {
  add(a: At): void;
  /** Closes the open outages at `ms` (the controller stopped or the journal ends). */
  pause(ms: number): void;
  switches(): number;
  finish(lastMs: number, observedMs: number): UplinkRecord[];
}

export function trackUplinks(month: Month): UplinkTracker {
  const links = new Map<string, Link>();
  let switches = 0;
  const link = (id: string): Link => {
    let l = links.get(id);
    if (!l) links.set(id, (l = { downSince: null, downMs: 0, outages: 0, longestMs: 0, failovers: 0 }));
    return l;
  };
  const inMonth = (ms: number) => ms >= month.fromMs && ms < month.toMs;
  const closeDown = (l: Link, ms: number) => {
    if (l.downSince === null) return;
    if (overlapMs(month, l.downSince, ms) > 0 || inMonth(l.downSince)) {
      l.downMs += overlapMs(month, l.downSince, ms);
      l.longestMs = Math.max(l.longestMs, ms - l.downSince);
    }
    l.downSince = null;
  };
  const pause = (ms: number) => {
    for (const l of links.values()) closeDown(l, ms);
  };
  return {
    add({ r, ms }) {
      if (r.type === 'uplink') {
        const id = str(r, 'id');
        const up = bool(r, 'up');
        if (id === undefined || up === undefined) return;
        const l = link(id);
        if (!up && l.downSince === null) {
          l.downSince = ms;
          if (inMonth(ms)) l.outages++;
        } else if (up) closeDown(l, ms);
      } else if (r.type === 'uplink.switch' && inMonth(ms)) {
        switches++;
        const from = str(r, 'from');
        if (str(r, 'reason') === 'down' && from !== undefined && from !== 'none') link(from).failovers++;
      } else if (r.type === 'start' || r.type === 'stop') pause(ms);
      else if (r.type === 'config' && Array.isArray(r.uplinks)) for (const id of r.uplinks) if (typeof id === 'string') link(id);
    },
    pause,
    switches: () => switches,
    finish(lastMs, observedMs) {
      pause(lastMs);
      return [...links.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([id, l]) => ({
          id,
          availabilityPct: observedMs > 0 ? Math.round((100_000 * Math.max(0, observedMs - l.downMs)) / observedMs) / 1000 : 0,
          downMs: l.downMs,
          outages: l.outages,
          longestOutageMs: l.longestMs,
          failovers: l.failovers,
        }));
    },
  };
}
