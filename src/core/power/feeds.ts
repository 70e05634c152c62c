// Both feeds' health for one scan: step (or, at boot, adopt) each feed's verdict, emit `source`
// events on a change, and ask to be woken when a pending change or a reading's staleness falls due.
import type { PowerConfig } from '../../config/schema.js';
import { NO_EVENTS, sooner } from '../part.js';
import { feedSignal } from '../signals.js';
import { FEEDS, type ControllerEvent, type FeedId, type Reading, type SignalName } from '../types.js';
import { availability, bootHealth, healthDeadline, stepHealth, type SourceHealth, type SourceReadings } from './source.js';

const METER_SIGNALS = {
  A: [feedSignal('A', 'voltage'), feedSignal('A', 'frequency'), feedSignal('A', 'available')],
  B: [feedSignal('B', 'voltage'), feedSignal('B', 'frequency'), feedSignal('B', 'available')],
} as const;
/** The feed's readings, with the signal names built once (a name built per scan costs a string and its hash). */
const readingsFor = (inputs: ReadonlyMap<SignalName, Reading>, f: FeedId): SourceReadings => {
  const [v, hz, avail] = METER_SIGNALS[f];
  return { voltage: inputs.get(v), frequency: inputs.get(hz), available: inputs.get(avail) };
};

type Feeds = Readonly<Record<FeedId, SourceHealth>>;

export interface FeedsResult {
  /** The previous object when neither feed changed (copy-on-write). */
  readonly feeds: Feeds;
  readonly events: readonly ControllerEvent[];
  readonly deadlineMs: number | undefined;
}

const reasonOf = (x: SourceHealth) => (x.commLost ? 'comm' : x.reason);

/** `prev` null = first scan (bumpless boot: the present readings are adopted at once). */
export function stepFeeds(pc: PowerConfig, prevFeeds: Feeds | null, inputs: ReadonlyMap<SignalName, Reading>, now: number): FeedsResult {
  let feeds: Feeds = prevFeeds ?? ({} as Feeds);
  let events: ControllerEvent[] | undefined;
  let deadlineMs: number | undefined;
  for (const f of FEEDS) {
    const r = readingsFor(inputs, f);
    const before = prevFeeds ? prevFeeds[f] : null;
    const h = before ? stepHealth(before, r, pc.feeds[f], pc, now) : bootHealth(r, pc.feeds[f], pc, now);
    if (h !== feeds[f]) feeds = { ...feeds, [f]: h };
    const changed = !before || (before !== h && (availability(before) !== availability(h) || reasonOf(before) !== reasonOf(h)));
    if (changed) (events ??= []).push({ type: 'source', source: f, available: availability(h) === 'available', reason: reasonOf(h) });
    deadlineMs = sooner(now, deadlineMs, healthDeadline(h, pc.feeds[f]));
    for (const s of METER_SIGNALS[f]) {
      const rd = inputs.get(s);
      // A reading refreshed this very instant (age 0) needs no wake-up: the scan period (or, in the
      // simulator, the plant's own tick while a meter is quiet) brings the next look.
      if (rd && rd.value !== undefined && rd.ageMs > 0 && rd.ageMs <= pc.meterStaleMs)
        deadlineMs = sooner(now, deadlineMs, now + pc.meterStaleMs - rd.ageMs + 1);
    }
  }
  return { feeds, events: events ?? NO_EVENTS, deadlineMs };
}
