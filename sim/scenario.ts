// Scenario files: schema, and the checks that every knob, command, event type, event field and
// status field named in one exists — an invalid scenario fails before it runs (exit 78, with its path).
import { z } from 'zod';
import { commandSchema } from '../src/io/command-schema.js';
import { duration } from '../src/config/duration.js';
import { ConfigInvalid, closest, zodErrors, type ConfigError } from '../src/config/errors.js';
import { readYamlFile } from '../src/config/yaml.js';
import { ALARM_CODES } from '../src/core/types.js';

const stepSchema = z
  .object({
    at: duration(),
    set: z.record(z.string(), z.unknown()).optional(),
    command: commandSchema.optional(),
  })
  .strict()
  .refine((s) => (s.set === undefined) !== (s.command === undefined), { message: 'a step has either `set` or `command` (exactly one)' });

const expectSchema = z.union([
  z.object({ at: duration(), status: z.record(z.string(), z.unknown()) }).strict(),
  z
    .object({
      event: z.string(),
      with: z.record(z.string(), z.unknown()).optional(),
      between: z.tuple([duration(), duration()]).optional(),
      count: z.number().int().min(0).optional(),
    })
    .strict(),
  z.object({ summary: z.record(z.string(), z.unknown()) }).strict(),
]);

export const scenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    seed: z.number().int().default(1),
    /** Wall-clock time at virtual t=0 (maintenance windows, logs). */
    start: z.iso.datetime({ offset: true }).default('2026-01-05T00:00:00Z'),
    config: z.record(z.string(), z.unknown()).optional(),
    duration: duration(),
    steps: z.array(stepSchema).default([]),
    expect: z.array(expectSchema).default([]),
  })
  .strict();

export type Scenario = z.output<typeof scenarioSchema>;
export type Expectation = Scenario['expect'][number];

/** Fields each event type carries (the spec's table); `with:` may name only these. */
export const EVENT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  plant: ['knob', 'value'],
  command: ['name', 'accepted', 'reason', 'origin'],
  mode: ['mode'],
  source: ['source', 'available', 'reason'],
  generator: ['state'],
  'transfer.begin': ['from', 'to', 'reason'],
  'transfer.end': ['to', 'durationMs'],
  'transfer.fail': ['to', 'reason'],
  output: ['name', 'on'],
  alarm: ['code', 'active', 'message'],
  lockout: ['active', 'reason'],
  ups: ['onBattery', 'lowBattery', 'chargePct', 'comm'],
  psu: ['ok', 'required', 'state'],
  uplink: ['id', 'up', 'reason', 'lossPct', 'latencyMs'],
  'uplink.switch': ['from', 'to', 'reason'],
  'uplink.powerCycle': ['id', 'count'],
  expect: ['index', 'ok', 'detail'],
};

export const SUMMARY_FIELDS = [
  'durationMs',
  'transfers',
  'interlockViolations',
  'paralleledMs',
  'loadOffMs',
  'longestOutageMs',
  'upsDepleted',
  'loadLostMs',
  'relayOperations',
  'uplinkSwitches',
  'uplinkDownMs',
  'alarms',
  'expectFailures',
] as const;

export interface ScenarioChecks {
  hasKnob(knob: string): boolean;
  /** Why this value cannot be set on this knob, or undefined when it can. */
  knobError(knob: string, value: unknown): string | undefined;
  /** Is `path` (dotted) a field of the status object? */
  hasStatusPath(path: string): boolean;
  uplinkIds: readonly string[];
}

/** Cross-checks names the schema cannot know; returns every problem with its path. */
export function checkNames(s: Scenario, c: ScenarioChecks): ConfigError[] {
  const errs: ConfigError[] = [];
  s.steps.forEach((st, i) => {
    for (const [knob, value] of Object.entries(st.set ?? {})) {
      if (!c.hasKnob(knob)) errs.push({ path: `steps[${i}].set.${knob}`, problem: 'unknown knob', hint: hintFor(knob, []) });
      else {
        const bad = c.knobError(knob, value);
        if (bad) errs.push({ path: `steps[${i}].set.${knob}`, problem: `bad value ${JSON.stringify(value)}`, hint: bad });
      }
    }
    if (st.command?.name === 'selectUplink' && !c.uplinkIds.includes(st.command.id)) {
      errs.push({ path: `steps[${i}].command.id`, problem: `unknown uplink "${st.command.id}"`, hint: `one of ${c.uplinkIds.join(', ')}` });
    }
  });
  s.expect.forEach((e, i) => {
    if ('status' in e) {
      for (const p of Object.keys(e.status))
        if (!c.hasStatusPath(p)) errs.push({ path: `expect[${i}].status.${p}`, problem: 'unknown status field', hint: 'see the status fields in the README' });
    } else if ('event' in e) {
      if (e.between && e.between[0] > e.between[1]) {
        errs.push({
          path: `expect[${i}].between`,
          problem: `the range ends (${e.between[1]} ms) before it begins (${e.between[0]} ms)`,
          hint: 'write [from, to] with from ≤ to',
        });
      }
      const fields = EVENT_FIELDS[e.event];
      if (!fields) {
        errs.push({ path: `expect[${i}].event`, problem: `unknown event type "${e.event}"`, hint: hintFor(e.event, Object.keys(EVENT_FIELDS)) });
        return;
      }
      for (const f of Object.keys(e.with ?? {})) {
        if (!fields.includes(f))
          errs.push({ path: `expect[${i}].with.${f}`, problem: `"${e.event}" events have no field "${f}"`, hint: `fields: ${fields.join(', ')}` });
      }
      const code = e.with?.code;
      if (e.event === 'alarm' && code !== undefined && !(ALARM_CODES as readonly unknown[]).includes(code)) {
        errs.push({
          path: `expect[${i}].with.code`,
          problem: `unknown alarm code ${JSON.stringify(code)}`,
          hint: hintFor(typeof code === 'string' ? code : JSON.stringify(code), ALARM_CODES),
        });
      }
    } else {
      for (const k of Object.keys(e.summary)) {
        if (!(SUMMARY_FIELDS as readonly string[]).includes(k))
          errs.push({ path: `expect[${i}].summary.${k}`, problem: 'unknown summary field', hint: hintFor(k, SUMMARY_FIELDS) });
      }
    }
  });
  return errs;
}

function hintFor(word: string, known: readonly string[]): string {
  const near = closest(word, known);
  return near ? `did you mean "${near}"?` : known.length ? `one of ${known.join(', ')}` : 'see the knob table in the README';
}

export function parseScenario(raw: unknown, source: string): Scenario {
  const r = scenarioSchema.safeParse(raw);
  if (!r.success) throw new ConfigInvalid(zodErrors(scenarioSchema, r.error), source);
  return r.data;
}

export function loadScenario(path: string): Scenario {
  return parseScenario(readYamlFile(path), path);
}
