// Radio of an LTE uplink from ModemManager (`mmcli`): signal quality, RSRP/RSRQ/SINR/RSSI, access
// technology and operator, read every 10 s. Numbers go to the driver counters (metrics); a changed
// technology or operator is logged. Without mmcli, or for an uplink without `modem`, nothing is read.
import type { UplinksConfig } from '../../config/uplinks.js';
import { ACCESS_TECHS } from '../../core/uplink/radio.js';
import type { Exec } from './exec.js';
import type { UplinkLogger } from './routes.js';

const EVERY_MS = 10_000;
const CMD_TIMEOUT_MS = 5000;

export interface ModemInfo {
  readonly qualityPct: number | null;
  readonly tech: string | null;
  readonly operator: string | null;
  /** MCC+MNC, e.g. "26201". */
  readonly operatorCode: string | null;
}

export interface ModemSignal {
  readonly rsrpDbm: number | null;
  readonly rsrqDb: number | null;
  readonly sinrDb: number | null;
  readonly rssiDbm: number | null;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
// mmcli prints numbers as strings ("67", "-95.00") and "--" for unknown.
const num = (v: unknown): number | null => (typeof v === 'string' && v.trim() !== '' && v !== '--' && Number.isFinite(Number(v)) ? Number(v) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' && v !== '--' ? v : null);

/** `mmcli -m M -J`: signal quality %, the first access technology, the operator name. */
export function parseModemInfo(json: string): ModemInfo {
  const m = obj(obj(JSON.parse(json) as unknown).modem);
  const g = obj(m.generic);
  const tech = Array.isArray(g['access-technologies']) ? (g['access-technologies'] as unknown[]) : [];
  const gpp = obj(m['3gpp']);
  return { qualityPct: num(obj(g['signal-quality']).value), tech: str(tech[0]), operator: str(gpp['operator-name']), operatorCode: str(gpp['operator-code']) };
}

/** `mmcli -m M --signal-get -J`: the LTE (else 5G) figures; RSSI also from UMTS/GSM on older networks. */
export function parseSignal(json: string): ModemSignal {
  const s = obj(obj(obj(JSON.parse(json) as unknown).modem).signal);
  const lte = obj(s.lte);
  const nr = obj(s['5g']);
  const pick = (k: string) => num(lte[k]) ?? num(nr[k]);
  return {
    rsrpDbm: pick('rsrp'),
    rsrqDb: pick('rsrq'),
    sinrDb: pick('snr') ?? pick('sinr'),
    rssiDbm: pick('rssi') ?? num(obj(s.umts).rssi) ?? num(obj(s.gsm).rssi),
  };
}

/** ModemManager's technology name as its code in ACCESS_TECHS ("lte, 5gnr" lists: the first). */
export function techCode(tech: string): number {
  const i = (ACCESS_TECHS as readonly string[]).indexOf(tech);
  return i >= 0 ? i : ACCESS_TECHS.indexOf('other');
}

export interface ModemReader {
  /** `uplink.<id>.signalQualityPct`, `rsrpDbm`, `rsrqDb`, `sinrDb`, `rssiDbm` as last read. */
  readonly values: Readonly<Record<string, number>>;
  /** `uplink.<id>.operatorName` as last read: a string, so it bypasses the core (see runtime/drivertexts.ts). */
  readonly texts: Readonly<Record<string, string>>;
  /** Starts a background read of every modem when the last is 10 s old and done. Never blocks. */
  refresh(): void;
  /** When the last read of every modem finished (clock ms; -Infinity before the first): the readings' age. */
  doneAtMs(): number;
  /** After a reset the modem has forgotten its signal refresh rate: set it up again on the next read. */
  forget(modem: string): void;
}

export function createModemReader(cfg: UplinksConfig, exec: Exec, log: UplinkLogger, clock: () => number): ModemReader {
  const values: Record<string, number> = {};
  const texts: Record<string, string> = {};
  const seen = new Map<string, string>();
  const setUp = new Set<string>();
  let atMs = -Infinity;
  let busy = false;
  let doneMs = -Infinity;
  let noMmcli = false;
  const put = (id: string, key: string, v: number | null) => {
    if (v === null) delete values[`uplink.${id}.${key}`];
    else values[`uplink.${id}.${key}`] = v;
  };
  const readOne = async (id: string, modem: string) => {
    // The modem refreshes its signal figures only once asked to (every 10 s here).
    if (!setUp.has(modem)) {
      const o = await exec('mmcli', ['-m', modem, '--signal-setup=10'], CMD_TIMEOUT_MS);
      if (o.error === 'ENOENT') return void (noMmcli = true);
      if (o.code === 0) setUp.add(modem);
    }
    const info = await exec('mmcli', ['-m', modem, '-J'], CMD_TIMEOUT_MS);
    if (info.code !== 0)
      return log.warn({ uplink: id, modem, error: info.error, stderr: info.stderr.trim() }, `uplink: mmcli cannot read modem ${modem} of ${id}`);
    try {
      const i = parseModemInfo(info.stdout);
      put(id, 'signalQualityPct', i.qualityPct);
      put(id, 'accessTech', i.tech === null ? null : techCode(i.tech));
      put(id, 'operatorCode', i.operatorCode !== null && /^\d{5,6}$/.test(i.operatorCode) ? Number(i.operatorCode) : null);
      if (i.operator === null) delete texts[`uplink.${id}.operatorName`];
      else texts[`uplink.${id}.operatorName`] = i.operator;
      const radio = `${i.tech ?? '?'} ${i.operator ?? '?'}`;
      if (seen.get(id) !== radio) log.info({ uplink: id, tech: i.tech, operator: i.operator }, `uplink: ${id} on ${radio}`);
      seen.set(id, radio);
      const sig = await exec('mmcli', ['-m', modem, '--signal-get', '-J'], CMD_TIMEOUT_MS);
      const s = sig.code === 0 ? parseSignal(sig.stdout) : { rsrpDbm: null, rsrqDb: null, sinrDb: null, rssiDbm: null };
      for (const [k, v] of Object.entries(s)) put(id, k, v);
    } catch (e) {
      log.warn({ uplink: id, modem, err: String(e) }, 'uplink: mmcli answered something unreadable');
    }
  };
  const modems = cfg.links.flatMap((l) => (l.modem !== undefined ? [{ id: l.id, modem: l.modem }] : []));
  return {
    values,
    texts,
    forget: (modem) => void setUp.delete(modem),
    refresh() {
      if (noMmcli || busy || modems.length === 0 || clock() - atMs < EVERY_MS) return;
      busy = true;
      atMs = clock();
      void (async () => {
        for (const m of modems) await readOne(m.id, m.modem);
        if (noMmcli) log.warn({}, 'uplink: mmcli not found (ModemManager); modem signal is not read');
      })().finally(() => {
        busy = false;
        doneMs = clock();
      });
    },
    doneAtMs: () => doneMs,
  };
}
