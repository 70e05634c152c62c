// Uplink configuration: the uplinks in priority order, their probe targets and the health/selection timers.
import { z } from 'zod';
import { duration } from './duration.js';

const ID = /^[a-z][a-z0-9_-]*$/;

const targetSchema = z.string().min(1);

const uplinkSchema = z
  .object({
    id: z.string().regex(ID, 'lowercase letters, digits, _ or -, starting with a letter'),
    /** Linux interface carrying this uplink (real drivers); absent in the simulator. */
    interface: z.string().optional(),
    /** Gateway for the default route through this uplink (real drivers). */
    gateway: z.string().optional(),
    /** Probe targets: ICMP hosts by default, or `tcp://host:port`, `http(s)://…`, `dns://server/name`. */
    targets: z.array(targetSchema).min(1).default(['t1', 't2', 't3']),
  })
  .strict();

export const uplinksSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** In priority order: the first is the preferred uplink. */
    links: z
      .array(uplinkSchema)
      .default([
        { id: 'fiber', targets: ['t1', 't2', 't3'] },
        { id: 'lte', targets: ['t1', 't2', 't3'] },
      ]),
    probe: z
      .object({
        intervalMs: duration().default(1000),
        timeoutMs: duration().default(800),
        /** A round is good when at least this many targets answer in time. */
        quorum: z.number().int().min(1).default(1),
        /** An answer slower than this counts as lost. */
        latencyMaxMs: duration().default(800),
      })
      .strict()
      .prefault({}),
    downRounds: z.number().int().min(1).default(3),
    upRounds: z.number().int().min(1).default(5),
    failbackDelayMs: duration().default(60_000),
    /** Loss % and latency for status are measured over this window. */
    healthWindowMs: duration().default(60_000),
    holdDown: z
      .object({
        downs: z.number().int().min(1).default(3),
        windowMs: duration().default(600_000),
        holdMs: duration().default(600_000),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({})
  .superRefine((u, ctx) => {
    const ids = u.links.map((l) => l.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['links', i, 'id'], message: `duplicate uplink id "${id}"` });
    });
    u.links.forEach((l, i) => {
      if (u.probe.quorum > l.targets.length)
        ctx.addIssue({ code: 'custom', path: ['links', i, 'targets'], message: `quorum ${u.probe.quorum} needs at least that many targets (add targets or lower uplinks.probe.quorum)` });
    });
    if (u.probe.timeoutMs > u.probe.intervalMs)
      ctx.addIssue({ code: 'custom', path: ['probe', 'timeoutMs'], message: 'timeout longer than the probe interval (rounds would overlap)' });
  });

export type UplinksConfig = z.output<typeof uplinksSchema>;
