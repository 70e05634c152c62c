// Weekly maintenance windows in a time zone: is `nowMs` inside one? Pure (Intl is deterministic).
import type { PowerConfig } from '../../config/schema.js';

type Window = PowerConfig['retransfer']['window'];

const DAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
// Module-level memos, pure and bounded by the configured time zones: one formatter per zone (costly
// to build), and the last answer per zone and minute (the scan asks every second while a retransfer waits).
const formatters = new Map<string, Intl.DateTimeFormat>();
const memo = new Map<string, { minuteKey: number; parts: { day: number; minute: number } }>();

function localParts(nowMs: number, timeZone: string): { day: number; minute: number } {
  const minuteKey = Math.floor(nowMs / 60_000);
  const hit = memo.get(timeZone);
  if (hit && hit.minuteKey === minuteKey) return hit.parts;
  const parts = computeParts(minuteKey * 60_000, timeZone);
  memo.set(timeZone, { minuteKey, parts });
  return parts;
}

function computeParts(nowMs: number, timeZone: string): { day: number; minute: number } {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, fmt);
  }
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const p of fmt.formatToParts(new Date(nowMs))) {
    if (p.type === 'weekday') day = DAY_INDEX[p.value] ?? 0;
    else if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return { day, minute: hour * 60 + minute };
}

const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** A window whose end is before its start runs over midnight into the next day. */
export function insideWindow(w: Window, nowMs: number): boolean {
  const { day, minute } = localParts(nowMs, w.timeZone);
  const start = toMinute(w.start);
  const end = toMinute(w.end);
  const days = new Set(w.days);
  if (start < end) return days.has(DAYS[day] as Window['days'][number]) && minute >= start && minute < end;
  if (start === end) return days.has(DAYS[day] as Window['days'][number]);
  const yesterday = DAYS[(day + 6) % 7] as Window['days'][number];
  return (days.has(DAYS[day] as Window['days'][number]) && minute >= start) || (days.has(yesterday) && minute < end);
}

/** Next whole minute: window edges fall on minutes, so checking each minute start is exact. */
export const nextMinute = (nowMs: number) => Math.floor(nowMs / 60_000) * 60_000 + 60_000;
