// The real uplink driver: carrier of each uplink's interface, probe rounds bound to each uplink, and
// route switching when the selected uplink changes. Implements the InputPort/OutputPort shapes.
import type { UplinksConfig } from '../../config/uplinks.js';
import { carrierSignal, ROUTE_FAULT_SIGNAL, selectedSignal, uplinkMeasureSignal } from '../../core/signals.js';
import { UPLINK_MEASURES } from '../../core/uplink/radio.js';
import type { ProbeResult, Reading, SignalName } from '../../core/types.js';
import { readFile } from 'node:fs/promises';
import { createCounters } from './counters.js';
import { sysfsCarrier, type CarrierReader, type LinkSense, type ReadText } from './carrier.js';
import { spawnExec, type Exec } from './exec.js';
import { createModemReader } from './modem.js';
import { createModemRecovery } from './recovery.js';
import { ipMonitor, type LinkMonitor } from './monitor.js';
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
  /** Reads carrier/operstate (default: sysfs), polled every scan: the fallback for the monitor. */
  readonly carrier?: CarrierReader;
  /** Link change events (default: `ip -o monitor link`); false: polling only. */
  readonly monitor?: LinkMonitor | false;
  /** Reads a text file (default: fs), for the interface byte counters in /sys/class/net/IF/statistics. */
  readonly readText?: ReadText;
  /** Monotonic ms for probe round-trip times (default: performance.now). */
  readonly clock?: () => number;
}

export interface UplinkDriver {
  /** `uplink.<id>.carrier` for uplinks with an interface, and `uplink.routeFault`. Never blocks. */
  read(nowMs: number): ReadonlyMap<SignalName, Reading>;
  takeProbes(nowMs: number): readonly ProbeResult[];
  /**
   * Acts on `uplink.<id>.selected` changes (routes, conntrack) and on the modem recovery requests
   * (`uplink.<id>.modemReconnect` / `modemReset`, through mmcli); relay outputs are the board's.
   */
  write(image: ReadonlyMap<SignalName, boolean>, nowMs: number): void;
  /** Route/conntrack faults: key → message. */
  faults(): ReadonlyMap<string, string>;
  /**
   * For metrics: `uplink.<id>.rxBytes` / `txBytes` (what each uplink's interface carried, kernel
   * counters) and, for an uplink with a `modem`, its signal (`signalQualityPct`, `rsrpDbm` …).
   */
  stats(): Readonly<Record<string, number>>;
  /** For status and metrics: the strings the core does not carry, `uplink.<id>.operatorName` (the modem's operator). */
  texts(): Readonly<Record<string, string>>;
  /** Called when a carrier changes between scans (a kernel event), so the runtime can scan at once. */
  onInputChange(listener: () => void): () => void;
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
    return runProbe(
      spec,
      exec,
      { timeoutMs: p.timeoutMs, attempts: p.attempts, attemptSpacingMs: p.attemptSpacingMs, iface: link.interface, source: link.source },
      clock,
    );
  });
  const routes = createRouteSwitcher(cfg, exec, logger);

  // Carrier comes from kernel events where the monitor runs, and is polled in the background as the
  // fallback, one poll per interface at a time; read() returns the newest value.
  const sensed = new Map<string, { sense: LinkSense; atMs: number }>();
  const listeners = new Set<() => void>();
  const sense = (iface: string, s: LinkSense, how: 'event' | 'poll') => {
    const prev = sensed.get(iface);
    sensed.set(iface, { sense: s, atMs: clock() });
    if (!prev || prev.sense.carrier === s.carrier) return;
    logger.info({ iface, ...s, how }, `uplink: ${iface} carrier ${s.carrier ? 'up' : 'down'} (${how})`);
    cfg.links.forEach((l, i) => l.interface === iface && prober.carrierChanged(i));
    if (how === 'event') for (const f of listeners) f();
  };
  const ifaces = new Set(cfg.links.flatMap((l) => (l.interface ? [l.interface] : [])));
  // A poll that started before an event would report the older state: the event wins.
  const eventAtMs = new Map<string, number>();
  const stopMonitor =
    o.monitor === false || ifaces.size === 0
      ? undefined
      : (o.monitor ?? ipMonitor())(
          (iface, s) => {
            if (!ifaces.has(iface)) return;
            eventAtMs.set(iface, clock());
            sense(iface, s, 'event');
          },
          (running, why) =>
            running
              ? logger.info({}, 'uplink: carrier from kernel events (ip monitor link)')
              : logger.warn({ why }, 'uplink: link monitor stopped; carrier polled only'),
        );
  const polling = new Set<string>();
  const poll = (iface: string) => {
    if (polling.has(iface)) return;
    polling.add(iface);
    const startedMs = clock();
    readCarrier(iface)
      .then((s) => {
        if ((eventAtMs.get(iface) ?? -Infinity) < startedMs) sense(iface, s, 'poll');
      })
      .catch((e: unknown) => logger.warn({ iface, err: String(e) }, 'uplink: carrier read failed'))
      .finally(() => polling.delete(iface));
  };

  const counters = createCounters(cfg, o.readText ?? ((p: string) => readFile(p, 'utf8')), clock);
  const modems = createModemReader(cfg, exec, logger, clock);
  const recovery = createModemRecovery(cfg, exec, logger, (modem) => modems.forget(modem));

  // The byte counters and modem radio as inputs, so that status and SCADA show them (absent until read).
  const measureNames = cfg.links.map((l) => UPLINK_MEASURES.map((m) => uplinkMeasureSignal(l.id, m)));
  const measures = (out: Map<SignalName, Reading>) => {
    const ages = [counters.doneAtMs(), modems.doneAtMs()].map((t) => Math.max(0, Math.round(clock() - t)));
    for (const names of measureNames) {
      for (const n of names) {
        const fromCounters = counters.values[n];
        const v = fromCounters ?? modems.values[n];
        if (v !== undefined) out.set(n, { value: v, ageMs: (fromCounters !== undefined ? ages[0] : ages[1]) ?? 0 });
      }
    }
  };

  let lastSelected: string | undefined;
  return {
    read() {
      const out = new Map<SignalName, Reading>();
      for (const l of cfg.links) {
        if (!l.interface) continue;
        poll(l.interface);
        const s = sensed.get(l.interface);
        out.set(carrierSignal(l.id), s ? { value: s.sense.carrier, ageMs: Math.max(0, Math.round(clock() - s.atMs)) } : { value: undefined, reason: 'absent' });
      }
      out.set(ROUTE_FAULT_SIGNAL, { value: routes.faults().size > 0, ageMs: 0 });
      measures(out);
      counters.refresh();
      modems.refresh();
      return out;
    },
    takeProbes: (nowMs) => prober.takeProbes(nowMs),
    write(image, nowMs) {
      const on = cfg.links.find((l) => image.get(selectedSignal(l.id)) === true);
      const selected = on?.id ?? 'none';
      if (selected !== lastSelected) logger.info({ selected, from: lastSelected ?? null }, `uplink: selected ${selected}`);
      lastSelected = selected;
      prober.select(on ? cfg.links.indexOf(on) : -1);
      routes.want(selected, nowMs);
      recovery.write(image);
    },
    faults: () => routes.faults(),
    stats: () => ({ ...counters.values, ...modems.values }),
    texts: () => modems.texts,
    onInputChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      stopMonitor?.();
      await routes.idle();
      await recovery.idle();
    },
  };
}
