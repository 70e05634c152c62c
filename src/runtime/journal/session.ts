// The records around a controller's events, written the same way by `twinfeed run` and by
// `twinfeed sim --journal`: start, config (hash and the feed roles a report needs), every event
// (urgent for a transfer), stop. One place, so a simulated journal reads back like a real one.
import type { Config } from '../../config/schema.js';
import type { ControllerEvent } from '../../core/types.js';
import type { Journal } from './types.js';

/** A transfer beginning, ending or failing is fsynced at once, not with the next group commit. */
const URGENT = new Set<string>(['transfer.begin', 'transfer.end', 'transfer.fail']);

/** The feed roles and uplink ids, so a reader of the journal (a report) knows which feed's outages
 * are real outages and which uplinks there are, without the config file. */
export function configFacts(cfg: Config): { preferred: 'A' | 'B'; generator: 'A' | 'B' | null; uplinks: string[] } {
  const gen = cfg.power.feeds.A.role === 'generator' ? 'A' : cfg.power.feeds.B.role === 'generator' ? 'B' : null;
  return { preferred: cfg.power.preferred, generator: gen, uplinks: cfg.uplinks.enabled ? cfg.uplinks.links.map((l) => l.id) : [] };
}

/** `start` (urgent) then `config`: the first records of every run. */
export function journalStart(j: Journal, start: object, cfg: Config, hash: string, atMs: number): void {
  j.append('start', start, atMs, true);
  j.append('config', { hash, ...configFacts(cfg) }, atMs);
}

export function journalEvent(j: Journal, e: ControllerEvent, atMs: number): void {
  j.append(e.type, e, atMs, URGENT.has(e.type));
}

export function journalStop(j: Journal, fields: object, atMs: number): void {
  j.append('stop', fields, atMs, true);
}
