// Sliding window of probe statistics (loss %, mean latency) for status, kept as a few time buckets
// in one flat array: a round costs one small copy, not a ring of every probe.
export const BUCKETS = 6;
// Layout per bucket: [bucketNo, sent, lost, rttSumMs, answered].
const FIELDS = 5;

export function emptyWindow(): number[] {
  const w = new Array<number>(BUCKETS * FIELDS).fill(0);
  for (let b = 0; b < BUCKETS; b++) w[b * FIELDS] = -1;
  return w;
}

const bucketMsOf = (windowMs: number): number => Math.max(1, Math.floor(windowMs / BUCKETS));

/** A copy of `win` with one round added (`sent` probes, `lost` of them, `rttSumMs` over `answered`). */
export function addRound(win: readonly number[], windowMs: number, atMs: number, sent: number, lost: number, rttSumMs: number, answered: number): number[] {
  const no = Math.floor(atMs / bucketMsOf(windowMs));
  const at = (no % BUCKETS) * FIELDS;
  const w = win.slice();
  if (w[at] !== no) {
    w[at] = no;
    w[at + 1] = 0;
    w[at + 2] = 0;
    w[at + 3] = 0;
    w[at + 4] = 0;
  }
  w[at + 1] = (w[at + 1] ?? 0) + sent;
  w[at + 2] = (w[at + 2] ?? 0) + lost;
  w[at + 3] = (w[at + 3] ?? 0) + rttSumMs;
  w[at + 4] = (w[at + 4] ?? 0) + answered;
  return w;
}

/** Loss % and mean latency over the buckets still inside the window at `nowMs`. */
export function windowStats(win: readonly number[], windowMs: number, nowMs: number): { lossPct: number; latencyMs: number | null } {
  const newest = Math.floor(nowMs / bucketMsOf(windowMs));
  let sent = 0;
  let lost = 0;
  let rtt = 0;
  let answered = 0;
  for (let b = 0; b < BUCKETS; b++) {
    const no = win[b * FIELDS] ?? -1;
    if (no < 0 || no <= newest - BUCKETS || no > newest) continue;
    sent += win[b * FIELDS + 1] ?? 0;
    lost += win[b * FIELDS + 2] ?? 0;
    rtt += win[b * FIELDS + 3] ?? 0;
    answered += win[b * FIELDS + 4] ?? 0;
  }
  return {
    lossPct: sent === 0 ? 0 : Math.round((1000 * lost) / sent) / 10,
    latencyMs: answered === 0 ? null : Math.round((10 * rtt) / answered) / 10,
  };
}
