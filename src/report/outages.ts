// Real outages of the preferred feed, as the controller saw them: from `source P unavailable` to
// `source P available`, with the time to load on the alternate, the UPS ride-through, any time the
// DC supplies were insufficient (load lost), and the retransfer that followed.
import type { At } from './record.js';
import { bool, str } from './record.js';
import { iso, type Month } from './month.js';
import type { OutageRecord } from './types.js';

interface Open {
  readonly startMs: number;
  readonly reason: string;
  endMs: number | null;
  transferMs: number | null;
  rideMs: number;
  lostMs: number;
  readonly alarms: Set<string>;
  retransfer: { atMs: number; to: string; endMs: number | null; ok: boolean; reason: string } | null;
}

export interface OutageTracker {
  add(a: At, preferred: string): void;
  finish(lastMs: number): OutageRecord[];
}

export function trackOutages(month: Month): OutageTracker {
  const out: OutageRecord[] = [];
  let cur: Open | null = null;
  let batterySince: number | null = null;
  let psuLostSince: number | null = null;
  const close = (lastMs: number) => {
    if (cur && cur.startMs < month.toMs && (cur.endMs ?? lastMs) >= month.fromMs) out.push(toRecord(cur));
    cur = null;
  };
  /** The ride-through and load-lost spans up to `ms`, while the outage is open. */
  const accrue = (o: Open, ms: number) => {
    if (batterySince !== null) o.rideMs += ms - batterySince;
    if (psuLostSince !== null) o.lostMs += ms - Math.max(psuLostSince, o.startMs);
  };
  return {
    add({ r, ms }, preferred) {
      const open = cur !== null && cur.endMs === null ? cur : null;
      switch (r.type) {
        case 'source': {
          if (str(r, 'source') !== preferred) return;
          const available = bool(r, 'available');
          if (available === false && !open) {
            close(ms);
            cur = {
              startMs: ms,
              reason: str(r, 'reason') ?? '?',
              endMs: null,
              transferMs: null,
              rideMs: 0,
              lostMs: 0,
              alarms: new Set(),
              retransfer: null,
            };
          } else if (available === true && open) {
            accrue(open, ms);
            open.endMs = ms;
          }
          return;
        }
        case 'ups':
          if (bool(r, 'onBattery') === true && batterySince === null) batterySince = ms;
          else if (bool(r, 'onBattery') === false && batterySince !== null) {
            if (open) open.rideMs += ms - batterySince;
            batterySince = null;
          }
          return;
        case 'psu':
          if (str(r, 'state') === 'insufficient' && psuLostSince === null) psuLostSince = ms;
          else if (str(r, 'state') !== 'insufficient' && psuLostSince !== null) {
            if (open) open.lostMs += ms - Math.max(psuLostSince, open.startMs);
            psuLostSince = null;
          }
          return;
        case 'start':
          // A restarted controller learns the UPS and supplies afresh; an open outage stays open.
          if (open) accrue(open, ms);
          [batterySince, psuLostSince] = [null, null];
          return;
      }
      if (cur) onTransfer(cur, r.type, { r, ms }, preferred);
    },
    finish(lastMs) {
      if (cur && cur.endMs === null) accrue(cur, lastMs);
      close(lastMs);
      return out;
    },
  };
}

function onTransfer(o: Open, type: string, { r, ms }: At, preferred: string): void {
  const to = str(r, 'to');
  if (type === 'transfer.end' && o.endMs === null && o.transferMs === null && to !== undefined && to !== preferred) o.transferMs = ms - o.startMs;
  if (type === 'transfer.begin' && o.endMs !== null && o.retransfer === null && to === preferred)
    o.retransfer = { atMs: ms, to, endMs: null, ok: false, reason: str(r, 'reason') ?? '?' };
  if (type === 'transfer.end' && o.retransfer && o.retransfer.endMs === null && to === o.retransfer.to) [o.retransfer.endMs, o.retransfer.ok] = [ms, true];
  if (type === 'alarm' && bool(r, 'active') === true && (o.endMs === null || (o.retransfer?.endMs ?? null) === null)) {
    const code = str(r, 'code');
    if (code) o.alarms.add(code);
  }
}

function toRecord(o: Open): OutageRecord {
  const rt = o.retransfer;
  return {
    start: iso(o.startMs),
    end: o.endMs === null ? null : iso(o.endMs),
    durationMs: o.endMs === null ? null : o.endMs - o.startMs,
    transferMs: o.transferMs,
    reason: o.reason,
    upsRideThroughMs: Math.round(o.rideMs),
    loadLostMs: Math.round(o.lostMs),
    retransfer: rt ? { at: iso(rt.atMs), durationMs: rt.endMs === null ? null : rt.endMs - rt.atMs, ok: rt.ok, reason: rt.reason } : null,
    alarms: [...o.alarms].sort(),
  };
}
