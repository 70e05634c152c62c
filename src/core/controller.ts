// One scan of the controller: readings + requests → next state, the FULL output image (gated by the
// interlock), events and the next deadline. Pure: time is `snap.nowMs`, nothing else is read.
import type { Config } from '../config/schema.js';
import { activeAlarms, stepAlarms } from './alarms.js';
import { alarmConditions, generatorDroppedOut } from './conditions.js';
import { applyCommands, endTest, type CommandContext, type Draft } from './commands.js';
import { gatedImage } from './image.js';
import { generatorDeadline, startOutput, stepGenerator } from './power/generator.js';
import { decide } from './power/policy.js';
import { stepFeeds } from './power/feeds.js';
import { availability, type Availability } from './power/source.js';
import { adoptPosition, commands, position, stepTransfer, transferDeadline, type Feedback } from './power/transfer.js';
import { nextMinute } from './power/window.js';
import { stepPsu } from './psu.js';
import { initialState, type ControllerState } from './state.js';
import { type ControllerEvent, type FeedId, type Request, type SignalName, type Snapshot } from './types.js';
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

export const generatorFeed = (cfg: Config): FeedId | null =>
  cfg.power.feeds.A.role === 'generator' ? 'A' : cfg.power.feeds.B.role === 'generator' ? 'B' : null;

export function step(cfg: Config, prev: ControllerState, snap: Snapshot, requests: readonly Request[]): StepResult {
  const now = snap.nowMs;
  const pc = cfg.power;
  const P = pc.preferred;
  const d: Draft = { ...prev };
  const events: ControllerEvent[] = [];
  const deadlines: (number | undefined)[] = [];
  const fb = feedbackOf(snap);
  d.feedback = fb;

  // 1. Source health (adopted at once on the first scan: bumpless boot).
  d.feeds = stepFeeds(pc, prev.booted ? prev.feeds : null, snap.inputs, now, events, deadlines);
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
  const conditions = alarmConditions(cfg, d, avail, rateLimited, up.alarms, snap.inputs);
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
