// One scan of the controller: readings + requests → next state, the FULL output image (gated by the
// interlock), events and the next deadline. Pure: time is `snap.nowMs`, nothing else is read.
import type { Config } from '../config/schema.js';
import { activeAlarms, stepAlarms } from './alarms.js';
import { alarmConditions, generatorDroppedOut } from './conditions.js';
import { applyCommands, endTest, type CommandContext, type Draft } from './commands.js';
import { CLOSE_CMD, gate } from './interlock.js';
import { generatorDeadline, startOutput, stepGenerator } from './power/generator.js';
import { decide } from './power/policy.js';
import { availability, bootHealth, healthDeadline, stepHealth, type Availability, type SourceReadings } from './power/source.js';
import { adoptPosition, commands, position, stepTransfer, transferDeadline, type Feedback } from './power/transfer.js';
import { nextMinute } from './power/window.js';
import { stepPsu } from './psu.js';
import { initialState, type ControllerState } from './state.js';
import { FEEDS, other, type ControllerEvent, type FeedId, type Reading, type Request, type SignalName, type Snapshot } from './types.js';
import { stepUps } from './ups.js';
import { stepUplinks } from './uplink/index.js';

export interface StepResult {
  readonly state: ControllerState;
  readonly outputs: ReadonlyMap<SignalName, boolean>;
  readonly events: readonly ControllerEvent[];
  readonly nextDeadlineMs: number | undefined;
  /**
   * True when the uplink part allows good probe rounds to arrive late, in a batch (see
   * UplinkStepResult.probesBatchable); `steadyDeadlineMs` is then the deadline to keep instead of
   * `nextDeadlineMs`, as long as only good rounds come in.
   */
  readonly probesBatchable?: boolean;
  readonly steadyDeadlineMs?: number | undefined;
}

export { initialState };

const FB_SIGNAL = { A: 'breaker.A.closedFb', B: 'breaker.B.closedFb' } as const;
const METER_SIGNALS = {
  A: ['feed.A.voltage', 'feed.A.frequency', 'feed.A.available'],
  B: ['feed.B.voltage', 'feed.B.frequency', 'feed.B.available'],
} as const;
/** `readingsOf` with the signal names built once (a name built per scan costs a string and its hash). */
const readingsFor = (inputs: ReadonlyMap<SignalName, Reading>, f: FeedId): SourceReadings => {
  const [v, hz, avail] = METER_SIGNALS[f];
  return { voltage: inputs.get(v), frequency: inputs.get(hz), available: inputs.get(avail) };
};
const UPS_FRESH_SIGNALS = ['ups.onBattery', 'ups.chargePct'] as const;
const ROUTE_FAULT = 'uplink.routeFault';

const feedbackOf = (snap: Snapshot): Feedback => {
  const a = snap.inputs.get(FB_SIGNAL.A)?.value;
  const b = snap.inputs.get(FB_SIGNAL.B)?.value;
  return { A: typeof a === 'boolean' ? a : null, B: typeof b === 'boolean' ? b : null };
};

const carrierSignals = new Map<string, string>();
const carrierSignal = (id: string) => {
  let s = carrierSignals.get(id);
  if (s === undefined) carrierSignals.set(id, (s = `uplink.${id}.carrier`));
  return s;
};

const NONE: readonly never[] = Object.freeze([]);
const NO_COMMANDS: ReturnType<typeof applyCommands> = Object.freeze({ ack: false, uplink: NONE as never[] });

/** The gated output image for one combination of wanted outputs and feedback (shared, never mutated). */
interface Gated {
  /** The interlock's reasons for blocking a close command, or null. */
  readonly blocked: string | null;
  readonly withCommon: ReadonlyMap<SignalName, boolean>;
  readonly withoutCommon: ReadonlyMap<SignalName, boolean>;
}

// Output images are few (breaker commands × generator × uplink image × feedback): build each once. The
// uplink part is itself a shared map (see uplink/outputs.ts), so it keys the cache by identity.
const gatedCache = new WeakMap<ReadonlyMap<SignalName, boolean>, Map<string, Gated>>();

function gatedImage(a: boolean, b: boolean, genStart: boolean | undefined, uplinkImage: ReadonlyMap<SignalName, boolean>, fb: Feedback): Gated {
  const key = `${a ? 1 : 0}${b ? 1 : 0}${genStart === undefined ? '-' : genStart ? 1 : 0}${fb.A === null ? 'n' : fb.A ? 1 : 0}${fb.B === null ? 'n' : fb.B ? 1 : 0}`;
  let perUplink = gatedCache.get(uplinkImage);
  if (!perUplink) gatedCache.set(uplinkImage, (perUplink = new Map()));
  const hit = perUplink.get(key);
  if (hit) return hit;
  const image = new Map<SignalName, boolean>([
    [CLOSE_CMD.A, a],
    [CLOSE_CMD.B, b],
  ]);
  if (genStart !== undefined) image.set('generator.start', genStart);
  for (const [k, v] of uplinkImage) image.set(k, v);
  const gated = gate(image, fb);
  const withCommon = new Map(gated.image);
  withCommon.set('alarm.common', true);
  const withoutCommon = new Map(gated.image);
  withoutCommon.set('alarm.common', false);
  const g: Gated = {
    blocked: gated.blocked.length > 0 ? gated.blocked.map((x) => `${x.feed}: ${x.why}`).join('; ') : null,
    withCommon,
    withoutCommon,
  };
  perUplink.set(key, g);
  return g;
}

export const generatorFeed = (cfg: Config): FeedId | null =>
  cfg.power.feeds.A.role === 'generator' ? 'A' : cfg.power.feeds.B.role === 'generator' ? 'B' : null;

export function step(cfg: Config, prev: ControllerState, snap: Snapshot, requests: readonly Request[]): StepResult {
  const now = snap.nowMs;
  const pc = cfg.power;
  const P = pc.preferred;
  const Q = other(P);
  const d: Draft = { ...prev };
  const events: ControllerEvent[] = [];
  const deadlines: (number | undefined)[] = [];
  const fb = feedbackOf(snap);
  d.feedback = fb;

  // 1. Source health (adopted at once on the first scan: bumpless boot).
  let feeds = prev.feeds;
  for (const f of FEEDS) {
    const r = readingsFor(snap.inputs, f);
    const before = prev.booted ? prev.feeds[f] : null;
    const h = before ? stepHealth(before, r, pc.feeds[f], pc, now) : bootHealth(r, pc.feeds[f], pc, now);
    // Copy-on-write: an unchanged health keeps the previous feeds object.
    if (h !== feeds[f]) feeds = { ...feeds, [f]: h };
    d.feeds = feeds;
    const changed = !before || (before !== h && availability(before) !== availability(h) || (before.commLost ? 'comm' : before.reason) !== (h.commLost ? 'comm' : h.reason));
    if (changed) {
      events.push({ type: 'source', source: f, available: availability(h) === 'available', reason: h.commLost ? 'comm' : h.reason });
    }
    deadlines.push(healthDeadline(h, pc.feeds[f]));
    for (const s of METER_SIGNALS[f]) {
      const rd = snap.inputs.get(s);
      // A reading refreshed this very instant (age 0) needs no wake-up: the scan period (or, in the
      // simulator, the plant's own tick while a meter is quiet) brings the next look.
      if (rd && rd.value !== undefined && rd.ageMs > 0 && rd.ageMs <= pc.meterStaleMs) deadlines.push(now + pc.meterStaleMs - rd.ageMs + 1);
    }
  }
  if (!prev.booted) {
    d.booted = true;
    d.transfer = adoptPosition(fb, now);
    if (d.transfer.kind === 'lockout') events.push({ type: 'lockout', active: true, reason: d.transfer.detail });
  }
  const avail: Record<FeedId, Availability> = { A: availability(d.feeds.A), B: availability(d.feeds.B) };
  const pos = () => position(d.transfer);

  // UPS before the decisions: its on-battery flag is evidence about the feed in use.
  const ups = stepUps(d.ups, snap.inputs, cfg.ups);
  d.ups = ups.state;
  if (ups.events.length > 0) events.push(...ups.events);
  for (const s of UPS_FRESH_SIGNALS) {
    const rd = snap.inputs.get(s);
    if (rd && rd.value !== undefined && rd.ageMs > 0 && rd.ageMs <= cfg.ups.staleMs) deadlines.push(now + cfg.ups.staleMs - rd.ageMs + 1);
  }

  // 2. Operator commands.
  const ctx = (): CommandContext => ({ nowMs: now, avail, position: pos(), feedback: fb });
  const cmd = requests.length === 0 ? NO_COMMANDS : applyCommands(cfg, d, requests, ctx(), events);

  // 3. Test run: ends on time, or at once on a failure during the test.
  const G = generatorFeed(cfg);
  if (d.test) {
    const failure = avail[P] === 'failed' || d.generator.kind === 'failed' || (G !== null && generatorDroppedOut(d, G));
    if (failure || now >= d.test.endsAtMs) {
      endTest(d, cfg, ctx());
      events.push({ type: 'mode', mode: 'auto' });
    } else deadlines.push(d.test.endsAtMs);
  }

  // 4. Evidence beats silence: the feed in use has a quiet meter and the UPS says the output is dead.
  const x = pos();
  const upsSaysDead = d.ups.comm && d.ups.onBattery;
  const live = snap.inputs.get('load.live');
  const dead = upsSaysDead || (live?.value === false);
  d.evidenceSinceMs = x !== 'none' && avail[x] === 'unknown' && dead ? (prev.evidenceSinceMs ?? now) : null;
  const evidence = x !== 'none' && d.evidenceSinceMs !== null && now - d.evidenceSinceMs >= pc.feeds[x].dropoutDelayMs;
  if (d.evidenceSinceMs !== null && !evidence && x !== 'none') deadlines.push(d.evidenceSinceMs + pc.feeds[x].dropoutDelayMs);

  // 5. Anti-hunting window.
  const oldest = d.transferTimesMs[0];
  if (oldest !== undefined && !(oldest > now - pc.antiHunting.windowMs)) d.transferTimesMs = d.transferTimesMs.filter((t) => t > now - pc.antiHunting.windowMs);
  const rateLimited = d.transferTimesMs.length >= pc.antiHunting.maxTransfers;
  // The oldest transfer leaves the window exactly when `now - windowMs` reaches it (see the filter above).
  if (d.transferTimesMs.length > 0) deadlines.push((d.transferTimesMs[0] as number) + pc.antiHunting.windowMs);

  // 6. Policy → desire → transfer machine (a few transitions may happen in one scan).
  const pAvailSince = avail[P] === 'available' ? Math.max(d.feeds[P].sinceMs, d.feeds[P].trustedSinceMs, d.autoSinceMs) : null;
  const pol = decide(
    pc,
    {
      mode: d.mode,
      position: x,
      avail,
      inUseDeadByEvidence: evidence,
      preferredStableSinceMs: pAvailSince,
      approved: d.approved,
      rateLimited,
      test: d.test,
      manualTarget: d.manualTarget,
      testReturn: d.testReturn,
    },
    now,
  );
  d.retransferPending = pol.retransferPending;
  d.retransferAtMs = pol.retransferAtMs;
  if (pol.retransferAtMs !== null && pol.retransferAtMs > now) deadlines.push(pol.retransferAtMs);
  if (pc.retransfer.policy === 'window' && pol.retransferPending) deadlines.push(nextMinute(now));
  const wasLockout = d.transfer.kind === 'lockout';
  for (let i = 0; i < 4; i++) {
    const r = stepTransfer(d.transfer, fb, pol.desire, pc, now);
    if (r.events.length > 0) events.push(...r.events);
    if (r.began && pol.desire) {
      d.transferTimesMs = [...d.transferTimesMs, now];
      d.lastTransferReason = pol.desire.reason;
    }
    if (r.completed) {
      d.transferCount += 1;
      d.manualTarget = null;
      if (r.completed.to === P) [d.approved, d.testReturn] = [false, false];
    }
    const changed = r.state !== d.transfer;
    d.transfer = r.state;
    if (!changed) break;
  }
  if (d.transfer.kind === 'lockout' && !wasLockout) events.push({ type: 'lockout', active: true, reason: d.transfer.detail });
  if (pos() === P) d.testReturn = false;
  deadlines.push(transferDeadline(d.transfer, pc));

  // 7. Generator.
  if (G) {
    const t = d.transfer;
    const heading = (t.kind === 'opening' || t.kind === 'neutral' || t.kind === 'closing') && t.to === G;
    const demand = d.test !== null || pos() === G || heading || avail[P] === 'failed' || evidence;
    const h = d.feeds[G];
    const voltageUp = !h.commLost && (h.healthy || h.pendingReason === 'ok');
    const g = stepGenerator(d.generator, demand, voltageUp, pc, now);
    d.generator = g.state;
    if (g.events.length > 0) events.push(...g.events);
    deadlines.push(generatorDeadline(d.generator, pc));
  }

  // 8. Manual mode reverts to auto when the load has been dead too long (UL 1008 inhibit rule).
  const p2 = pos();
  const outputDead = p2 === 'none' || avail[p2] === 'failed';
  d.deadSinceMs = outputDead ? (prev.deadSinceMs ?? now) : null;
  if (d.mode === 'manual' && d.deadSinceMs !== null) {
    if (now - d.deadSinceMs >= pc.manualRevertMs) {
      d.mode = 'auto';
      d.autoSinceMs = now;
      d.manualTarget = null;
      events.push({ type: 'mode', mode: 'auto' });
    } else deadlines.push(d.deadSinceMs + pc.manualRevertMs);
  }

  // 9. PSUs, uplinks.
  const psu = stepPsu(d.psu, snap.inputs, cfg.psu);
  d.psu = psu.state;
  if (psu.events.length > 0) events.push(...psu.events);
  const up = stepUplinks(cfg.uplinks, d.uplink, {
    nowMs: now,
    carrier: (id) => snap.inputs.get(carrierSignal(id)),
    probes: snap.probes ?? NONE,
    commands: cmd.uplink.length === 0 ? NONE : cmd.uplink.map((r) => r.command),
  });
  d.uplink = up.state;
  cmd.uplink.forEach((r, i) => {
    const v = up.verdicts[i] ?? { accepted: false, reason: 'no verdict' };
    const ev: ControllerEvent = { type: 'command', name: r.command.name, accepted: v.accepted };
    if (!v.accepted) ev.reason = v.reason ?? 'refused';
    if (r.origin !== undefined) ev.origin = r.origin;
    events.push(ev);
  });
  if (up.events.length > 0) events.push(...up.events);

  // 10. Output image → interlock gate.
  const cmdImage = commands(d.transfer);
  const gated = gatedImage(cmdImage.A, cmdImage.B, G ? startOutput(d.generator) : undefined, up.outputs, fb);
  d.interlockBlocked = gated.blocked;

  // 11. Alarms, then the common-alarm output.
  const conditions = alarmConditions(cfg, d, avail, rateLimited, up.alarms);
  if (snap.inputs.get(ROUTE_FAULT)?.value === true) conditions.set('UPLINK_ROUTE_FAULT', 'switching the uplink route failed (see the uplink log); retrying');
  const al = stepAlarms(d.alarms, conditions, cmd.ack, now);
  d.alarms = al.state;
  if (al.events.length > 0) events.push(...al.events);
  const common = activeAlarms(d.alarms).some((c) => !d.alarms[c]?.acked);
  const out = common ? gated.withCommon : gated.withoutCommon;

  // 12. Output events (changes of the written image).
  if (out !== prev.outputs) {
    for (const [name, on] of out) {
      if (prev.outputs.get(name) !== on) events.push({ type: 'output', name, on });
    }
  }
  d.outputs = out;

  let base: number | undefined;
  for (const t of deadlines) if (t !== undefined && t > now && (base === undefined || t < base)) base = t;
  const withUplinks = (u: number | undefined) => (u !== undefined && u > now && (base === undefined || u < base) ? u : base);
  return {
    state: d,
    outputs: out,
    events,
    nextDeadlineMs: withUplinks(up.nextDeadlineMs),
    probesBatchable: up.probesBatchable,
    steadyDeadlineMs: withUplinks(up.steadyDeadlineMs),
  };
}
