// The NUT driver: polls `LIST VAR <ups>` on upsd every pollMs and keeps each signal's value with
// its time. Any doubt — ERR DATA-STALE, DRIVER-NOT-CONNECTED, WAIT, a timeout, a dropped socket —
// drops the values at once: the core then sees them stale (UPS_COMM_LOST), never "last known".
import type { Logger } from 'pino';
import type { Reading, SignalName } from '../../core/types.js';
import { errorText } from '../pins.js';
import type { DriverBoard } from '../types.js';
import type { NutSection } from './board.js';
import { createNutClient, NUT_COUNTERS, NutLinkError, type NutConnect } from './client.js';
import { NutError } from './protocol.js';
import { decodeNut, isWaiting, STATUS_VAR } from './status.js';

export interface NutDeps {
  readonly logger: Logger;
  /** Default: a node:net TCP connection. */
  readonly connect?: NutConnect;
  readonly clock?: () => number;
  /** Reconnect backoff: doubles from minMs up to maxMs. */
  readonly backoff?: { readonly minMs: number; readonly maxMs: number };
}

/** What an operator should look at for each answer that leaves the readings unknown. */
const HINTS: Readonly<Record<string, string>> = {
  'DATA-STALE': "upsd has no fresh data from the UPS's driver (cable, USB, driver hung)",
  'DRIVER-NOT-CONNECTED': "the UPS's driver is not running (upsdrvctl start)",
  'UNKNOWN-UPS': 'upsd knows no UPS of that name (`upsc -l HOST` lists them): check nut.ups in the board file',
  'ACCESS-DENIED': 'upsd refuses this host (its LISTEN lines or tcp-wrappers)',
  WAIT: "upsd is still waiting for the UPS's driver to send its data",
};

export async function openNut(section: NutSection, deps: NutDeps): Promise<DriverBoard> {
  const log = deps.logger.child({ driver: 'nut', ups: `${section.ups}@${section.host}:${section.port}` });
  const clock = deps.clock ?? Date.now;
  const connect = deps.connect ?? (await import('./net.js')).netConnect;
  const client = createNutClient({ host: section.host, port: section.port, timeoutMs: section.timeoutMs, connect, clock, backoff: deps.backoff });
  const values = new Map<SignalName, { value: boolean | number; atMs: number }>();
  let badValues = 0;
  /** What keeps the readings unknown now; null before the first poll (nothing to recover from). */
  let problem: string | undefined | null = null;
  const warnedMissing = new Set<string>();

  const setProblem = (now: string | undefined, hint?: string) => {
    if (now === problem) return;
    if (now === undefined && problem !== null) log.info({ was: problem }, 'nut: UPS readings fresh again');
    else if (now !== undefined) log.warn({ problem: now, hint }, 'nut: UPS readings unknown (stale) until upsd answers again');
    problem = now;
  };

  const apply = (vars: ReadonlyMap<string, string>, atMs: number) => {
    if (isWaiting(vars.get(STATUS_VAR))) {
      values.clear();
      return setProblem('WAIT', HINTS.WAIT);
    }
    for (const sig of section.signals) {
      const text = vars.get(sig.variable);
      const value = text === undefined ? undefined : decodeNut(sig, text);
      if (value !== undefined) {
        values.set(sig.name, { value, atMs });
        continue;
      }
      values.delete(sig.name);
      badValues++;
      if (!warnedMissing.has(sig.name))
        log.warn(
          { signal: sig.name, var: sig.variable, text },
          text === undefined ? 'nut: the UPS does not report this variable' : 'nut: not a value for this signal',
        );
      warnedMissing.add(sig.name);
    }
    setProblem(undefined);
  };

  const poll = async () => {
    try {
      apply(await client.list(section.ups), clock());
    } catch (err) {
      values.clear();
      if (closed) return;
      if (err instanceof NutError) {
        return setProblem(`ERR ${err.sent}`, HINTS[err.token]);
      }
      // A refused connection and a backoff wait are the same outage to an operator: one message.
      const kind = err instanceof NutLinkError ? (err.kind === 'backoff' ? 'connect' : err.kind) : 'error';
      setProblem(kind === 'connect' ? 'upsd does not answer' : `link ${kind}`, errorText(err));
    }
  };

  let closed = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout((wake = () => (clearTimeout(timer), resolve())), Math.max(0, ms));
    });
  let firstRound = () => {};
  const first = new Promise<void>((r) => (firstRound = r));
  const loop = (async () => {
    while (!closed) {
      const startedMs = clock();
      await poll();
      firstRound();
      if (!closed) await sleep(startedMs + section.pollMs - clock());
    }
  })();
  // The first scan should see values, not a burst of stale readings: wait for one answer (or failure).
  await first;

  return {
    name: 'nut',
    inputs: section.signals.map((s) => s.name),
    outputs: [],
    read(nowMs) {
      const out = new Map<SignalName, Reading>();
      for (const sig of section.signals) {
        const v = values.get(sig.name);
        const ageMs = v ? Math.max(0, nowMs - v.atMs) : Infinity;
        out.set(sig.name, v && ageMs <= sig.staleMs ? { value: v.value, ageMs } : { value: undefined, reason: 'stale' });
      }
      return out;
    },
    write() {},
    stats: () => ({
      ...Object.fromEntries(NUT_COUNTERS.map((k) => [`nut_${k}`, client.counters[k]])),
      nut_badValues: badValues,
    }),
    async close() {
      closed = true;
      client.close();
      wake?.();
      await loop;
    },
  };
}
