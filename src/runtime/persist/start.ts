// Persistent state for `twinfeed run`: under runtime.stateDir, read once before the first scan and
// kept up to date after it. Without a stateDir nothing is remembered, and a hardware board says so.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../config/schema.js';
import type { Journal } from '../journal/types.js';
import { createKeeper, reportStart, startingPoint, type Keeper, type StartingPoint } from './keeper.js';
import { createStateStore, STATE_FILE, type StateStore } from './store.js';

export interface Persistence {
  readonly keeper: Keeper;
  readonly store: StateStore;
  readonly file: string;
  readonly start: StartingPoint;
  /** Logs (and journals) what was restored or lost; call once the scan loop has restored it. */
  report(): void;
}

export async function startPersistence(cfg: Config, logger: Logger, hardware: boolean, journal: Journal | undefined): Promise<Persistence | undefined> {
  const stateDir = cfg.runtime.stateDir;
  if (stateDir === null) {
    if (hardware)
      logger.warn(
        'runtime.stateDir is not set: mode, lockout, acknowledgements, retransfer approval, anti-hunting history, relay counters, the generator failure latch and the uplink pin will be forgotten on every restart (deploy/ sets /var/lib/twinfeed)',
      );
    return undefined;
  }
  const log = logger.child({ subsystem: 'state' });
  const store = createStateStore({ dir: stateDir, logger: log });
  const start = startingPoint(await store.load());
  const keeper = createKeeper(cfg, store, start);
  const file = join(stateDir, STATE_FILE);
  return {
    keeper,
    store,
    file,
    start,
    report() {
      reportStart(start, file, keeper.restored, log);
      const at = Date.now();
      if (start.kind === 'unusable') journal?.append('state.lost', { file, problem: start.problem, keptAs: start.keptAs, startedAs: 'manual' }, at, true);
      else if (start.kind === 'restored') journal?.append('state.restored', { file, savedAt: start.savedAt, restored: keeper.restored }, at);
    },
  };
}
