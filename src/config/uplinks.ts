// Uplink configuration: the uplinks in priority order, their probe targets, the health/selection
// timers, the optional modem power-cycle, and how the real drivers switch routes.
import { z } from 'zod';
import { duration } from './duration.js';

/** Shortest wait of a recovery step: the step's request is held for a second, then its effect is awaited. */
export const MIN_STEP_WAIT_MS = 2000;

const ID = /^[a-z][a-z0-9_-]*$/;
/** Status keys beside the per-uplink ones (`uplink.active`, `uplink.manual`): an uplink id may not shadow them. */
const RESERVED_IDS: readonly string[] = ['active', 'manual'];

/** `host` (ICMP), `icmp://host`, `tcp://host:port`, `http(s)://…`, `dns://server[:port]/name`; bare words are sim targets. */
const targetSchema = z.string().min(1);

const powerCycleSchema = z
  .object({
    /** Pulse the modem's power relay once the uplink has been down this long (and again after each further wait). */
    afterMs: duration().default(180_000),
    /** How long the relay is energized (power cut). */
    pulseMs: duration().default(5000),
    /** At most this many pulses in any hour, so a dead line does not wear out the modem. */
    maxPerHour: z.number().int().min(1).default(2),
  })
  .strict();

/**
 * Modem recovery ladder of an uplink with `modem` (ModemManager): on a dead link, reconnect the bearer,
 * then reset the modem, then (if configured) the power-cycle relay. Each step waits for its effect.
 */
const recoverySchema = z
  .object({
    enabled: z.boolean().default(true),
    /** The first step once the uplink has been down this long. */
    afterMs: duration().default(30_000),
    /** Bearer reconnects (mmcli disconnect + connect) per outage, each followed by `reconnectWaitMs`. */
    reconnects: z.number().int().min(0).default(2),
    reconnectWaitMs: duration().default(60_000),
    /** Modem resets (mmcli --reset) per outage, each followed by `resetWaitMs` (re-enumeration, registration). */
    resets: z.number().int().min(0).default(1),
    resetWaitMs: duration().default(180_000),
    /** At most this many resets in any hour (a link that flaps all day is not reset all day). */
    resetsPerHour: z.number().int().min(1).default(2),
  })
  .strict();

/** APN labels (3GPP TS 23.003: letters, digits, hyphens, dot-separated), plus "_" that some operators use. */
const APN = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$/;

const uplinkSchema = z
  .object({
    id: z.string().regex(ID, 'lowercase letters, digits, _ or -, starting with a letter'),
    /** Linux interface carrying this uplink (real drivers); absent in the simulator. */
    interface: z.string().optional(),
    /** Gateway for the default route through this uplink (real drivers). */
    gateway: z.string().optional(),
    /** Source address for TCP/HTTP/DNS probes (ICMP probes bind to `interface`). */
    source: z.string().optional(),
    /** Probe targets: ICMP hosts by default, or `tcp://host:port`, `http(s)://…`, `dns://server/name`. */
    targets: z.array(targetSchema).min(1).default(['t1', 't2', 't3']),
    /** ModemManager modem of this uplink (`mmcli -m` value, e.g. "0" or "any"): its signal is read. */
    modem: z.string().min(1).optional(),
    /**
     * APN for the ladder's reconnect (`mmcli --simple-connect=apn=…,ip-type=…`); without it the modem's
     * existing bearer is disconnected and connected again. The charset is checked because mmcli parses
     * the value as a comma-separated key=value list: a comma, "=" or quote would change what it means.
     */
    apn: z
      .string()
      .regex(APN, 'not an APN: letters, digits, ".", "-" and "_", at most 100, starting and ending with a letter or digit (e.g. "internet.telekom")')
      .optional(),
    /** IP type of the connection made with `apn`, as ModemManager names it. */
    ipType: z.enum(['ipv4', 'ipv6', 'ipv4v6']).optional(),
    /** Optional modem power-cycle through the output `uplink.<id>.powerCycle`. */
    powerCycle: powerCycleSchema.optional(),
    /** Recovery ladder for a `modem` uplink (ignored without `modem`). */
    recovery: recoverySchema.prefault({}),
  })
  .strict();

const routesSchema = z
  .object({
    /** Default-route metric of the selected uplink; the others get `metricStandby + priority index`. */
    metricSelected: z.number().int().min(0).default(10),
    metricStandby: z.number().int().min(1).default(100),
    /** Flush conntrack after a switch so existing flows (NAT) move to the new uplink. */
    flushConntrack: z.boolean().default(true),
    /** A failed route action is retried after this long. */
    retryMs: duration().default(5000),
  })
  .strict()
  .refine((r) => r.metricSelected < r.metricStandby, { message: 'metricSelected must be below metricStandby (lower metric wins)' });

export const uplinksSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** In priority order: the first is the preferred uplink. */
    links: z
      .array(uplinkSchema)
      .min(1)
      .prefault([
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
        /**
         * Echo requests per target per round, `attemptSpacingMs` apart inside the timeout; the target
         * answers if any does. Two attempts make 10 % random loss cost a round 1 % per target, not 10 %,
         * without waiting longer to see a dead link.
         */
        attempts: z.number().int().min(1).max(5).default(2),
        attemptSpacingMs: duration().default(200),
      })
      .strict()
      .prefault({}),
    downRounds: z.number().int().min(1).default(3),
    upRounds: z.number().int().min(1).default(5),
    failbackDelayMs: duration().default(60_000),
    /** Loss % and latency for status are measured over this window. */
    healthWindowMs: duration().default(60_000),
    /**
     * `downs` downs within `windowMs` hold an uplink down: first for `holdMs`, each further hold twice as
     * long up to `maxHoldMs`; each `forgetAfterMs` without a down forgives one doubling.
     */
    holdDown: z
      .object({
        downs: z.number().int().min(1).default(3),
        windowMs: duration().default(600_000),
        holdMs: duration().default(60_000),
        maxHoldMs: duration().default(1_800_000),
        forgetAfterMs: duration().default(3_600_000),
      })
      .strict()
      .prefault({}),
    /**
     * Probe budget of a standby uplink (one ranked below the selected uplink, e.g. a metered LTE SIM):
     * while the selected uplink is healthy, `targets` of its targets (in turn; at least `probe.quorum`)
     * once every `intervalMs`;
     * at full rate from the selected uplink's first failed round until it has had `upRounds` good ones.
     */
    standbyProbe: z
      .object({
        enabled: z.boolean().default(true),
        intervalMs: duration().default(30_000),
        targets: z.number().int().min(1).default(1),
      })
      .strict()
      .prefault({}),
    routes: routesSchema.prefault({}),
  })
  .strict()
  .prefault({})
  .superRefine((u, ctx) => {
    const ids = u.links.map((l) => l.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['links', i, 'id'], message: `duplicate uplink id "${id}"` });
      if (RESERVED_IDS.includes(id))
        ctx.addIssue({
          code: 'custom',
          path: ['links', i, 'id'],
          message: `"${id}" is reserved (status has uplink.active and uplink.manual; choose another id, e.g. "${id}1")`,
        });
    });
    u.links.forEach((l, i) => {
      if (u.probe.quorum > l.targets.length)
        ctx.addIssue({
          code: 'custom',
          path: ['links', i, 'targets'],
          message: `quorum ${u.probe.quorum} needs at least that many targets (add targets or lower uplinks.probe.quorum)`,
        });
      if (l.powerCycle && l.powerCycle.pulseMs >= l.powerCycle.afterMs)
        ctx.addIssue({
          code: 'custom',
          path: ['links', i, 'powerCycle', 'pulseMs'],
          message: 'pulse longer than the wait before it (make pulseMs shorter than afterMs)',
        });
      for (const k of ['apn', 'ipType'] as const)
        if (l[k] !== undefined && l.modem === undefined)
          ctx.addIssue({ code: 'custom', path: ['links', i, k], message: `${k} is for the modem's reconnect (set links[].modem too, e.g. "any")` });
      if (l.ipType !== undefined && l.apn === undefined)
        ctx.addIssue({ code: 'custom', path: ['links', i, 'ipType'], message: 'ipType goes with apn (the connection is made with both)' });
      for (const k of ['afterMs', 'reconnectWaitMs', 'resetWaitMs'] as const)
        if (l.recovery[k] < MIN_STEP_WAIT_MS)
          ctx.addIssue({
            code: 'custom',
            path: ['links', i, 'recovery', k],
            message: `shorter than ${MIN_STEP_WAIT_MS / 1000} s (a step needs time to act; e.g. "30s")`,
          });
    });
    if (u.probe.timeoutMs > u.probe.intervalMs)
      ctx.addIssue({ code: 'custom', path: ['probe', 'timeoutMs'], message: 'timeout longer than the probe interval (rounds would overlap)' });
    if ((u.probe.attempts - 1) * u.probe.attemptSpacingMs >= u.probe.timeoutMs)
      ctx.addIssue({
        code: 'custom',
        path: ['probe', 'attemptSpacingMs'],
        message: 'the last attempt would start after the timeout (fewer attempts or a shorter spacing)',
      });
    if (u.standbyProbe.enabled && u.standbyProbe.intervalMs < u.probe.intervalMs)
      ctx.addIssue({
        code: 'custom',
        path: ['standbyProbe', 'intervalMs'],
        message: 'shorter than probe.intervalMs (the standby is probed at most at the full rate)',
      });
    if (u.holdDown.maxHoldMs < u.holdDown.holdMs)
      ctx.addIssue({ code: 'custom', path: ['holdDown', 'maxHoldMs'], message: 'shorter than the first hold (holdDown.holdMs)' });
    if (u.holdDown.forgetAfterMs <= 0) ctx.addIssue({ code: 'custom', path: ['holdDown', 'forgetAfterMs'], message: 'must be above 0 (e.g. "1h")' });
    if (u.probe.intervalMs <= 0) ctx.addIssue({ code: 'custom', path: ['probe', 'intervalMs'], message: 'must be above 0 (e.g. "1s")' });
  });

export type UplinksConfig = z.output<typeof uplinksSchema>;
export type UplinkConfig = UplinksConfig['links'][number];
