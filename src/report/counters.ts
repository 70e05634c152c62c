// The month's counts: time the controller ran (coverage), restarts, config hashes, transfers, relay
// operations (on↔off changes of an output; the image a restart writes first is not an operation),
// alarms raised and how long they were active, and records lost or unreadable.
import type { At } from './record.js';
import { bool, num, str } from './record.js';
import { overlapMs, type Month } from './month.js';
import type { AlarmSummary } from './types.js';

// The ladder's modem requests are outputs with no relay (src/core/uplink/outputs.ts isSoftwareRequest;
// the report imports nothing, so the rule is repeated here): no relay wear to count.
const isSoftwareRequest = (name: string): boolean => name.endsWith('.modemReconnect') || name.endsWith('.modemReset');

export interface Counts {
  observedMs: number;
  restarts: number;
  transfers: number;
  recordsLost: number;
  readonly configHashes: Set<string>;
  readonly relayOperations: Record<string, number>;
}

export interface CountTracker {
  add(a: At): void;
  finish(lastMs: number): { counts: Counts; alarms: AlarmSummary[] };
}

export function trackCounts(month: Month): CountTracker {
  const c: Counts = { observedMs: 0, restarts: 0, transfers: 0, recordsLost: 0, configHashes: new Set(), relayOperations: {} };
  let runningSince: number | null = null;
  const outputs = new Map<string, boolean>();
  const active = new Map<string, number>();
  const alarms = new Map<string, { raised: number; activeMs: number; longestMs: number }>();
  const inMonth = (ms: number) => ms >= month.fromMs && ms < month.toMs;
  const alarm = (code: string) => {
    let a = alarms.get(code);
    if (!a) alarms.set(code, (a = { raised: 0, activeMs: 0, longestMs: 0 }));
    return a;
  };
  const clear = (code: string, ms: number) => {
    const since = active.get(code);
    if (since === undefined) return;
    active.delete(code);
    const span = overlapMs(month, since, ms);
    if (span > 0 || inMonth(since)) {
      const a = alarm(code);
      a.activeMs += span;
      a.longestMs = Math.max(a.longestMs, ms - since);
    }
  };
  const stopRunning = (ms: number) => {
    if (runningSince !== null) c.observedMs += overlapMs(month, runningSince, ms);
    runningSince = null;
    for (const code of [...active.keys()]) clear(code, ms);
  };
  return {
    add({ r, ms }) {
      // A journal that begins mid-run (older segments rotated away) is running from its first record.
      if (runningSince === null && r.type !== 'stop') runningSince = ms;
      const inside = inMonth(ms);
      switch (r.type) {
        case 'start':
          stopRunning(ms);
          runningSince = ms;
          outputs.clear();
          if (inside) c.restarts++;
          return;
        case 'stop':
          stopRunning(ms);
          return;
        case 'config': {
          const hash = str(r, 'hash');
          if (inside && hash) c.configHashes.add(hash);
          return;
        }
        case 'transfer.end':
          if (inside) c.transfers++;
          return;
        case 'journal.dropped':
          if (inside) c.recordsLost += num(r, 'count') ?? 0;
          return;
        case 'output': {
          const name = str(r, 'name');
          const on = bool(r, 'on');
          if (name === undefined || on === undefined) return;
          const before = outputs.get(name);
          if (before !== undefined && before !== on && inside && !isSoftwareRequest(name)) c.relayOperations[name] = (c.relayOperations[name] ?? 0) + 1;
          outputs.set(name, on);
          return;
        }
        case 'alarm': {
          const code = str(r, 'code');
          if (code === undefined) return;
          if (bool(r, 'active') === true && !active.has(code)) {
            active.set(code, ms);
            if (inside) alarm(code).raised++;
          } else if (bool(r, 'active') === false) clear(code, ms);
        }
      }
    },
    finish(lastMs) {
      stopRunning(lastMs);
      const list = [...alarms.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, a]) => ({ code, ...a }));
      return { counts: c, alarms: list };
    },
  };
}
