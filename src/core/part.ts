// The contract every sub-step of a scan keeps: it returns its own events (never pushes into an array
// it was handed) and its deadline, the earliest time after `now` at which it would act unprompted.
import type { ControllerEvent } from './types.js';

/** The events of a sub-step that had nothing to say (shared, frozen: allocation-free idle scans). */
export const NO_EVENTS: readonly ControllerEvent[] = Object.freeze([]);

/** The sooner of a deadline so far and a candidate; a candidate not after `nowMs` is no deadline. */
export const sooner = (nowMs: number, soFar: number | undefined, candidate: number | undefined): number | undefined =>
  candidate !== undefined && candidate > nowMs && (soFar === undefined || candidate < soFar) ? candidate : soFar;

/** The events of several sub-steps, in the order given (NO_EVENTS when all are empty). */
export function joinEvents(...lists: (readonly ControllerEvent[])[]): readonly ControllerEvent[] {
  let out: ControllerEvent[] | undefined;
  for (const l of lists) for (const e of l) (out ??= []).push(e);
  return out ?? NO_EVENTS;
}
