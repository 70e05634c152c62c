// The operator command schema, shared by scenarios, HTTP POST /command and the CLI.
import { z } from 'zod';
import { duration } from './duration.js';

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

export const COMMAND_NAMES = ['transferTo', 'setMode', 'startTest', 'stopTest', 'approveRetransfer', 'resetLockout', 'ackAlarms', 'selectUplink', 'releaseUplink'] as const;
