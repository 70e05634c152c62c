// Simulated uplinks. STUB: replaced by the uplink work (issue 4).
import type { UplinksConfig } from '../../src/config/uplinks.js';
import type { ProbeResult, SignalName } from '../../src/core/types.js';

export interface UplinkPlant {
  set(knob: string, value: unknown): string | undefined;
  hasKnob(knob: string): boolean;
  carrier(id: string): boolean;
  takeProbes(nowMs: number): readonly ProbeResult[];
  nextDeadlineMs(nowMs: number): number | undefined;
  observe(outputs: ReadonlyMap<SignalName, boolean>, nowMs: number): void;
  summary(nowMs: number): { uplinkSwitches: number; uplinkDownMs: number };
}

export function createUplinkPlant(cfg: UplinksConfig, seed: number): UplinkPlant {
  void cfg;
  void seed;
  return {
    set: (knob) => `unknown knob "${knob}"`,
    hasKnob: () => false,
    carrier: () => true,
    takeProbes: () => [],
    nextDeadlineMs: () => undefined,
    observe: () => undefined,
    summary: () => ({ uplinkSwitches: 0, uplinkDownMs: 0 }),
  };
}
