// The fleet's incidents: for each cabinet a stream of plant faults (utility outage, generator that
// will not start, PSU failure, uplink loss, UPS fault) drawn from a seeded PRNG, so a run is reproducible.
// Pure: times are simulated milliseconds from the fleet's start; nothing here touches a clock.
import type { Config } from '../../config/schema.js';
import { mulberry32, subSeed, type Rng } from '../../../sim/prng.js';

export interface Incident {
  readonly name: string;
  /** Simulated time from the fleet's start when the fault begins. */
  readonly atMs: number;
  /** How long the fault lasts; then every knob it set goes back to healthy. */
  readonly durationMs: number;
  readonly knobs: Readonly<Record<string, unknown>>;
  readonly restore: Readonly<Record<string, unknown>>;
}

interface Kind {
  readonly name: string;
  readonly knobs: Record<string, unknown>;
  readonly restore: Record<string, unknown>;
}

/** The faults a fleet cabinet can suffer with this config (uplink ones only when it has uplinks). */
export function incidentKinds(cfg: Config): Kind[] {
  const f = cfg.power.feeds;
  const utility = f.A.role === 'utility' ? 'A' : 'B';
  const outage = { [`feed.${utility}.voltage`]: 0 };
  const back = { [`feed.${utility}.voltage`]: f[utility].nominalVoltageV };
  const kinds: Kind[] = [
    { name: 'utility outage', knobs: outage, restore: back },
    { name: 'generator fails to start', knobs: { ...outage, 'generator.failToStart': true }, restore: { ...back, 'generator.failToStart': false } },
    { name: 'UPS fault', knobs: { 'ups.fault': true }, restore: { 'ups.fault': false } },
  ];
  const psu = cfg.psu.ids[0];
  if (psu !== undefined) kinds.push({ name: `PSU ${psu} failure`, knobs: { [`psu.${psu}.ok`]: false }, restore: { [`psu.${psu}.ok`]: true } });
  if (cfg.uplinks.enabled)
    for (const l of cfg.uplinks.links)
      kinds.push({ name: `uplink ${l.id} loss`, knobs: { [`uplink.${l.id}.carrier`]: false }, restore: { [`uplink.${l.id}.carrier`]: true } });
  return kinds;
}

export interface IncidentStream {
  /** The next incident (each one starts after the previous one has ended). */
  next(): Incident;
}

/** Faults last 1 to 15 simulated minutes: long enough for a generator to start and carry the load. */
const MIN_FAULT_MS = 60_000;
const MAX_FAULT_MS = 15 * 60_000;

/**
 * Cabinet `index`'s incidents for a fleet seed: gaps exponential with mean `meanGapMs` (a Poisson
 * process), the kind and length uniform. Each cabinet has its own sub-stream, so adding cabinets
 * never changes the incidents of the first ones.
 */
export function incidentStream(cfg: Config, seed: number, index: number, meanGapMs: number): IncidentStream {
  const rng: Rng = mulberry32(subSeed(seed, `cabinet-${index}`));
  const kinds = incidentKinds(cfg);
  let freeAtMs = 0;
  return {
    next() {
      const gapMs = Math.round(-Math.log(1 - rng()) * meanGapMs);
      const kind = kinds[Math.floor(rng() * kinds.length)] as Kind;
      const durationMs = Math.round(MIN_FAULT_MS + rng() * (MAX_FAULT_MS - MIN_FAULT_MS));
      const atMs = freeAtMs + gapMs;
      freeAtMs = atMs + durationMs;
      return { name: kind.name, atMs, durationMs, knobs: kind.knobs, restore: kind.restore };
    },
  };
}
