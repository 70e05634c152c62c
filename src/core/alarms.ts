// Alarm bookkeeping: conditions in, `alarm` events out on every change; acknowledge marks the
// active ones seen. The common-alarm output is on while any active alarm is unacknowledged.
import { ALARM_CODES, type AlarmCode, type ControllerEvent } from './types.js';

export interface AlarmEntry {
  readonly sinceMs: number;
  readonly acked: boolean;
  readonly message: string;
}

/** Active alarms by code. */
export type AlarmState = Readonly<Partial<Record<AlarmCode, AlarmEntry>>>;

/**
 * `preAcked`: codes acknowledged before a restart; one of them that is raised now is raised
 * acknowledged (the operator saw it already), and is reported in `consumed`.
 */
export function stepAlarms(
  prev: AlarmState,
  conditions: ReadonlyMap<AlarmCode, string>,
  ack: boolean,
  nowMs: number,
  preAcked?: readonly AlarmCode[],
): { state: AlarmState; events: ControllerEvent[]; consumed?: AlarmCode[] } {
  const events: ControllerEvent[] = [];
  let consumed: AlarmCode[] | undefined;
  let changed = false;
  const next: Partial<Record<AlarmCode, AlarmEntry>> = {};
  for (const code of ALARM_CODES) {
    const was = prev[code];
    const message = conditions.get(code);
    if (message !== undefined) {
      if (!was) {
        events.push({ type: 'alarm', code, active: true, message });
        const pre = preAcked?.includes(code) === true;
        if (pre) (consumed ??= []).push(code);
        next[code] = { sinceMs: nowMs, acked: ack || pre, message };
        changed = true;
      } else {
        const acked = was.acked || ack;
        next[code] = acked === was.acked ? was : { ...was, acked };
        changed ||= acked !== was.acked;
      }
    } else if (was) {
      events.push({ type: 'alarm', code, active: false, message: `${was.message}: cleared` });
      changed = true;
    }
  }
  return consumed ? { state: changed ? next : prev, events, consumed } : { state: changed ? next : prev, events };
}

export const activeAlarms = (s: AlarmState): AlarmCode[] => ALARM_CODES.filter((c) => s[c] !== undefined);
export const unackedAlarms = (s: AlarmState): AlarmCode[] => ALARM_CODES.filter((c) => s[c] !== undefined && !s[c]?.acked);
