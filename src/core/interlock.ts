// The interlock gate: an independent second check of every output image against breaker position
// feedback. A close command passes only when the other breaker is commanded open and not shown
// closed, and — unless this breaker is already closed (confirmed by its feedback, or its close command
// is already being written) — confirmed open by its feedback.
// Anything else that could parallel the feeds is refused (INTERLOCK_BLOCKED).
import { closeCmdSignal } from './signals.js';
import type { FeedId, OutputSignal, SignalName } from './types.js';

export const CLOSE_CMD: Readonly<Record<FeedId, OutputSignal>> = { A: closeCmdSignal('A'), B: closeCmdSignal('B') };
const NOT_HELD: Readonly<Record<FeedId, boolean>> = { A: false, B: false };

export interface GateResult {
  readonly image: ReadonlyMap<SignalName, boolean>;
  /** Feeds whose close command was refused, with why. */
  readonly blocked: readonly { feed: FeedId; why: string }[];
}

/**
 * `held`: the close commands of the image written last. Keeping a command that is already on changes
 * nothing in the cabinet; only a new close needs proof that the other breaker is open.
 */
export function gate(
  image: ReadonlyMap<SignalName, boolean>,
  feedback: Readonly<Record<FeedId, boolean | null>>,
  held: Readonly<Record<FeedId, boolean>> = NOT_HELD,
): GateResult {
  const want = { A: image.get(CLOSE_CMD.A) === true, B: image.get(CLOSE_CMD.B) === true };
  const blocked: { feed: FeedId; why: string }[] = [];
  if (want.A && want.B) {
    blocked.push({ feed: 'A', why: 'both breakers commanded closed' }, { feed: 'B', why: 'both breakers commanded closed' });
  } else {
    for (const [x, y] of [
      ['A', 'B'],
      ['B', 'A'],
    ] as const) {
      if (!want[x]) continue;
      if (feedback[y] === true) blocked.push({ feed: x, why: `breaker ${y} shows closed` });
      // Closing needs proof that the other is open. Holding a breaker that is already closed does
      // not: an unreadable contact is no evidence the other closed (its coil is off), and opening
      // on it would drop the load on every feedback glitch and break bumpless restarts. "Already
      // closed" is its own feedback, or — when the I/O module carrying both contacts is silent —
      // its close command already being written.
      else if (feedback[y] === null && feedback[x] !== true && !held[x]) blocked.push({ feed: x, why: `breaker ${y} position unknown` });
    }
  }
  if (blocked.length === 0) return { image, blocked };
  const out = new Map(image);
  for (const b of blocked) out.set(CLOSE_CMD[b.feed], false);
  return { image: out, blocked };
}
