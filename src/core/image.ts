// The written output image: breaker commands, generator start and the uplink image, passed through
// the interlock gate, with and without the common alarm. Images are few (breaker commands ×
// generator × uplink image × feedback), so each is built once and shared; none is ever mutated.
import { CLOSE_CMD, gate } from './interlock.js';
import type { Feedback } from './power/transfer.js';
import { ALARM_COMMON, GENERATOR_START } from './signals.js';
import type { FeedId, SignalName } from './types.js';

/** The gated output image for one combination of wanted outputs and feedback (shared, never mutated). */
export interface Gated {
  /** The interlock's reasons for blocking a close command, or null. */
  readonly blocked: string | null;
  readonly withCommon: ReadonlyMap<SignalName, boolean>;
  readonly withoutCommon: ReadonlyMap<SignalName, boolean>;
}

// A module-level memo, pure (same wanted image and feedback → same gated image) and bounded by the few
// combinations; the uplink part is itself a shared map (see uplink/outputs.ts), so it keys the cache weakly.
const gatedCache = new WeakMap<ReadonlyMap<SignalName, boolean>, Map<number, Gated>>();

/** 0 absent/unknown, 1 false, 2 true: one base-3 digit of the cache key (a number: no string built per scan). */
const digit = (v: boolean | null | undefined): number => (v === undefined || v === null ? 0 : v ? 2 : 1);

/**
 * `a`, `b`: the breaker close commands; undefined leaves that breaker out of the image (as it is).
 * `held`: the breaker close commands of the image written last (see interlock.ts).
 */
export function gatedImage(
  a: boolean | undefined,
  b: boolean | undefined,
  genStart: boolean | undefined,
  uplinkImage: ReadonlyMap<SignalName, boolean>,
  fb: Feedback,
  held: Readonly<Record<FeedId, boolean>>,
): Gated {
  const key = ((((digit(a) * 3 + digit(b)) * 3 + digit(genStart)) * 3 + digit(fb.A)) * 3 + digit(fb.B)) * 4 + (held.A ? 2 : 0) + (held.B ? 1 : 0);
  let perUplink = gatedCache.get(uplinkImage);
  if (!perUplink) gatedCache.set(uplinkImage, (perUplink = new Map()));
  const hit = perUplink.get(key);
  if (hit) return hit;
  const image = new Map<SignalName, boolean>();
  if (a !== undefined) image.set(CLOSE_CMD.A, a);
  if (b !== undefined) image.set(CLOSE_CMD.B, b);
  if (genStart !== undefined) image.set(GENERATOR_START, genStart);
  for (const [k, v] of uplinkImage) image.set(k, v);
  const gated = gate(image, fb, held);
  const withCommon = new Map(gated.image);
  withCommon.set(ALARM_COMMON, true);
  const withoutCommon = new Map(gated.image);
  withoutCommon.set(ALARM_COMMON, false);
  const g: Gated = {
    blocked: gated.blocked.length > 0 ? gated.blocked.map((x) => `${x.feed}: ${x.why}`).join('; ') : null,
    withCommon,
    withoutCommon,
  };
  perUplink.set(key, g);
  return g;
}
