// The real uplink driver: carrier of each uplink's interface, probe rounds bound to each uplink, and
// route switching when the selected uplink changes. Implements the InputPort/OutputPort shapes.
import type { UplinksConfig } from '../../config/uplinks.js';
import type { ProbeResult, Reading, SignalName } from '../../core/types.js';
import { sysfsCarrier, type CarrierReader, type LinkSense } from './carrier.js';
import { spawnExec, type Exec } from './exec.js';
import { createProber } from './prober.js';
import { runProbe, type ProbeOutcome } from './probes.js';
import { createRouteSwitcher, type UplinkLogger } from './routes.js';
import { parseTarget } from './targets.js';

export type { UplinkLogger } from './routes.js';

export interface UplinkDriverOptions {
  readonly cfg: UplinksConfig;
  readonly logger: UplinkLogger;
  /** Runs ping, ip, conntrack (default: spawn without a shell). */
  readonly exec?: Exec;
  /** Reads carrier/operstate (default: sysfs). */
  readonly carrier?: CarrierReader;
  /** Monotonic ms for probe round-trip times (default: performance.now). */
  readonly clock?: () => number;
}

export interface UplinkDriver {
  /** `uplink.<id>.carrier` for uplinks with an interface, and `uplink.routeFault`. Never blocks. */
  read(nowMs: number): ReadonlyMap<SignalName, Reading>;
  takeProbes(nowMs: number): readonly ProbeResult[];
  /** Acts on `uplink.<id>.selected` changes (routes, conntrack); relay outputs are the board's. */
  write(image: ReadonlyMap<SignalName, boolean>, nowMs: number): void;
  /** Route/conntrack faults: key → message. */
  faults(): ReadonlyMap<string, string>;
  close(): Promise<void>;
}

export function createUplinkDriver(o: UplinkDriverOptions): UplinkDriver {
  const { cfg, logger } = o;
  const exec = o.exec ?? spawnExec;
  const readCarrier = o.carrier ?? sysfsCarrier();
  const clock = o.clock ?? (() => performance.now());
  const specs = cfg.links.map((l) => l.targets.map(parseTarget));
  specs.forEach((ts, i) =>
    ts.forEach((s, j) => {
      if (typeof s === 'string') logger.error({ uplink: cfg.links[i]?.id, target: cfg.links[i]?.targets[j] }, `uplink probe target unusable: ${s}`);
    }),
  );

  const prober = createProber(cfg, (i, target): Promise<ProbeOutcome> => {
    const link = cfg.links[i];
    const spec = specs[i]?.[link?.targets.indexOf(target) ?? -1];
    if (!link || spec === undefined || typeof spec === 'string') return Promise.resolve({ ok: false, rttMs: undefined, why: 'bad target' });
    const p = cfg.probe;
    return runProbe(spec, exec, { timeoutMs: p.timeoutMs, attempts: p.attempts, attemptSpacingMs: p.attemptSpacingMs, iface: link.interface, source: link.source }, clock);
  });
  const routes = createRouteSwitcher(cfg, exec, logger);

  // Carrier is polled in the background, one poll per interface at a time; read() returns the last value.
  const sensed = new Map<string, { sense: LinkSense; atMs: number }>();
  const polling = new Set<string>();
  const poll = (iface: string) => {
    if (polling.has(iface)) return;
    polling.add(iface);
    readCarrier(iface)
      .then((sense) => {
        const prev = sensed.get(iface);
        if (prev && prev.sense.carrier !== sense.carrier) {
          logger.info({ iface, ...sense }, `uplink: ${iface} carrier ${sense.carrier ? 'up' : 'down'}`);
          cfg.links.forEach((l, i) => l.interface === iface && prober.carrierChanged(i));
        }
        sensed.set(iface, { sense, atMs: clock() });
      })
      .catch((e: unknown) => logger.warn({ iface, err: String(e) }, 'uplink: carrier read failed'))
      .finally(() => polling.delete(iface));
  };

  let lastSelected: string | undefined;
  return {
    read() {
      const out = new Map<SignalName, Reading>();
      for (const l of cfg.links) {
        if (!l.interface) continue;
        poll(l.interface);
        const s = sensed.get(l.interface);
        out.set(`uplink.${l.id}.carrier`, s ? { value: s.sense.carrier, ageMs: Math.max(0, Math.round(clock() - s.atMs)) } : { value: undefined, reason: 'absent' });
      }
      out.set('uplink.routeFault', { value: routes.faults().size > 0, ageMs: 0 });
      return out;
    },
    takeProbes: (nowMs) => prober.takeProbes(nowMs),
    write(image, nowMs) {
      const on = cfg.links.find((l) => image.get(`uplink.${l.id}.selected`) === true);
      const selected = on?.id ?? 'none';
      if (selected !== lastSelected) logger.info({ selected, from: lastSelected ?? null }, `uplink: selected ${selected}`);
      lastSelected = selected;
      prober.select(on ? cfg.links.indexOf(on) : -1);
      routes.want(selected, nowMs);
    },
    faults: () => routes.faults(),
    async close() {
      await routes.idle();
    },
  };
}
