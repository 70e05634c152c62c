// The remembered state as read back from disk: checked field by field before any of it reaches
// the core (a file can be valid JSON with a good checksum and still come from a buggy writer).
import { z } from 'zod';
import type { Remembered } from '../../core/memory.js';
import { ALARM_CODES } from '../../core/types.js';

const ms = z.number().finite();
export const rememberedSchema = z.object({
  mode: z.enum(['auto', 'manual', 'test']),
  lockout: z.object({ reason: z.enum(['FAIL_TO_OPEN', 'FAIL_TO_CLOSE', 'POSITION_MISMATCH']), detail: z.string(), sinceMs: ms }).nullable(),
  // A code this build does not know (written by a newer one) is dropped, not an error.
  ackedAlarms: z.array(z.string()).transform((xs) => ALARM_CODES.filter((c) => xs.includes(c))),
  retransferApproved: z.boolean(),
  transferTimesMs: z.array(ms).max(1000),
  transferCount: z.number().int().min(0),
  lastTransferReason: z.enum(['none', 'sourceFail', 'retransfer', 'test', 'testEnd', 'manual', 'restore', 'deadOutput']),
  relayOperations: z.record(z.string(), z.number().int().min(0)),
  generatorFailed: z.boolean(),
  // Absent in files written before it was remembered: no cool-down then.
  generatorCooldownUntilMs: ms.nullable().default(null),
  uplink: z.object({
    manual: z.string().nullable(),
    links: z.record(
      z.string(),
      z.object({
        downTimesMs: z.array(ms).max(1000),
        heldUntilMs: ms.nullable(),
        holdLevel: z.number().int().min(0).max(64),
        lastDownMs: ms.nullable(),
        // Added later: a file written before it has none.
        ladder: z
          .object({
            downSinceMs: ms.nullable(),
            steps: z.number().int().min(0).max(1000),
            atMs: ms.nullable(),
            resetTimesMs: z.array(ms).max(1000),
            pulseTimesMs: z.array(ms).max(1000),
          })
          .optional(),
      }),
    ),
  }),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
type Parsed = z.output<typeof rememberedSchema>;
/** Fails to compile when the core's Remembered and this schema drift apart: every field is checked,
 * and what parses is a Remembered. */
export type SchemaCoversRemembered = [Assert<Same<keyof Parsed, keyof Remembered>>, Assert<Parsed extends Remembered ? true : false>];
