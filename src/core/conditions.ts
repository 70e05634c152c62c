// Which alarm conditions hold right now, with a message for each (the alarm manager turns these
// into active/cleared events). One place, so every alarm code has exactly one rule.
import type { Config } from '../config/schema.js';
import { genNotInAuto } from './genset.js';
import { engineReport } from './genset-engine.js';
import { generatorDroppedOut } from './power/generator.js';
import type { Availability } from './power/source.js';
import { ROUTE_FAULT_SIGNAL, SPARKPLUG_FAULT_SIGNAL, STORAGE_FAULT_SIGNAL } from './signals.js';
import type { ControllerState } from './state.js';
import type { AlarmCode, FeedId, Reading, SignalName } from './types.js';

export function alarmConditions(
  cfg: Config,
  s: ControllerState,
  avail: Readonly<Record<FeedId, Availability>>,
  rateLimited: boolean,
  uplinkAlarms: ReadonlyMap<AlarmCode, string>,
  inputs: ReadonlyMap<SignalName, Reading>,
): Map<AlarmCode, string> {
  const c = new Map<AlarmCode, string>();
  const pc = cfg.power;
  const p = s.power;
  for (const f of ['A', 'B'] as const) {
    const h = p.feeds[f];
    // A stopped or starting generator is not a failed source; one that was up and dropped out is.
    const failed = pc.feeds[f].role === 'utility' ? avail[f] === 'failed' : generatorDroppedOut(p, f);
    if (failed) c.set(f === 'A' ? 'SOURCE_A_FAIL' : 'SOURCE_B_FAIL', `source ${f} failed (${h.reason})`);
  }
  const quiet = (['A', 'B'] as const).filter((f) => p.feeds[f].commLost);
  if (quiet.length > 0) c.set('METER_COMM_LOST', `no fresh measurement from feed ${quiet.join(' and ')}`);
  if (p.transfer.kind === 'lockout') c.set(p.transfer.reason, p.transfer.detail);
  const unread = (['A', 'B'] as const).filter((f) => p.feedback[f] === null);
  if (unread.length > 0)
    c.set(
      'BREAKER_FEEDBACK_LOST',
      `no fresh position feedback from breaker ${unread.join(' and ')}: the load stays where it is and no transfer begins until it is back (check the I/O module and its link)`,
    );
  if (s.interlockBlocked) c.set('INTERLOCK_BLOCKED', `interlock refused a close command (${s.interlockBlocked})`);
  const engine = engineReport(inputs, pc.generator.engineStates);
  if (p.generator.kind === 'failed')
    c.set(
      'GEN_FAIL_TO_START',
      engine.failToStart ? 'generator controller reports fail to start' : `generator did not come up within ${pc.generator.startTimeoutMs} ms`,
    );
  const notInAuto = genNotInAuto(inputs);
  if (notInAuto !== undefined) c.set('GEN_NOT_IN_AUTO', notInAuto);
  if (engine.shutdowns.length > 0)
    c.set('GEN_SHUTDOWN', `generator controller reports ${engine.shutdowns.join(', ')}: the set will not run until reset at the set`);
  if (rateLimited)
    c.set('TRANSFER_RATE_LIMIT', `${pc.antiHunting.maxTransfers} transfers within ${pc.antiHunting.windowMs} ms: automatic retransfer suspended`);
  if (cfg.ups.enabled) {
    if (!s.ups.comm) c.set('UPS_COMM_LOST', 'no fresh status from the UPS');
    if (s.ups.onBattery) c.set('UPS_ON_BATTERY', 'UPS is on battery');
    if (s.ups.lowBattery) c.set('UPS_LOW_BATTERY', `UPS battery low (${s.ups.chargePct ?? '?'} %, ${s.ups.runtimeS ?? '?'} s)`);
    if (s.ups.fault) c.set('UPS_FAULT', 'UPS reports a fault');
  }
  if (s.psu) {
    const { okIds, state } = s.psu;
    if (state !== 'redundant') c.set('PSU_REDUNDANCY_LOST', `${okIds.length} of ${cfg.psu.ids.length} DC supplies OK, ${cfg.psu.required} required`);
    if (state === 'insufficient') c.set('PSU_CAPACITY_LOST', `only ${okIds.length} DC supplies OK, ${cfg.psu.required} required`);
  }
  if (p.retransferPending && pc.retransfer.policy === 'manual' && !p.approved && p.mode === 'auto') {
    c.set('RETRANSFER_PENDING_APPROVAL', `source ${pc.preferred} is back: retransfer waits for approveRetransfer`);
  }
  for (const [code, msg] of uplinkAlarms) c.set(code, msg);
  if (inputs.get(ROUTE_FAULT_SIGNAL)?.value === true) c.set('UPLINK_ROUTE_FAULT', 'switching the uplink route failed (see the uplink log); retrying');
  // Storage never stops control: the runtime reports it as an input and the alarm is all it does.
  if (inputs.get(STORAGE_FAULT_SIGNAL)?.value === true)
    c.set('STORAGE_FAULT', 'the journal under runtime.stateDir cannot be written (records are dropped and counted; control goes on)');
  // Like storage: reporting to the fleet's broker failing never stops control, it is only reported.
  if (inputs.get(SPARKPLUG_FAULT_SIGNAL)?.value === true)
    c.set('SPARKPLUG_FAULT', 'the Sparkplug broker refuses this node or cannot be reached (see the sparkplug log; changes are stored; control goes on)');
  return c;
}
