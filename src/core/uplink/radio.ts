// What the uplink driver measures (byte counters, modem radio) carried through the uplink state into
// status and SCADA: the core only keeps the last readings, it decides nothing on them.
import type { UplinksConfig } from '../../config/uplinks.js';
import { uplinkMeasureSignal, type UplinkMeasure } from '../signals.js';
import type { Reading, SignalName, UplinkRadio, UplinkStatus } from '../types.js';

/** Order of `LinkState.measures`. */
export const UPLINK_MEASURES: readonly UplinkMeasure[] = [
  'rxBytes',
  'txBytes',
  'signalQualityPct',
  'rsrpDbm',
  'rsrqDb',
  'sinrDb',
  'rssiDbm',
  'accessTech',
  'operatorCode',
];

/** ModemManager's access technologies as codes (`uplink.<id>.accessTech`, SCADA); append only. */
export const ACCESS_TECHS = [
  'unknown',
  'gsm',
  'gprs',
  'edge',
  'umts',
  'hsdpa',
  'hsupa',
  'hspa',
  'hspa-plus',
  'lte',
  '5gnr',
  'lte-cat-m',
  'lte-nb-iot',
  'other',
] as const;

export const NO_MEASURES: readonly (number | null)[] = Object.freeze(UPLINK_MEASURES.map(() => null));

// Signal names per uplink, built once per config (a name built per scan costs a string and its hash).
// A module-level memo, pure and keyed weakly by the config.
const names = new WeakMap<UplinksConfig, readonly (readonly SignalName[])[]>();
function namesOf(cfg: UplinksConfig): readonly (readonly SignalName[])[] {
  let n = names.get(cfg);
  if (!n) names.set(cfg, (n = cfg.links.map((l) => UPLINK_MEASURES.map((m) => uplinkMeasureSignal(l.id, m)))));
  return n;
}

const valueOf = (r: Reading | undefined): number | null => (r !== undefined && typeof r.value === 'number' && Number.isFinite(r.value) ? r.value : null);

/** Uplinks the driver measures (an interface or a modem); the rest have readings only from a simulated cabinet. */
const measured = (cfg: UplinksConfig, i: number): boolean => {
  const l = cfg.links[i];
  return l !== undefined && (l.interface !== undefined || l.modem !== undefined);
};

/** The new readings of uplink `i` when any differs from `prev`, else undefined. */
export function changedMeasures(
  cfg: UplinksConfig,
  i: number,
  prev: readonly (number | null)[],
  inputs: ReadonlyMap<SignalName, Reading> | undefined,
): readonly (number | null)[] | undefined {
  if (inputs === undefined) return undefined;
  const n = namesOf(cfg)[i] as readonly SignalName[];
  // An unmeasured uplink costs one lookup per scan: its byte counter, which only a simulated cabinet gives.
  if (!measured(cfg, i) && prev === NO_MEASURES && !inputs.has(n[0] as SignalName)) return undefined;
  let out: (number | null)[] | undefined;
  for (let k = 0; k < n.length; k++) {
    const v = valueOf(inputs.get(n[k] as SignalName));
    if (out === undefined && v === (prev[k] ?? null)) continue;
    out ??= prev.slice(0, k);
    out.push(v);
  }
  return out;
}

const at = (m: readonly (number | null)[], k: UplinkMeasure): number | null => m[UPLINK_MEASURES.indexOf(k)] ?? null;

/** The status fields of one uplink's readings. */
export function measuresStatus(link: UplinksConfig['links'][number], m: readonly (number | null)[]): Pick<UplinkStatus, 'rxBytes' | 'txBytes' | 'radio'> {
  const tech = at(m, 'accessTech');
  const op = at(m, 'operatorCode');
  const radio: UplinkRadio | null =
    link.modem === undefined || (tech === null && at(m, 'signalQualityPct') === null)
      ? null
      : {
          tech: ACCESS_TECHS[tech ?? 0] ?? 'other',
          operatorCode: op === null ? null : String(op),
          operatorName: null,
          qualityPct: at(m, 'signalQualityPct'),
          rsrpDbm: at(m, 'rsrpDbm'),
          rsrqDb: at(m, 'rsrqDb'),
          sinrDb: at(m, 'sinrDb'),
          rssiDbm: at(m, 'rssiDbm'),
        };
  return { rxBytes: at(m, 'rxBytes'), txBytes: at(m, 'txBytes'), radio };
}
