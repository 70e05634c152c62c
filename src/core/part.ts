// The contract every sub-step of a scan keeps: it returns its own events (never pushes into an array
// it was handed) and its deadline, the earliest time after `now` at which it would act unprompted.
import type { ControllerEvent } from './types.js';

/** The events of a sub-step that had nothing to say (shared, frozen: allocation-free idle scans). */
export const NO_EVENTS: readonly ControllerEvent[] = Object.freeze([]);

/** The sooner of a deadline so far and a candidate; a candidate not after `nowMs` is no deadline. */
export const sooner = (nowMs: number, soFar: number | undefined, candidate: number | undefined): number | undefined =>
  candidate !== undefined && candidate > nowMs && (soFar === undefined || candidate < soFar) ? candidate : soFar;

/**
 * The events of several sub-steps, in the order given. Allocation-free when at most one has any
 * (most scans): that list itself, or NO_EVENTS, is returned, so the result is read-only.
 */
export function joinEvents(...lists: (readonly ControllerEvent[])[]): readonly ControllerEvent[] {
  let only: readonly ControllerEvent[] | undefined;
  let several = false;
  for (const l of lists) {
    if (l.length === 0) continue;
    if (only) several = true;
    else only = l;
  }
  if (!several) return only ?? NO_EVENTS;
  const out: ControllerEvent[] = [];
  for (const l of lists) for (let i = 0; i < l.length; i++) out.push(l[i] as ControllerEvent);
  return out;
}
