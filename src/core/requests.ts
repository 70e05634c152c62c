// Operator requests go to the sub-machine that owns them: uplink selection to the uplinks, the rest
// to power (which also takes `ackAlarms`, in order, for the alarm step). Verdicts come back in
// request order, so that no caller has to infer which verdict answers which request.
import type { Command, CommandVerdict, ControllerEvent, Request } from './types.js';

const isUplinkCommand = (c: Command): boolean => c.name === 'selectUplink' || c.name === 'releaseUplink';

export interface Routed {
  readonly power: readonly Request[];
  readonly uplink: readonly Request[];
}

const NONE: Routed = Object.freeze({ power: Object.freeze([]), uplink: Object.freeze([]) });

export function routeRequests(requests: readonly Request[]): Routed {
  if (requests.length === 0) return NONE;
  const power: Request[] = [];
  const uplink: Request[] = [];
  for (const r of requests) (isUplinkCommand(r.command) ? uplink : power).push(r);
  return { power, uplink };
}

const NO_UPLINK_COMMANDS = Object.freeze({ events: Object.freeze([]), verdicts: Object.freeze([]) });

/** The `command` events and verdicts of the uplink requests, from the uplink step's verdicts (same order). */
export function uplinkCommandEvents(
  requests: readonly Request[],
  verdicts: readonly { accepted: boolean; reason?: string }[],
): { events: readonly ControllerEvent[]; verdicts: readonly CommandVerdict[] } {
  if (requests.length === 0) return NO_UPLINK_COMMANDS;
  const events: ControllerEvent[] = [];
  const out: CommandVerdict[] = [];
  requests.forEach((r, i) => {
    const v = verdicts[i] ?? { accepted: false, reason: 'no verdict' };
    const ev: ControllerEvent = { type: 'command', name: r.command.name, accepted: v.accepted };
    if (!v.accepted) ev.reason = v.reason ?? 'refused';
    if (r.origin !== undefined) ev.origin = r.origin;
    events.push(ev);
    out.push(v.accepted ? { accepted: true } : { accepted: false, reason: ev.reason });
  });
  return { events, verdicts: out };
}

/** Puts the two sub-machines' verdicts back in the order of the requests they answer. */
export function inRequestOrder(requests: readonly Request[], power: readonly CommandVerdict[], uplink: readonly CommandVerdict[]): CommandVerdict[] {
  let p = 0;
  let u = 0;
  const missing: CommandVerdict = { accepted: false, reason: 'no verdict' };
  return requests.map((r) => (isUplinkCommand(r.command) ? uplink[u++] : power[p++]) ?? missing);
}
