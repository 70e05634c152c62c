// The configuration schema: every key, its default (the spec's table) and its checks.
// A config file holds only what differs from these defaults; unknown keys are errors.
import { isIP } from 'node:net';
import { z } from 'zod';
import { duration } from './duration.js';
import { uplinksSchema } from './uplinks.js';

const pct = () => z.number().min(0).max(200);

const feedSchema = (role: 'utility' | 'generator', pickupDelay: number) =>
  z
    .object({
      role: z.enum(['utility', 'generator']).default(role),
      nominalVoltageV: z.number().positive().default(230),
      nominalFrequencyHz: z.number().positive().default(50),
      /** `measured`: voltage/frequency from a meter; `digital`: a "source available" contact. */
      sense: z.enum(['measured', 'digital']).default('measured'),
      dropoutDelayMs: duration().default(3000),
      pickupDelayMs: duration().default(pickupDelay),
    })
    .strict();

const band = (dropoutPct: number, pickupPct: number) => z.object({ dropoutPct: pct().default(dropoutPct), pickupPct: pct().default(pickupPct) }).strict();

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const windowSchema = z
  .object({
    days: z.array(z.enum(DAYS)).min(1).default(['sun']),
    start: z.string().regex(HHMM, 'must be HH:MM (24 h)').default('02:00'),
    end: z.string().regex(HHMM, 'must be HH:MM (24 h)').default('04:00'),
    timeZone: z.string().refine(validTimeZone, { message: 'unknown time zone (use an IANA name such as "Europe/Berlin" or "UTC")' }).default('UTC'),
  })
  .strict();

const powerSchema = z
  .object({
    preferred: z.enum(['A', 'B']).default('A'),
    feeds: z
      .object({ A: feedSchema('utility', 2000).prefault({}), B: feedSchema('generator', 5000).prefault({}) })
      .strict()
      .prefault({}),
    // The gap checks live on the thresholds themselves, so they are reported even when another
    // key of `power` is wrong (zod skips an object's refinements when its own keys have errors).
    thresholds: z
      .object({
        undervoltage: band(80, 90).prefault({}),
        overvoltage: band(115, 110).prefault({}),
        underfrequency: band(94, 96).prefault({}),
        overfrequency: band(106, 104).prefault({}),
      })
      .strict()
      .superRefine((t, ctx) => {
        const gap = (key: keyof typeof t, ok: boolean, hint: string) => {
          if (!ok) ctx.addIssue({ code: 'custom', path: [key], message: `dropout/pickup have no gap (${hint})` });
        };
        gap('undervoltage', t.undervoltage.pickupPct > t.undervoltage.dropoutPct, 'pickupPct must be above dropoutPct');
        gap('overvoltage', t.overvoltage.pickupPct < t.overvoltage.dropoutPct, 'pickupPct must be below dropoutPct');
        gap('underfrequency', t.underfrequency.pickupPct > t.underfrequency.dropoutPct, 'pickupPct must be above dropoutPct');
        gap('overfrequency', t.overfrequency.pickupPct < t.overfrequency.dropoutPct, 'pickupPct must be below dropoutPct');
        if (t.undervoltage.pickupPct >= t.overvoltage.pickupPct)
          ctx.addIssue({ code: 'custom', path: [], message: 'undervoltage pickup must be below overvoltage pickup (no voltage could be healthy)' });
      })
      .prefault({}),
    transfer: z
      .object({ neutralDelayMs: duration().default(500), operateTimeoutMs: duration().default(1000) })
      .strict()
      .prefault({}),
    retransfer: z
      .object({
        policy: z.enum(['auto', 'manual', 'window']).default('auto'),
        delayMs: duration().default(300_000),
        window: windowSchema.prefault({}),
      })
      .strict()
      .prefault({}),
    generator: z
      .object({
        startTimeoutMs: duration().default(30_000),
        cooldownMs: duration().default(300_000),
        /**
         * Which genset-controller engine state codes (`generator.engineState`, GenComm 1408) mean the
         * engine runs and which that it does not. The defaults follow the table Victron's driver uses for
         * real DSE modules (README "Boards"): warming up (2), running (3) and cooling down (4) are running,
         * so a long warm-up is never a fail-to-start. Any other code (15 not available) leaves the voltage to judge.
         */
        engineStates: z
          .object({
            running: z.array(z.number().int().min(0).max(65535)).default([2, 3, 4]),
            notRunning: z.array(z.number().int().min(0).max(65535)).default([0, 1, 5, 6]),
          })
          .strict()
          .refine((e) => !e.running.some((c) => e.notRunning.includes(c)), {
            message: 'a code cannot be both running and notRunning (list each engine state code once)',
          })
          .prefault({}),
      })
      .strict()
      .prefault({}),
    antiHunting: z
      .object({ maxTransfers: z.number().int().min(1).default(4), windowMs: duration().default(900_000) })
      .strict()
      .prefault({}),
    manualRevertMs: duration().default(10_000),
    /** A meter reading older than this is stale: unknown, METER_COMM_LOST. */
    meterStaleMs: duration().default(5000),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.feeds.A.role === 'generator' && p.feeds.B.role === 'generator')
      ctx.addIssue({ code: 'custom', path: ['feeds', 'B', 'role'], message: 'at most one feed can be a generator (set one role to "utility")' });
    if (p.feeds[p.preferred].role === 'generator')
      ctx.addIssue({ code: 'custom', path: ['preferred'], message: `the preferred feed ${p.preferred} is the generator (prefer the utility feed)` });
  });

const upsSchema = z
  .object({
    enabled: z.boolean().default(true),
    lowBatteryPct: pct().default(25),
    lowRuntimeS: z.number().min(0).default(300),
    /** UPS values over Modbus older than this are stale: UPS_COMM_LOST. */
    staleMs: duration().default(5000),
  })
  .strict();

const psuSchema = z
  .object({
    ids: z.array(z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ or -')).default(['1', '2', '3']),
    required: z.number().int().min(0).default(2),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.required > p.ids.length)
      ctx.addIssue({
        code: 'custom',
        path: ['required'],
        message: `${p.required} required but only ${p.ids.length} PSUs listed (lower required or list more ids)`,
      });
    if (new Set(p.ids).size !== p.ids.length) ctx.addIssue({ code: 'custom', path: ['ids'], message: 'PSU ids must be unique' });
  });

const cidr = z.string().refine(
  (s) => {
    const [addr, bits, ...rest] = s.split('/');
    if (rest.length > 0 || addr === undefined) return false;
    const family = isIP(addr);
    if (family === 0) return false;
    if (bits === undefined) return true;
    const n = Number(bits);
    return /^\d+$/.test(bits) && n >= 0 && n <= (family === 4 ? 32 : 128);
  },
  { message: 'not a network (use CIDR such as "127.0.0.1/32" or "10.20.0.0/16")' },
);

const bindAddr = z.string().refine((s) => isIP(s) !== 0, { message: 'not an IP address (e.g. "127.0.0.1" or "0.0.0.0")' });
const port = z.number().int().min(0).max(65535);

const scadaSchema = z
  .object({
    enabled: z.boolean().default(true),
    bind: bindAddr.default('127.0.0.1'),
    port: port.default(1502),
    unitId: z.number().int().min(1).max(247).default(1),
    writes: z
      .object({ allow: z.array(cidr).default([]) })
      .strict()
      .prefault({}),
    maxConnections: z.number().int().min(1).max(1024).default(8),
    idleTimeoutMs: duration().default(60_000),
    selectTimeoutMs: duration().default(10_000),
    /**
     * 0: the Modbus server runs in the controller's process. N ≥ 1: N reader processes (node:cluster)
     * share the port and answer reads from the image the controller sends after each scan; writes,
     * select-before-operate and the connection cap stay in the controller. For many SCADA clients on
     * a multi-core board: one process tops out at Node's per-process socket throughput.
     */
    readerProcesses: z.number().int().min(0).max(8).default(0),
  })
  .strict();

const httpSchema = z
  .object({
    enabled: z.boolean().default(true),
    bind: bindAddr.default('127.0.0.1'),
    port: port.default(8080),
    /** Networks allowed to POST /command and /sim besides loopback. */
    commandAllow: z.array(cidr).default([]),
    /**
     * Optional access control (every route but /healthz): a bearer token and/or basic-auth users, each
     * read from a file at start so that no secret is in the config. No cookies, hence no CSRF.
     */
    auth: z
      .object({ tokenFile: z.string().min(1).optional(), basicFile: z.string().min(1).optional() })
      .strict()
      .refine((a) => a.tokenFile !== undefined || a.basicFile !== undefined, 'give tokenFile, basicFile or both')
      .nullable()
      .default(null),
  })
  .strict();

const MiB = 1024 * 1024;

/** Journal limits; the defaults are sized for a 16 GB SD card over 10 years (README, Journal). */
const journalObject = z
  .object({
    /** A segment file is closed and a new one begun past this size. */
    segmentBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .max(1024 * MiB)
      .default(16 * MiB),
    /** Total size of all segments; the oldest are deleted beyond it. */
    maxBytes: z
      .number()
      .int()
      .min(128 * 1024)
      .default(1024 * MiB),
    /** Records waiting for the disk; beyond this they are dropped (counted), never waited for. */
    queueRecords: z.number().int().min(16).max(1_000_000).default(4096),
    /** Group commit: fsync at most this often (at once after a transfer begins, ends or fails). */
    commitMs: duration().default(1000),
  })
  .strict();

// Until 0.1 `runtime.journal` was a file path; the journal now lives under runtime.stateDir, and an
// old path is refused rather than silently ignored (an operator would look for records there).
const journalSchema = z.preprocess((v, ctx) => {
  if (typeof v !== 'string' && v !== null) return v;
  ctx.addIssue({
    code: 'custom',
    message:
      'a file path is no longer accepted (set runtime.stateDir: the journal is written to <stateDir>/journal/; runtime.journal only holds limits such as segmentBytes)',
    input: v,
  });
  return z.NEVER;
}, journalObject);

const runtimeSchema = z
  .object({
    scanPeriodMs: duration().default(100),
    /** Where the controller keeps what it writes (the journal in <stateDir>/journal/); null: nothing kept. */
    stateDir: z.string().min(1).nullable().default(null),
    journal: journalSchema.prefault({}),
  })
  .refine((r) => r.journal.segmentBytes <= r.journal.maxBytes / 2, {
    message: 'runtime.journal.segmentBytes is more than half of maxBytes (keep at least two segments: lower segmentBytes or raise maxBytes)',
    path: ['journal', 'segmentBytes'],
  })
  .strict();

/** The pass criteria of a generator test in `twinfeed report` (README, Monthly records). */
const reportSchema = z
  .object({
    /** At least this long with the load on the generator (NFPA 110 monthly test: 30 min). */
    testMinOnLoadMs: duration().default(30 * 60_000),
    /** The load on the generator within this of the start signal (NFPA 110 Type 10: 10 s). */
    testMaxTimeToLoadMs: duration().default(10_000),
  })
  .strict();

/**
 * Sparkplug B 3.0 edge node over MQTT (README, Sparkplug B). Absent: off. Secrets (the password) are
 * read from files at start so that none is in the config; ca/cert/key are PEM file paths for mqtts://.
 */
const sparkplugSchema = z
  .object({
    broker: z.string().regex(/^mqtts?:\/\/[^/\s]+$/, 'not a broker URL (e.g. "mqtt://10.0.0.5:1883" or "mqtts://broker.example:8883")'),
    groupId: z.string().regex(/^[^/+#]+$/, 'not a Sparkplug group id (no "/", "+" or "#")'),
    edgeNodeId: z.string().regex(/^[^/+#]+$/, 'not a Sparkplug edge node id (no "/", "+" or "#")'),
    primaryHostId: z
      .string()
      .regex(/^[^/+#]+$/, 'not a Sparkplug host id (no "/", "+" or "#")')
      .nullable()
      .default(null),
    username: z.string().min(1).nullable().default(null),
    passwordFile: z.string().min(1).nullable().default(null),
    ca: z.string().min(1).nullable().default(null),
    cert: z.string().min(1).nullable().default(null),
    key: z.string().min(1).nullable().default(null),
    /** Analog metrics are sent when they moved at least this far from the value last sent. */
    deadbands: z
      .object({
        voltageV: z.number().min(0).default(1),
        frequencyHz: z.number().min(0).default(0.05),
        pct: z.number().min(0).default(1),
        runtimeS: z.number().min(0).default(30),
        latencyMs: z.number().min(0).default(10),
        timerMs: z.number().min(0).default(5000),
      })
      .strict()
      .prefault({}),
    storeForward: z
      .object({
        maxBytes: z
          .number()
          .int()
          .min(64 * 1024)
          .default(64 * MiB),
      })
      .strict()
      .prefault({}),
    /** NCMD commands into the controller (off: only Node Control/Rebirth is obeyed). */
    commands: z.boolean().default(false),
  })
  .strict();

export const configSchema = z
  .object({
    site: z
      .object({ name: z.string().default('twinfeed cabinet') })
      .strict()
      .prefault({}),
    power: powerSchema.prefault({}),
    ups: upsSchema.prefault({}),
    psu: psuSchema.prefault({}),
    uplinks: uplinksSchema,
    scada: scadaSchema.prefault({}),
    http: httpSchema.prefault({}),
    runtime: runtimeSchema.prefault({}),
    report: reportSchema.prefault({}),
    sparkplug: sparkplugSchema.nullable().default(null),
  })
  .strict();

export type Config = z.output<typeof configSchema>;
export type PowerConfig = Config['power'];
export type FeedConfig = PowerConfig['feeds']['A'];
export type SparkplugConfig = NonNullable<Config['sparkplug']>;
