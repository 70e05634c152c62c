// The last hour of trends for the dashboard, kept in the controller: one sample a second in fixed
// ring buffers (feed voltages and frequencies, UPS charge, uplink latency and loss). Memory is fixed.
import type { Status, UplinkStatus } from '../../core/types.js';

export const TREND_SECONDS = 3600;

/** Columns, oldest first, `null` where there was no reading (uPlot draws a gap). */
export interface TrendSeries {
  readonly tS: number[];
  readonly series: Record<string, (number | null)[]>;
}

export interface Trends {
  /** Called after every scan; samples at most once per second of `atMs`. */
  sample(status: Status, atMs: number): void;
  series(): TrendSeries;
}

function seriesOf(s: Status, uplinkIds: readonly string[]): Record<string, number | null> {
  const out: Record<string, number | null> = {
    'feed.A.voltageV': s.feeds.A.voltageV,
    'feed.B.voltageV': s.feeds.B.voltageV,
    'feed.A.frequencyHz': s.feeds.A.frequencyHz,
    'feed.B.frequencyHz': s.feeds.B.frequencyHz,
    'ups.chargePct': s.ups.chargePct,
  };
  for (const id of uplinkIds) {
    const u = s.uplink[id] as UplinkStatus | undefined;
    out[`uplink.${id}.latencyMs`] = u?.latencyMs ?? null;
    out[`uplink.${id}.lossPct`] = u ? u.lossPct : null;
  }
  return out;
}

export function createTrends(uplinkIds: readonly string[], capacity = TREND_SECONDS): Trends {
  const names = Object.keys(seriesOf({ feeds: { A: {}, B: {} }, ups: {}, uplink: {} } as unknown as Status, uplinkIds));
  const times = new Float64Array(capacity);
  const cols = new Map(names.map((n) => [n, new Float64Array(capacity).fill(NaN)]));
  let next = 0;
  let count = 0;
  let lastS = -Infinity;
  return {
    sample(status, atMs) {
      const tS = Math.floor(atMs / 1000);
      if (tS <= lastS) return;
      lastS = tS;
      const values = seriesOf(status, uplinkIds);
      times[next] = tS;
      for (const [n, col] of cols) col[next] = values[n] ?? NaN;
      next = (next + 1) % capacity;
      count = Math.min(count + 1, capacity);
    },
    series() {
      const start = (next - count + capacity) % capacity;
      const idx = Array.from({ length: count }, (_, i) => (start + i) % capacity);
      const series: Record<string, (number | null)[]> = {};
      for (const [n, col] of cols) series[n] = idx.map((i) => (Number.isNaN(col[i] as number) ? null : (col[i] as number)));
      return { tS: idx.map((i) => times[i] as number), series };
    },
  };
}
