// The operator command schema, shared by scenarios, HTTP POST /command and the CLI. The core's
// `Command` type is the one list of commands; this schema is checked against it when compiling.
import { z } from 'zod';
import { duration } from '../config/duration.js';
import type { Command } from '../core/types.js';

export const commandSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('transferTo'), source: z.enum(['A', 'B']) }).strict(),
  z.object({ name: z.literal('setMode'), mode: z.enum(['auto', 'manual']) }).strict(),
  z.object({ name: z.literal('startTest'), onLoad: z.boolean().default(true), durationMs: duration() }).strict(),
  z.object({ name: z.literal('stopTest') }).strict(),
  z.object({ name: z.literal('approveRetransfer') }).strict(),
  z.object({ name: z.literal('resetLockout') }).strict(),
  z.object({ name: z.literal('ackAlarms') }).strict(),
  z.object({ name: z.literal('selectUplink'), id: z.string().min(1) }).strict(),
  z.object({ name: z.literal('releaseUplink') }).strict(),
]);

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
/** Fails to compile when a command is in the core but not in the schema, or the other way round,
 * or when a field differs: a new command cannot reach the core unparsed or parse to nothing. */
export type SchemaCoversCommands = Assert<Same<z.output<typeof commandSchema>, Command>>;
