// Route switching: the selected uplink's default route gets the low metric, the others a high one
// (make before break), then conntrack is flushed so NATed flows re-establish on the new uplink.
// Every action is logged; a failure becomes a fault (an alarm upstream) and is retried, never thrown.
import type { UplinksConfig } from '../../config/uplinks.js';
import { describeFailure, type Exec } from './exec.js';

export interface UplinkLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RouteSwitcher {
  /** Wants `selected` (an uplink id or 'none') in effect; returns at once, the work runs in the background. */
  want(selected: string, nowMs: number): void;
  /** Current faults: key → message (empty when every action succeeded). */
  faults(): ReadonlyMap<string, string>;
  /** Resolves when no action is running (tests, shutdown). */
  idle(): Promise<void>;
}

const CMD_TIMEOUT_MS = 3000;

export function createRouteSwitcher(cfg: UplinksConfig, exec: Exec, log: UplinkLogger): RouteSwitcher {
  const r = cfg.routes;
  const faults = new Map<string, string>();
  let applied: string | undefined;
  let wanted: string | undefined;
  let retryAtMs = 0;
  let running: Promise<void> = Promise.resolve();
  let busy = false;

  const run = async (key: string, cmd: string, args: string[], mayFail = false): Promise<boolean> => {
    const o = await exec(cmd, args, CMD_TIMEOUT_MS);
    if (o.code === 0 || mayFail) {
      log.info({ cmd, args, code: o.code }, `uplink: ${cmd} ${args.join(' ')}`);
      return true;
    }
    const msg = describeFailure(cmd, args, o);
    faults.set(key, msg);
    log.error({ cmd, args, code: o.code, error: o.error, stderr: o.stderr.trim() }, `uplink action failed: ${msg}`);
    return false;
  };

  const metricOf = (i: number, selected: string, id: string) => (id === selected ? r.metricSelected : r.metricStandby + i);

  const apply = async (selected: string): Promise<boolean> => {
    let ok = true;
    // The selected uplink first: its low-metric route is in place before the others lose theirs.
    const order = cfg.links.map((l, i) => ({ l, i })).sort((a, b) => Number(b.l.id === selected) - Number(a.l.id === selected));
    for (const { l, i } of order) {
      if (!l.interface || !l.gateway) continue;
      const key = `route.${l.id}`;
      const metric = metricOf(i, selected, l.id);
      const stale = metric === r.metricSelected ? r.metricStandby + i : r.metricSelected;
      const base = ['default', 'via', l.gateway, 'dev', l.interface];
      const added = await run(key, 'ip', ['route', 'replace', ...base, 'metric', String(metric)]);
      // Deleting a route that is not there fails harmlessly ("No such process").
      if (added) {
        await run(key, 'ip', ['route', 'del', ...base, 'metric', String(stale)], true);
        faults.delete(key);
      }
      ok &&= added;
    }
    if (r.flushConntrack && applied !== undefined && applied !== selected) {
      const flushed = await run('conntrack', 'conntrack', ['-F'], false);
      if (flushed) faults.delete('conntrack');
    }
    return ok;
  };

  const routeFault = () => [...faults.keys()].some((k) => k.startsWith('route.'));
  const pump = (nowMs: number) => {
    if (busy || wanted === undefined || wanted === 'none') return;
    // A failed route action is retried after retryMs; a failed conntrack flush waits for the next switch.
    if (wanted === applied && (!routeFault() || nowMs < retryAtMs)) return;
    const target = wanted;
    busy = true;
    running = apply(target).then((ok) => {
      busy = false;
      if (!ok) retryAtMs = nowMs + r.retryMs;
      applied = target;
    });
  };

  const hasRoutes = cfg.links.some((l) => l.interface && l.gateway);
  if (!hasRoutes) log.warn({}, 'uplink: no uplink has interface and gateway configured; routes are left alone');

  return {
    want(selected, nowMs) {
      if (!hasRoutes) return;
      // 'none' leaves the routes as they are: with no working uplink there is nothing better to point at.
      wanted = selected;
      pump(nowMs);
    },
    faults: () => faults,
    idle: () => running,
  };
}
