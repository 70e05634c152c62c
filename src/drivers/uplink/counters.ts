// Bytes each uplink carried, from the kernel's interface counters (/sys/class/net/IF/statistics), so
// an operator sees what each SIM carries. Read in the background, at most once a second.
import type { UplinksConfig } from '../../config/uplinks.js';
import type { ReadText } from './carrier.js';

const EVERY_MS = 1000;

export interface Counters {
  /** `uplink.<id>.rxBytes` / `uplink.<id>.txBytes` as last read (absent until read, or unreadable). */
  readonly values: Readonly<Record<string, number>>;
  /** Starts a background read when the last one is a second old and done. Never blocks. */
  refresh(): void;
  /** When the last read finished (clock ms; -Infinity before the first): the readings' age. */
  doneAtMs(): number;
}

export function createCounters(cfg: UplinksConfig, readText: ReadText, clock: () => number): Counters {
  const values: Record<string, number> = {};
  let atMs = -Infinity;
  let busy = false;
  let doneMs = -Infinity;
  const readOne = (id: string, iface: string, dir: 'rx' | 'tx') =>
    readText(`/sys/class/net/${iface}/statistics/${dir}_bytes`).then(
      (t) => {
        const n = Number(t.trim());
        if (t.trim() !== '' && Number.isFinite(n)) values[`uplink.${id}.${dir}Bytes`] = n;
      },
      () => undefined,
    );
  return {
    values,
    refresh() {
      if (busy || clock() - atMs < EVERY_MS) return;
      busy = true;
      atMs = clock();
      const reads = cfg.links.flatMap((l) => (l.interface ? [readOne(l.id, l.interface, 'rx'), readOne(l.id, l.interface, 'tx')] : []));
      void Promise.all(reads).finally(() => {
        busy = false;
        doneMs = clock();
      });
    },
    doneAtMs: () => doneMs,
  };
}
