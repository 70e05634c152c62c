// Test helpers: a tiny driver that steps the uplink core by hand with probe rounds and carrier values.
import { uplinksSchema, type UplinksConfig } from '../../../src/config/uplinks.js';
import { initialUplinkState, stepUplinks, type UplinkStepResult } from '../../../src/core/uplink/index.js';
import type { Command, ControllerEvent, ProbeResult, Reading } from '../../../src/core/types.js';

export const config = (over: Record<string, unknown> = {}): UplinksConfig => uplinksSchema.parse(over);

/** One probe round of `id` sent at `atMs`: true = answered after `rttMs`, false = lost. */
export function round(id: string, atMs: number, answers: readonly boolean[], rttMs = 10): ProbeResult[] {
  return answers.map((ok, j) => ({ uplink: id, target: `t${j + 1}`, ok, rttMs: ok ? rttMs : undefined, atMs }));
}

export interface Driver {
  readonly cfg: UplinksConfig;
  last: UplinkStepResult;
  readonly events: { t: number; e: ControllerEvent }[];
  carrier: Record<string, boolean | undefined>;
  step(nowMs: number, probes?: readonly ProbeResult[], commands?: readonly Command[]): UplinkStepResult;
  /** Feeds one round per uplink every interval from `fromMs` to `toMs`, answers given per uplink. */
  rounds(fromMs: number, toMs: number, answers: Record<string, readonly boolean[]>): void;
  selected(): string;
}

export function driver(cfg: UplinksConfig = config()): Driver {
  let state = initialUplinkState(cfg);
  const d: Driver = {
    cfg,
    last: undefined as unknown as UplinkStepResult,
    events: [],
    carrier: {},
    step(nowMs, probes = [], commands = []) {
      const carrier = (id: string): Reading | undefined => {
        const v = d.carrier[id];
        return v === undefined ? undefined : { value: v, ageMs: 0 };
      };
      d.last = stepUplinks(cfg, state, { nowMs, carrier, probes, commands });
      state = d.last.state;
      for (const e of d.last.events) d.events.push({ t: nowMs, e });
      return d.last;
    },
    rounds(fromMs, toMs, answers) {
      const iv = cfg.probe.intervalMs;
      for (let t = fromMs; t < toMs; t += iv) {
        const probes = Object.entries(answers).flatMap(([id, a]) => round(id, t, a));
        d.step(
          t + 10,
          probes.filter((p) => p.ok),
        );
        d.step(
          t + cfg.probe.timeoutMs,
          probes.filter((p) => !p.ok),
        );
      }
    },
    selected() {
      const on = [...d.last.outputs].filter(([k, v]) => v && k.endsWith('.selected')).map(([k]) => k.split('.')[1] as string);
      if (on.length > 1) throw new Error(`more than one uplink selected: ${on.join(', ')}`);
      return on[0] ?? 'none';
    },
  };
  d.step(0);
  return d;
}

export const ALL = [true, true, true];
export const NONE = [false, false, false];

type Ev<T extends ControllerEvent['type']> = Extract<ControllerEvent, { type: T }> & { t: number };

/** The `uplink` events seen so far, with their times. */
export function upEvents(d: Driver): Ev<'uplink'>[] {
  return d.events.flatMap(({ t, e }) => (e.type === 'uplink' ? [{ t, ...e }] : []));
}

/** The `uplink.switch` events seen so far, with their times. */
export function switchEvents(d: Driver): Ev<'uplink.switch'>[] {
  return d.events.flatMap(({ t, e }) => (e.type === 'uplink.switch' ? [{ t, ...e }] : []));
}
