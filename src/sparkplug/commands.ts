// Operator commands over NCMD (sparkplug.commands: true): each command of POST /command is one metric
// under `Commands/`, listed in the NBIRTH with its datatype. A received value becomes the same Command
// (checked by the same commandSchema) and goes through the controller's submit, like HTTP and SCADA.
import type { Logger } from 'pino';
import type { CommandOutcome } from '../io/controller-port.js';
import { commandSchema } from '../io/command-schema.js';
import type { Command } from '../core/types.js';
import type { MetricValue } from './metrics.js';
import { decodeMetrics, type DataTypeName } from './proto.js';
import { REBIRTH } from './session.js';

type Value = number | boolean | string | null;

interface CommandMetric {
  readonly name: string;
  readonly datatype: DataTypeName;
  /** The command's fields from the written value (a Boolean one is a trigger: true runs it). */
  readonly build: (v: Value) => Record<string, unknown> | undefined;
}

const trigger = (name: Command['name']) => (v: Value) => (v === true ? { name } : undefined);

/** Every command as a metric; the names and types are documented in the README (Sparkplug B). */
export const COMMAND_METRICS: readonly CommandMetric[] = [
  { name: 'Commands/Transfer To', datatype: 'String', build: (v) => ({ name: 'transferTo', source: v }) },
  { name: 'Commands/Set Mode', datatype: 'String', build: (v) => ({ name: 'setMode', mode: v }) },
  { name: 'Commands/Start Test On Load ms', datatype: 'Int64', build: (v) => ({ name: 'startTest', onLoad: true, durationMs: v }) },
  { name: 'Commands/Start Test Off Load ms', datatype: 'Int64', build: (v) => ({ name: 'startTest', onLoad: false, durationMs: v }) },
  { name: 'Commands/Stop Test', datatype: 'Boolean', build: trigger('stopTest') },
  { name: 'Commands/Approve Retransfer', datatype: 'Boolean', build: trigger('approveRetransfer') },
  { name: 'Commands/Reset Lockout', datatype: 'Boolean', build: trigger('resetLockout') },
  { name: 'Commands/Ack Alarms', datatype: 'Boolean', build: trigger('ackAlarms') },
  { name: 'Commands/Select Uplink', datatype: 'String', build: (v) => ({ name: 'selectUplink', id: v }) },
  { name: 'Commands/Release Uplink', datatype: 'Boolean', build: trigger('releaseUplink') },
];

const IDLE: Record<string, Value> = { String: '', Int64: 0, Boolean: false };

/** The command metrics as the NBIRTH lists them (idle values: "", 0, false). */
export const commandBirthMetrics = (): MetricValue[] => COMMAND_METRICS.map((c) => ({ name: c.name, datatype: c.datatype, value: IDLE[c.datatype] ?? null }));

const TYPE_OF: Record<string, string> = { String: 'string', Int64: 'number', Boolean: 'boolean' };

/** The command a written metric asks for, or why it is not one. */
export function commandOf(m: { name: string; value: Value }): Command | string {
  const c = COMMAND_METRICS.find((x) => x.name === m.name);
  if (!c) return `${m.name}: not a command metric`;
  if (typeof m.value !== TYPE_OF[c.datatype]) return `${m.name}: expects a ${c.datatype}`;
  const fields = c.build(m.value);
  if (!fields) return `${m.name}: write true to run it`;
  const parsed = commandSchema.safeParse(fields);
  return parsed.success ? (parsed.data as Command) : `${m.name}: ${parsed.error.issues.map((i) => i.message).join('; ')}`;
}

export interface NcmdContext {
  readonly commands: boolean;
  readonly origin: string;
  readonly logger: Logger;
  readonly rebirth: () => void;
  readonly submit?: (command: Command, origin: string) => Promise<CommandOutcome>;
}

/** Handles one NCMD payload; never throws: what cannot be used is logged once for the whole payload. */
export function handleNcmd(payload: Uint8Array, o: NcmdContext): void {
  let metrics: ReturnType<typeof decodeMetrics>;
  try {
    metrics = decodeMetrics(payload);
  } catch (e) {
    return void o.logger.warn({ err: (e as Error).message }, 'sparkplug: an NCMD that is not a Sparkplug B payload was ignored');
  }
  const ignored: string[] = [];
  for (const m of metrics) {
    if (m.name === REBIRTH) {
      if (m.value === true) o.rebirth();
      continue;
    }
    if (!o.commands || !o.submit) {
      ignored.push(`${m.name}: commands over NCMD are off (sparkplug.commands: false)`);
      continue;
    }
    const command = commandOf(m);
    if (typeof command === 'string') ignored.push(command);
    else void submit(command, o);
  }
  if (ignored.length > 0) o.logger.warn({ ignored }, 'sparkplug: NCMD metrics ignored');
}

async function submit(command: Command, o: NcmdContext): Promise<void> {
  const outcome = await (o.submit as NonNullable<NcmdContext['submit']>)(command, o.origin).catch((e: Error) => ({ accepted: false, reason: e.message }));
  if (outcome.accepted) o.logger.info({ command, origin: o.origin }, 'sparkplug: NCMD command accepted');
  else o.logger.warn({ command, origin: o.origin, reason: outcome.reason }, `sparkplug: NCMD command refused: ${outcome.reason ?? 'no reason given'}`);
}
