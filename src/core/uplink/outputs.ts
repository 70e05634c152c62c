// What the uplink step hands back besides its state: the output image, the alarm conditions and
// the verdicts on operator commands.
import type { UplinksConfig } from '../../config/uplinks.js';
import type { AlarmCode, Command, SignalName } from '../types.js';
import { modemReconnectSignal, modemResetSignal, powerCycleSignal, selectedSignal } from '../signals.js';
import { hasLadder } from './ladder.js';
import { isHeld, type LinkState, type UplinkState } from './state.js';

export const EMPTY: readonly never[] = Object.freeze([]);

/**
 * The ladder's modem requests (`uplink.<id>.modemReconnect` / `modemReset`) are outputs only so the
 * driver sees them in the image: software requests, no relay. Relay-wear counters skip them (the
 * power-cycle relay is a relay and counts).
 */
export const isSoftwareRequest = (name: string): boolean => name.endsWith('.modemReconnect') || name.endsWith('.modemReset');

// Images are few (which uplink is selected × which relays pulse): share them instead of rebuilding.
// A module-level memo, pure and keyed weakly by the config.
const images = new WeakMap<UplinksConfig, Map<string, ReadonlyMap<SignalName, boolean>>>();

export function imageOf(cfg: UplinksConfig, s: UplinkState): ReadonlyMap<SignalName, boolean> {
  let key = s.active;
  for (const l of s.links) key += (l.pulseUntilMs !== null ? '1' : '0') + (l.stepKind === null ? '-' : l.stepKind[2]);
  let perCfg = images.get(cfg);
  if (!perCfg) images.set(cfg, (perCfg = new Map()));
  const hit = perCfg.get(key);
  if (hit) return hit;
  const image = new Map<SignalName, boolean>();
  cfg.links.forEach((link, i) => {
    image.set(selectedSignal(link.id), link.id === s.active);
    const l = s.links[i] as LinkState;
    if (link.powerCycle) image.set(powerCycleSignal(link.id), l.pulseUntilMs !== null);
    if (hasLadder(link)) {
      image.set(modemReconnectSignal(link.id), l.stepKind === 'reconnect');
      image.set(modemResetSignal(link.id), l.stepKind === 'reset');
    }
  });
  perCfg.set(key, image);
  return image;
}

export function alarmsOf(cfg: UplinksConfig, s: UplinkState, nowMs: number): ReadonlyMap<AlarmCode, string> {
  const alarms = new Map<AlarmCode, string>();
  const bad: string[] = [];
  cfg.links.forEach((link, i) => {
    const l = s.links[i] as LinkState;
    if (!l.up) bad.push(`${link.id} down (${l.reason})`);
    else if (isHeld(l, nowMs)) bad.push(`${link.id} held down (flapping)`);
  });
  if (bad.length > 0) alarms.set('UPLINK_DOWN', bad.join(', '));
  if (s.active === 'none') alarms.set('NO_UPLINK', 'no working uplink: the cabinet is offline');
  return alarms;
}

export interface CommandOutcome {
  readonly manual: string | null;
  /** True when the operator released a manual choice in this step (reason of the switch back). */
  readonly released: boolean;
  readonly verdicts: { accepted: boolean; reason?: string }[];
}

export function applyCommands(cfg: UplinksConfig, links: readonly LinkState[], manual: string | null, commands: readonly Command[]): CommandOutcome {
  let released = false;
  const verdicts = commands.map((c) => {
    if (c.name === 'releaseUplink') {
      released = manual !== null;
      manual = null;
      return { accepted: true };
    }
    if (c.name !== 'selectUplink') return { accepted: false, reason: `not an uplink command: ${c.name}` };
    const i = cfg.links.findIndex((l) => l.id === c.id);
    if (i < 0) return { accepted: false, reason: `unknown uplink "${c.id}" (one of ${cfg.links.map((l) => l.id).join(', ')})` };
    // Forcing traffic onto a dead uplink would cut the cabinet off; the operator sees why.
    if (!(links[i] as LinkState).up) return { accepted: false, reason: `uplink ${c.id} is down (${(links[i] as LinkState).reason})` };
    manual = c.id;
    released = false;
    return { accepted: true };
  });
  return { manual, released, verdicts };
}
