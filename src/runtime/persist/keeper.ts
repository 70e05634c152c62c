// Between the scan loop and the state file: at start, what was remembered (or the safe defaults
// when the file is unusable); after each scan, the remembered part offered to the store when it
// changed. The check per scan compares a few references, so an unchanged scan costs nothing.
import type { Config } from '../../config/schema.js';
import { remembered, restore, type Remembered } from '../../core/memory.js';
import type { ControllerState } from '../../core/state.js';
import { rememberedSchema } from './schema.js';
import type { Loaded, StateStore, StoreLogger } from './store.js';

/**
 * What a controller starts with when its state file exists but cannot be used (corrupted, truncated,
 * unreadable, from a newer twinfeed): mode manual, so nothing transfers under the hands of a
 * technician who may have set it for maintenance — and manual mode still reverts to auto when the
 * load's feed is dead for power.manualRevertMs (UL 1008), so an outage is still handled. Nothing else
 * is invented: no lockout, no acknowledgements (alarms are announced again), no approval.
 */
export const SAFE_DEFAULTS: Remembered = {
  mode: 'manual',
  lockout: null,
  ackedAlarms: [],
  retransferApproved: false,
  transferTimesMs: [],
  transferCount: 0,
  lastTransferReason: 'none',
  relayOperations: {},
  generatorFailed: false,
  generatorCooldownUntilMs: null,
  uplink: { manual: null, links: {} },
};

const LOST =
  'mode, lockout, acknowledgements, retransfer approval, anti-hunting history, counters, the generator failure latch, the uplink pin and hold-down history';

export type StartingPoint =
  | { readonly kind: 'restored'; readonly remembered: Remembered; readonly savedAt: string }
  | { readonly kind: 'fresh' }
  | { readonly kind: 'unusable'; readonly remembered: Remembered; readonly problem: string; readonly keptAs: string | null };

/** Turns what the store found into where the controller starts; an invalid content is unusable too. */
export function startingPoint(loaded: Loaded): StartingPoint {
  if (loaded.kind === 'missing') return { kind: 'fresh' };
  if (loaded.kind === 'unusable') return { kind: 'unusable', remembered: SAFE_DEFAULTS, problem: loaded.problem, keptAs: loaded.keptAs };
  const parsed = rememberedSchema.safeParse(loaded.state);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return {
      kind: 'unusable',
      remembered: SAFE_DEFAULTS,
      problem: `its content is invalid (${first ? `${first.path.join('.')}: ${first.message}` : 'unknown'})`,
      keptAs: null,
    };
  }
  return { kind: 'restored', remembered: parsed.data, savedAt: loaded.savedAt };
}

/** Logs where the controller starts, naming the file and what was restored or lost. */
export function reportStart(sp: StartingPoint, file: string, restored: readonly string[], log: StoreLogger): void {
  if (sp.kind === 'fresh') log.info({ file }, 'no state file yet: starting with defaults (mode auto)');
  else if (sp.kind === 'restored')
    log.info({ file, savedAt: sp.savedAt, restored }, `state restored: ${restored.length > 0 ? restored.join('; ') : 'nothing set'}`);
  else {
    const kept = sp.keptAs ? ` (kept as ${sp.keptAs})` : '';
    log.warn(
      { file, problem: sp.problem, keptAs: sp.keptAs },
      `state file ${file} is unusable: ${sp.problem}${kept}. Lost: ${LOST}. Starting in mode manual (safe default; manual reverts to auto if the load's feed dies)`,
    );
  }
}

export interface Keeper {
  /** Puts the starting point into a fresh state (the scan loop's `restore`). */
  restore(fresh: ControllerState, nowMs: number): ControllerState;
  /** After each scan: offers the remembered part to the store when it changed. */
  observe(s: ControllerState): void;
  /** What the last restore put back, in words. */
  readonly restored: readonly string[];
}

export function createKeeper(cfg: Config, store: StateStore, sp: StartingPoint): Keeper {
  let restoredWords: string[] = [];
  let last: ControllerState | null = null;
  let lastJson = '';
  const same = (a: ControllerState, b: ControllerState) =>
    a.power.mode === b.power.mode &&
    a.power.transfer === b.power.transfer &&
    a.power.approved === b.power.approved &&
    a.power.transferTimesMs === b.power.transferTimesMs &&
    a.power.transferCount === b.power.transferCount &&
    a.power.generator === b.power.generator &&
    a.alarms === b.alarms &&
    a.relayOperations === b.relayOperations &&
    a.uplink.manual === b.uplink.manual &&
    a.uplink.links === b.uplink.links;
  return {
    restore(fresh, nowMs) {
      if (sp.kind === 'fresh') return fresh;
      const r = restore(cfg, fresh, sp.remembered, nowMs);
      restoredWords = r.restored;
      return r.state;
    },
    observe(s) {
      if (last !== null && same(last, s)) return;
      last = s;
      const r = remembered(cfg, s);
      const json = JSON.stringify(r);
      if (json === lastJson) return;
      // The first state seen is what was restored (or the defaults): written once, so the file exists.
      lastJson = json;
      store.save(r);
    },
    get restored() {
      return restoredWords;
    },
  };
}
