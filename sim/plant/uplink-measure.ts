// The plant's own judgement of the uplinks (summary figures), independent of the controller:
// how often traffic moved to another uplink, and how long no working uplink was selected.
import { selectedSignal } from '../../src/core/signals.js';
import type { SignalName } from '../../src/core/types.js';

interface Observed {
  readonly id: string;
  readonly carrier: boolean;
  readonly loss: number;
}

export interface UplinkMeter {
  observe(outputs: ReadonlyMap<SignalName, boolean>, nowMs: number): void;
  summary(nowMs: number): { uplinkSwitches: number; uplinkDownMs: number };
}

export function createUplinkMeter(links: readonly Observed[]): UplinkMeter {
  const selectedKeys = links.map((l) => selectedSignal(l.id));
  let lastMs: number | undefined;
  let working = true;
  let selected: number = -1;
  let lastReal: number = -1;
  let switches = 0;
  let downMs = 0;

  // A selected uplink works while it has carrier and passes at least some traffic.
  const judge = () => {
    const l = selected >= 0 ? links[selected] : undefined;
    working = l !== undefined && l.carrier && l.loss < 1;
  };
  const accrue = (nowMs: number) => {
    if (lastMs !== undefined && !working && nowMs > lastMs) downMs += nowMs - lastMs;
    lastMs = nowMs;
  };

  return {
    observe(outputs, nowMs) {
      accrue(nowMs);
      selected = selectedKeys.findIndex((k) => outputs.get(k) === true);
      // fiber → none → fiber is no switch for traffic; fiber → none → lte is one.
      if (selected >= 0 && selected !== lastReal) {
        if (lastReal >= 0) switches++;
        lastReal = selected;
      }
      judge();
    },
    summary(nowMs) {
      accrue(nowMs);
      return { uplinkSwitches: switches, uplinkDownMs: downMs };
    },
  };
}
