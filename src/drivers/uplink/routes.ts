// Route switching: the selected uplink's default route gets the low metric, the others a high one
// (make before break), then the flows of the uplink left behind are deleted from conntrack so NATed
// flows re-establish on the new uplink; every other flow (SCADA from the LAN, the new uplink's) stays.
// Every action is logged; a failure becomes a fault (an alarm upstream) and is retried, never thrown.
import type { UplinkConfig, UplinksConfig } from '../../config/uplinks.js';
import { describeFailure, type Exec, type ExecOutcome } from './exec.js';

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

/** `conntrack -D` exits 1 when no flow matched ("0 flow entries have been deleted"): nothing to do is fine. */
const noFlows = (o: ExecOutcome): boolean => o.code === 1 && /\b0 flow entries/.test(o.stderr + o.stdout);

/** The addresses in `ip -o addr show dev IF` (inet and inet6, without prefix length; no link-local). */
export function parseAddresses(out: string): string[] {
  const addrs: string[] = [];
  for (const m of out.matchAll(/\binet6? ([0-9a-fA-F.:]+)\/\d+/g)) {
    const a = m[1] as string;
    if (!/^fe80:/i.test(a)) addrs.push(a);
  }
  return addrs;
}

export function createRouteSwitcher(cfg: UplinksConfig, exec: Exec, log: UplinkLogger): RouteSwitcher {
  const r = cfg.routes;
  const faults = new Map<string, string>();
  let applied: string | undefined;
  let wanted: string | undefined;
  let retryAtMs = 0;
  let running: Promise<void> = Promise.resolve();
  let busy = false;

  const run = async (key: string, cmd: string, args: string[], mayFail = false, fine?: (o: ExecOutcome) => boolean): Promise<boolean> => {
    const o = await exec(cmd, args, CMD_TIMEOUT_MS);
    if (o.code === 0 || mayFail || fine?.(o)) {
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
    // Routes first (traffic moves at once), then every uplink's addresses are noted while they are
    // there: a switch deletes the flows of the uplink left behind by them, even once it has lost them.
    if (r.flushConntrack) for (const l of cfg.links) await addressesOf(l);
    if (r.flushConntrack && applied !== undefined && applied !== selected) {
      const left = cfg.links.find((l) => l.id === applied);
      if (left && (await flushFlowsOf(left, known.get(left.id) ?? []))) faults.delete('conntrack');
    }
    return ok;
  };

  // Last addresses seen per uplink: an interface that went down may have lost its address by the switch.
  const known = new Map<string, readonly string[]>();
  const addressesOf = async (l: UplinkConfig): Promise<void> => {
    if (l.source) return void known.set(l.id, [l.source]);
    if (!l.interface) return;
    const o = await exec('ip', ['-o', 'addr', 'show', 'dev', l.interface], CMD_TIMEOUT_MS);
    const now = o.code === 0 ? parseAddresses(o.stdout) : [];
    if (now.length > 0) known.set(l.id, now);
  };

  /**
   * Deletes the flows that went out through `l`: those it originated (original source = its address)
   * and those NATed onto it (replies come back to its address). Without any address known for it, all.
   */
  const flushFlowsOf = async (l: UplinkConfig, addrs: readonly string[]): Promise<boolean> => {
    if (addrs.length === 0) {
      log.warn({ uplink: l.id }, `uplink: no address known for ${l.id}; flushing every conntrack flow`);
      return run('conntrack', 'conntrack', ['-F']);
    }
    let ok = true;
    for (const a of addrs) {
      const family = a.includes(':') ? ['-f', 'ipv6'] : [];
      for (const dir of ['--orig-src', '--reply-dst']) ok = (await run('conntrack', 'conntrack', ['-D', ...family, dir, a], false, noFlows)) && ok;
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
