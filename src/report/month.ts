// A report month: `YYYY-MM`, in UTC (journal times are UTC), as a half-open window [fromMs, toMs).

export interface Month {
  readonly name: string;
  readonly fromMs: number;
  readonly toMs: number;
}

export function parseMonth(text: string): Month | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  return { name: text, fromMs: Date.UTC(year, month - 1, 1), toMs: Date.UTC(year, month, 1) };
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** The overlap of [a, b) with the month, in ms. */
export function overlapMs(m: Month, a: number, b: number): number {
  return Math.max(0, Math.min(b, m.toMs) - Math.max(a, m.fromMs));
}
