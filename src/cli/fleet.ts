// `twinfeed fleet`: N simulated cabinets in one process, each its own plant, controller and Sparkplug
// edge node, with seeded incidents; runs until SIGINT/SIGTERM or --duration of simulated time, and
// then every node publishes its NDEATH. Usage errors exit 2, a bad config 78.
import { ConfigInvalid } from '../config/errors.js';
import { EX_CONFIG, EX_OK } from '../config/exit-codes.js';
import { formatDuration, parseDuration } from '../config/duration.js';
import type { Config } from '../config/schema.js';

export interface FleetArgs {
  readonly cabinets: number;
  readonly broker: string;
  readonly speed: number;
  readonly seed: number;
  readonly groupId: string;
  /** Simulated time to run; undefined: until a signal. */
  readonly durationMs: number | undefined;
  readonly meanIncidentGapMs: number;
  readonly config: string | undefined;
}

export interface RawFleetArgs {
  readonly cabinets?: string | undefined;
  readonly broker?: string | undefined;
  readonly speed?: string | undefined;
  readonly seed?: string | undefined;
  readonly group?: string | undefined;
  readonly duration?: string | undefined;
  readonly 'incident-every'?: string | undefined;
  readonly config?: string | undefined;
}

export const MAX_CABINETS = 10_000;
export const MAX_SPEED = 1000;
const BROKER_URL = /^mqtts?:\/\/[^/\s]+$/;
const SPARKPLUG_ID = /^[^/+#\s]+$/;

/** The checked arguments, or the problem with them (said so that the user can fix it). */
export function parseFleetArgs(v: RawFleetArgs): FleetArgs | string {
  if (v.cabinets === undefined) return 'fleet needs --cabinets N';
  if (!/^\d+$/.test(v.cabinets) || Number(v.cabinets) < 1 || Number(v.cabinets) > MAX_CABINETS)
    return `--cabinets takes a whole number 1..${MAX_CABINETS}, got "${v.cabinets}"`;
  if (v.broker === undefined) return 'fleet needs --broker URL (e.g. mqtt://127.0.0.1:1883)';
  if (!BROKER_URL.test(v.broker)) return `--broker is mqtt://HOST:PORT or mqtts://HOST:PORT, got "${v.broker}"`;
  const speed = v.speed === undefined ? 1 : Number(v.speed);
  if (v.speed !== undefined && (!/^\d+(\.\d+)?$/.test(v.speed) || speed <= 0 || speed > MAX_SPEED))
    return `--speed takes a number above 0 and at most ${MAX_SPEED} (times real time), got "${v.speed}"`;
  if (v.seed !== undefined && !/^-?\d+$/.test(v.seed)) return `--seed takes a whole number, got "${v.seed}"`;
  const groupId = v.group ?? 'twinfeed-fleet';
  if (!SPARKPLUG_ID.test(groupId)) return `--group is a Sparkplug group id (no "/", "+", "#" or spaces), got "${groupId}"`;
  const durationMs = v.duration === undefined ? undefined : parseDuration(v.duration);
  if (durationMs === 0 || (v.duration !== undefined && durationMs === undefined))
    return `--duration takes a simulated time such as "90s", "2h", "1d", got "${v.duration}"`;
  const gap = v['incident-every'] === undefined ? 3_600_000 : parseDuration(v['incident-every']);
  if (gap === undefined || gap === 0) return `--incident-every takes a simulated time such as "30m", got "${v['incident-every']}"`;
  return {
    cabinets: Number(v.cabinets),
    broker: v.broker,
    speed,
    seed: v.seed === undefined ? 1 : Number(v.seed),
    groupId,
    durationMs,
    meanIncidentGapMs: gap,
    config: v.config,
  };
}

type Out = { out: (line: string) => void; err: (line: string) => void };

/** Simulated time since the start as +HH:MM:SS (the same for every run with the same seed). */
const offset = (ms: number) => {
  const s = Math.round(ms / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `+${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
};

export async function runFleet(a: FleetArgs, io: Out): Promise<number> {
  const { configHash, loadConfig } = await import('../config/load.js');
  const { pino } = await import('pino');
  let config: Config;
  try {
    // Each cabinet serves nothing (no HTTP, no SCADA: there is nothing to serve N of) and keeps no state on disk.
    const overlay = { http: { enabled: false }, scada: { enabled: false }, sparkplug: { broker: a.broker, groupId: a.groupId, edgeNodeId: 'fleet' } };
    config = loadConfig(a.config, overlay).config;
  } catch (e) {
    if (!(e instanceof ConfigInvalid)) throw e;
    io.err(e.message);
    return EX_CONFIG;
  }
  const logger = pino({ base: { app: 'twinfeed-fleet' }, level: 'warn' });
  let stopped: (why: string) => void = () => undefined;
  const stop = new Promise<string>((r) => (stopped = r));
  process.once('SIGINT', () => stopped('SIGINT'));
  process.once('SIGTERM', () => stopped('SIGTERM'));
  const { startFleet } = await import('../runtime/fleet/fleet.js');
  const fleet = await startFleet({
    config,
    configHash: configHash(config),
    cabinets: a.cabinets,
    speed: a.speed,
    seed: a.seed,
    meanIncidentGapMs: a.meanIncidentGapMs,
    logger,
    onIncident: (id, i) => io.out(`${offset(i.atMs)}  ${id}  ${i.name} for ${formatDuration(Math.round(i.durationMs / 1000) * 1000)}`),
  });
  io.out(
    `twinfeed fleet: ${a.cabinets} cabinets as edge nodes spBv1.0/${a.groupId}/+/${fleet.cabinets[0]?.edgeNodeId ?? ''}.. on ${a.broker}, speed ${a.speed}, seed ${a.seed}, origin ${fleet.originMs} — Ctrl-C stops`,
  );
  let timer: NodeJS.Timeout | undefined;
  // Simulated time counts from the fleet's origin, so the start-up of the cabinets is part of the run.
  if (a.durationMs !== undefined) timer = setTimeout(() => stopped('duration'), Math.max(0, fleet.originMs + a.durationMs - fleet.now()) / a.speed);
  const why = await stop;
  if (timer) clearTimeout(timer);
  await fleet.stop();
  io.out(`twinfeed fleet: stopped (${why}); ${fleet.cabinets.length} edge nodes stopped (NDEATH from each one that was connected)`);
  return EX_OK;
}
