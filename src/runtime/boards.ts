// Board files at run time: the simulated cabinet or a hardware board (drivers loaded lazily), and the
// cross-check that a board provides every signal the config needs.
import type { Logger } from 'pino';
import { ConfigInvalid, type ConfigError } from '../config/errors.js';
import { readYamlFile } from '../config/yaml.js';
import type { Config } from '../config/schema.js';
import {
  ALARM_COMMON,
  closeCmdSignal,
  closedFbSignal,
  feedSignal,
  GEN_CONTROL_MODE,
  GENSET_ENGINE,
  GENSET_METERS,
  gensetSignal,
  GENERATOR_START,
  LOAD_LIVE,
  powerCycleSignal,
  psuOkSignal,
  selectedSignal,
  UPS_FIELDS,
  upsSignal,
  type SignalName,
} from '../core/signals.js';
import type { Board } from '../io/ports.js';
import { isSimBoard, loadBoardFile } from '../drivers/board.js';
import { createSimBoard, type SimBoard } from './simboard.js';
import { withUplinkDriver } from './uplinkboard.js';

/** Signals without which the transfer switch cannot be run safely. */
export function requiredSignals(cfg: Config): SignalName[] {
  const out: SignalName[] = [closedFbSignal('A'), closedFbSignal('B'), closeCmdSignal('A'), closeCmdSignal('B')];
  for (const f of ['A', 'B'] as const) {
    out.push(...(cfg.power.feeds[f].sense === 'digital' ? [feedSignal(f, 'available')] : [feedSignal(f, 'voltage'), feedSignal(f, 'frequency')]));
  }
  if (cfg.power.feeds.A.role === 'generator' || cfg.power.feeds.B.role === 'generator') out.push(GENERATOR_START);
  return out;
}

/** Every signal the config can use (the drivers open only these). */
export function signalsNeeded(cfg: Config): SignalName[] {
  const out: SignalName[] = [...requiredSignals(cfg), ALARM_COMMON, LOAD_LIVE];
  if (cfg.ups.enabled) out.push(...UPS_FIELDS.map(upsSignal));
  for (const id of cfg.psu.ids) out.push(psuOkSignal(id));
  for (const l of cfg.uplinks.links) out.push(powerCycleSignal(l.id), selectedSignal(l.id));
  return out;
}

/** Signals read only where the board maps them (a genset controller): unmapped, nothing changes and nothing warns. */
const OPTIONAL_SIGNALS: readonly SignalName[] = [GEN_CONTROL_MODE, ...GENSET_METERS.map(gensetSignal), ...GENSET_ENGINE.map(gensetSignal)];

const mappedSignals = (path: string): Set<string> => new Set(Object.keys((readYamlFile(path) as { signals?: Record<string, unknown> }).signals ?? {}));

export async function checkBoardFile(path: string, config: Config): Promise<void> {
  const file = loadBoardFile(path);
  if (isSimBoard(file)) return;
  const mapped = mappedSignals(path);
  // Modem power-cycling configured for an uplink needs its relay on the board.
  const wanted = [...requiredSignals(config), ...config.uplinks.links.filter((l) => l.powerCycle).map((l) => powerCycleSignal(l.id))];
  const errors: ConfigError[] = wanted
    .filter((s) => !mapped.has(s))
    .map((s) => ({
      path: `signals.${s}`,
      problem: 'not mapped, but the config needs it',
      hint: s.startsWith('feed.')
        ? 'map it, or change power.feeds.*.sense in the config'
        : s.endsWith('.powerCycle')
          ? 'map the relay, or remove powerCycle from the uplink in the config'
          : 'map it to a pin or register',
    }));
  if (errors.length) throw new ConfigInvalid(errors, path);
}

/** Opens the board a `--board` file names; throws ConfigInvalid for a bad file. */
export async function openBoard(path: string, cfg: Config, logger: Logger, nowMs: number): Promise<Board | SimBoard> {
  const file = loadBoardFile(path);
  if (isSimBoard(file)) {
    // A bench cabinet or a laptop: simulated power plant, real uplinks where they name an interface.
    const sim = createSimBoard(cfg, nowMs);
    return { ...(await withUplinkDriver(sim, cfg, logger, true)), cabinet: sim.cabinet, setKnobs: sim.setKnobs };
  }
  await checkBoardFile(path, cfg);
  const { openHardwareBoard } = await import('../drivers/index.js');
  const mapped = mappedSignals(path);
  const optional = OPTIONAL_SIGNALS.filter((s) => mapped.has(s));
  const board = await openHardwareBoard(path, { logger, signalsNeeded: [...signalsNeeded(cfg), ...optional] });
  return withUplinkDriver(board, cfg, logger);
}
