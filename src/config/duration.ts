// Durations in config and scenarios: a number of milliseconds or a string such as "250ms", "3s", "5m", "2h", "1d".
import { z } from 'zod';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/y;
const WHOLE = /^\s*(?:\d+(?:\.\d+)?\s*(?:ms|s|m|h|d)\s*)+$/;

/** Parses a duration; returns undefined when the text is not one. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  // Compound forms such as "1m30s" or "2h59m" add up.
  if (!WHOLE.test(value)) return undefined;
  let ms = 0;
  const text = value.replace(/\s+/g, '');
  PART.lastIndex = 0;
  for (let m = PART.exec(text); m; m = PART.exec(text)) ms += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  return Math.round(ms);
}

export const DURATION_HINT = 'a number of ms or a string like "500ms", "3s", "5m", "2h", "1d", "1m30s"';

/** A zod schema for a duration; the output is whole milliseconds. */
export const duration = () =>
  z.union([z.number(), z.string()]).transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `not a duration: ${JSON.stringify(v)} (use ${DURATION_HINT})` });
      return z.NEVER;
    }
    return ms;
  });

export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0 && ms > 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0 && ms > 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
