// The open-transition transfer machine: every state, FAIL_TO_OPEN / FAIL_TO_CLOSE lockout, POSITION_MISMATCH, neutral delay, lockout reset.
import { describe, expect, it } from 'vitest';
import {
  adoptPosition,
  commands,
  position,
  resetLockout,
  stepTransfer,
  transferDeadline,
  type Feedback,
  type TransferState,
} from '../../src/core/power/transfer.js';
import { runScenario } from '../../sim/runner.js';
import { parseScenario } from '../../sim/scenario.js';
import { DEFAULTS, POWER_ONLY, rig } from './fixtures.js';

const pc = DEFAULTS.power;
const fb = (A: boolean | null, B: boolean | null): Feedback => ({ A, B });
const toB = { to: 'B', reason: 'sourceFail' } as const;

describe('closed', () => {
  const closedA: TransferState = { kind: 'closed', on: 'A' };
  it('stays closed with matching feedback and no wish', () => {
    const r = stepTransfer(closedA, fb(true, false), null, pc, 1000);
    expect(r.state).toBe(closedA);
    expect(r.events).toEqual([]);
    expect(commands(r.state)).toEqual({ A: true, B: false });
  });
  it('a wish for B begins a transfer: opening A, transfer.begin from A to B', () => {
    const r = stepTransfer(closedA, fb(true, false), toB, pc, 1000);
    expect(r.state).toMatchObject({ kind: 'opening', from: 'A', to: 'B', sinceMs: 1000 });
    expect(r.events).toEqual([{ type: 'transfer.begin', from: 'A', to: 'B', reason: 'sourceFail' }]);
    expect(r.began).toBe(true);
    expect(commands(r.state)).toEqual({ A: false, B: false });
  });
  it('A opening without a command → POSITION_MISMATCH lockout with nothing held closed', () => {
    const r = stepTransfer(closedA, fb(false, false), null, pc, 1000);
    expect(r.state).toMatchObject({ kind: 'lockout', reason: 'POSITION_MISMATCH', hold: { A: false, B: false } });
  });
  it('A feedback unknown → stays closed on A (unknown is not open), and no transfer begins until both positions are back', () => {
    for (const f of [fb(null, false), fb(true, null), fb(null, null)]) {
      expect(stepTransfer(closedA, f, null, pc, 1000).state).toBe(closedA);
      expect(stepTransfer(closedA, f, toB, pc, 1000)).toEqual({ state: closedA, events: [] });
    }
    expect(stepTransfer(closedA, fb(true, false), toB, pc, 1100).state).toMatchObject({ kind: 'opening', from: 'A', to: 'B' });
  });
  it('open with a position unknown → no transfer begins either', () => {
    const open: TransferState = { kind: 'open', sinceMs: 0 };
    expect(stepTransfer(open, fb(null, false), toB, pc, 1000)).toEqual({ state: open, events: [] });
    expect(stepTransfer(open, fb(false, false), toB, pc, 1000).state).toMatchObject({ kind: 'closing', to: 'B' });
  });
  it('B showing closed without a command → POSITION_MISMATCH lockout', () => {
    const r = stepTransfer(closedA, fb(true, true), null, pc, 1000);
    expect(r.state).toMatchObject({ kind: 'lockout', reason: 'POSITION_MISMATCH' });
    expect((r.state as Extract<TransferState, { kind: 'lockout' }>).detail).toMatch(/B shows closed/);
  });
});

describe('opening', () => {
  const opening: TransferState = { kind: 'opening', from: 'A', to: 'B', sinceMs: 1000, beganMs: 1000, reason: 'sourceFail' };
  it('A confirmed open → neutral, counting from now', () => {
    const r = stepTransfer(opening, fb(false, false), toB, pc, 1060);
    expect(r.state).toMatchObject({ kind: 'neutral', to: 'B', sinceMs: 1060, beganMs: 1000 });
  });
  it('A still closed at 999 ms → waits; at 1000 ms (operate timeout) → FAIL_TO_OPEN lockout', () => {
    expect(stepTransfer(opening, fb(true, false), toB, pc, 1999).state).toBe(opening);
    const r = stepTransfer(opening, fb(true, false), toB, pc, 2000);
    expect(r.state).toMatchObject({ kind: 'lockout', reason: 'FAIL_TO_OPEN', hold: { A: false, B: false } });
    expect(r.events).toEqual([{ type: 'transfer.fail', to: 'B', reason: 'FAIL_TO_OPEN' }]);
    expect(commands(r.state)).toEqual({ A: false, B: false });
  });
  it('the target showing closed while the source opens → POSITION_MISMATCH', () => {
    expect(stepTransfer(opening, fb(true, true), toB, pc, 1100).state).toMatchObject({ kind: 'lockout', reason: 'POSITION_MISMATCH' });
  });
  it('deadline is the operate timeout', () => {
    expect(transferDeadline(opening, pc)).toBe(2000);
  });
});

describe('neutral', () => {
  const neutral: TransferState = { kind: 'neutral', to: 'B', sinceMs: 2000, beganMs: 1000, reason: 'sourceFail' };
  it('holds both open for the 500 ms neutral delay', () => {
    const r = stepTransfer(neutral, fb(false, false), toB, pc, 2499);
    expect(r.state).toBe(neutral);
    expect(commands(r.state)).toEqual({ A: false, B: false });
    expect(transferDeadline(neutral, pc)).toBe(2500);
  });
  it('at 500 ms → closing B', () => {
    const r = stepTransfer(neutral, fb(false, false), toB, pc, 2500);
    expect(r.state).toMatchObject({ kind: 'closing', to: 'B', sinceMs: 2500, beganMs: 1000 });
    expect(commands(r.state)).toEqual({ A: false, B: true });
  });
  it('re-targets at the end of the delay if the wish changed', () => {
    expect(stepTransfer(neutral, fb(false, false), { to: 'A', reason: 'restore' }, pc, 2500).state).toMatchObject({ kind: 'closing', to: 'A' });
  });
  it('with target none and no wish → open', () => {
    const n: TransferState = { ...neutral, to: 'none' };
    expect(stepTransfer(n, fb(false, false), null, pc, 2500).state).toMatchObject({ kind: 'open' });
  });
  it('a breaker showing closed during the delay → POSITION_MISMATCH', () => {
    expect(stepTransfer(neutral, fb(true, false), toB, pc, 2100).state).toMatchObject({ kind: 'lockout', reason: 'POSITION_MISMATCH' });
  });
});

describe('closing', () => {
  const closing: TransferState = { kind: 'closing', to: 'B', sinceMs: 2500, beganMs: 1000, reason: 'sourceFail' };
  it('B confirmed closed → closed on B, transfer.end with durationMs from begin', () => {
    const r = stepTransfer(closing, fb(false, true), null, pc, 2560);
    expect(r.state).toEqual({ kind: 'closed', on: 'B' });
    expect(r.events).toEqual([{ type: 'transfer.end', to: 'B', durationMs: 1560 }]);
    expect(r.completed).toEqual({ to: 'B', reason: 'sourceFail' });
  });
  it('B not closed at 1 s → FAIL_TO_CLOSE lockout, B command dropped', () => {
    expect(stepTransfer(closing, fb(false, false), null, pc, 3499).state).toBe(closing);
    const r = stepTransfer(closing, fb(false, false), null, pc, 3500);
    expect(r.state).toMatchObject({ kind: 'lockout', reason: 'FAIL_TO_CLOSE' });
    expect(r.events).toEqual([{ type: 'transfer.fail', to: 'B', reason: 'FAIL_TO_CLOSE' }]);
    expect(commands(r.state)).toEqual({ A: false, B: false });
  });
  it('the other breaker showing closed → POSITION_MISMATCH', () => {
    expect(stepTransfer(closing, fb(true, false), null, pc, 2600).state).toMatchObject({ kind: 'lockout', reason: 'POSITION_MISMATCH' });
  });
});

describe('open', () => {
  it('a wish after a long dead period closes at once (neutral delay already served)', () => {
    const r = stepTransfer({ kind: 'open', sinceMs: 0 }, fb(false, false), { to: 'A', reason: 'restore' }, pc, 10_000);
    expect(r.state).toMatchObject({ kind: 'closing', to: 'A' });
    expect(r.events).toEqual([{ type: 'transfer.begin', from: 'none', to: 'A', reason: 'restore' }]);
  });
  it('a wish within 500 ms of opening waits out the neutral delay', () => {
    const r = stepTransfer({ kind: 'open', sinceMs: 9800 }, fb(false, false), { to: 'A', reason: 'restore' }, pc, 10_000);
    expect(r.state).toMatchObject({ kind: 'neutral', to: 'A', sinceMs: 9800 });
  });
  it('a breaker closing by itself → POSITION_MISMATCH', () => {
    expect(stepTransfer({ kind: 'open', sinceMs: 0 }, fb(false, true), null, pc, 100).state).toMatchObject({ kind: 'lockout', reason: 'POSITION_MISMATCH' });
  });
});

describe('lockout holds and only an operator reset leaves it', () => {
  const lock: TransferState = { kind: 'lockout', reason: 'FAIL_TO_OPEN', detail: 'x', sinceMs: 0, hold: { A: false, B: false } };
  it('stays in lockout whatever the feedback and wish', () => {
    for (const f of [fb(true, false), fb(false, true), fb(false, false), fb(null, null)]) {
      expect(stepTransfer(lock, f, toB, pc, 1e9).state).toBe(lock);
    }
  });
  it('reset adopts the present position: A closed → closed on A', () => {
    expect(resetLockout(lock, fb(true, false), 5000)).toEqual({ state: { kind: 'closed', on: 'A' } });
  });
  it('reset adopts B closed → closed on B', () => {
    expect(resetLockout(lock, fb(false, true), 5000).state).toEqual({ kind: 'closed', on: 'B' });
  });
  it('reset with both open → open since now (the neutral delay restarts)', () => {
    expect(resetLockout(lock, fb(false, false), 5000).state).toEqual({ kind: 'open', sinceMs: 5000 });
  });
  it('reset refused with both closed', () => {
    const r = resetLockout(lock, fb(true, true), 5000);
    expect(r.state).toBe(lock);
    expect(r.refused).toMatch(/both breakers show closed/);
  });
  it('reset refused with feedback missing', () => {
    expect(resetLockout(lock, fb(null, false), 5000).refused).toMatch(/feedback is missing/);
  });
  it('reset refused when not locked out', () => {
    expect(resetLockout({ kind: 'closed', on: 'A' }, fb(true, false), 5000).refused).toBe('not locked out');
  });
});

describe('boot adopts the present position (bumpless)', () => {
  it.each([
    [true, false, { kind: 'closed', on: 'A' }],
    [false, true, { kind: 'closed', on: 'B' }],
    [false, false, { kind: 'open', sinceMs: -Infinity }],
    [null, null, { kind: 'open', sinceMs: -Infinity }],
  ] as const)('A=%s B=%s → %j', (a, b, want) => {
    expect(adoptPosition(fb(a, b), 0)).toEqual(want);
  });
  it('both closed → POSITION_MISMATCH lockout holding nothing', () => {
    const s = adoptPosition(fb(true, true), 0);
    expect(s).toMatchObject({ kind: 'lockout', reason: 'POSITION_MISMATCH', hold: { A: false, B: false } });
    expect(position(s)).toBe('none');
  });
  it('via step(): A closed at boot → A stays commanded closed from the first scan, no transfer', () => {
    const r = rig();
    const res = r.scan(0);
    expect(res.outputs.get('breaker.A.closeCmd')).toBe(true);
    expect(res.outputs.get('breaker.B.closeCmd')).toBe(false);
    expect(r.of('transfer.begin')).toEqual([]);
  });
  it('via step(): B closed at boot with A healthy → stays on B (no bump), retransfer only after the 5 min delay', () => {
    const r = rig(undefined, { 'breaker.A.closedFb': false, 'breaker.B.closedFb': true, 'feed.B.voltage': 230, 'feed.B.frequency': 50 });
    r.run(0, 299_000, {}, 1000);
    expect(r.of('transfer.begin')).toEqual([]);
    expect(r.last?.outputs.get('breaker.B.closeCmd')).toBe(true);
    r.scan(300_000);
    expect(r.of('transfer.begin')).toEqual([expect.objectContaining({ from: 'B', to: 'A', reason: 'retransfer', t: 300_000 })]);
  });
});

describe('an unknown position of the OPEN breaker', () => {
  // Regression (design conflict, resolved in the gate: holding a confirmed-closed breaker needs no proof the other is open, design.md §1 "a restart never opens a closed breaker" vs the gate rule): when
  // B's closed-feedback is not readable on the first scan, the gate drops A's close command, so the
  // restart opens the closed breaker A (load on UPS) and recloses it when B's reading arrives.
  // Input: boot with breaker.A.closedFb=true, breaker.B.closedFb absent, A healthy → image A=false.
  it('boot with B feedback not yet readable keeps A closed (bumpless boot)', () => {
    const r = rig(POWER_ONLY, { 'breaker.B.closedFb': undefined });
    expect(r.scan(0).outputs.get('breaker.A.closeCmd')).toBe(true);
  });

  // Regression: the same at run time ended in a lockout blamed on A: B's feedback goes unknown for one scan →
  // the gate opens A → the contactor follows → the machine sees "breaker A opened without a command"
  // → POSITION_MISMATCH lockout with the load dead, although nothing but a reading of B was lost.
  // Input: closed on A; one scan with breaker.B.closedFb stale; next scan A fb false, B fb false.
  it('one stale reading of the open breaker B does not lock out the load on A', () => {
    const r = rig(POWER_ONLY);
    r.run(0, 1000, {}, 100);
    r.scan(1100, { 'breaker.B.closedFb': null });
    r.scan(1200, { 'breaker.A.closedFb': r.last?.outputs.get('breaker.A.closeCmd') === true });
    expect(r.state.power.transfer.kind).toBe('closed');
    expect(r.of('lockout')).toEqual([]);
  });
});

describe('an I/O module that goes silent (both breaker contacts unreadable)', () => {
  const silent = { 'breaker.A.closedFb': null, 'breaker.B.closedFb': null } as const;
  const closeA = (r: ReturnType<typeof rig>) => r.last?.outputs.get('breaker.A.closeCmd');
  const active = (r: ReturnType<typeof rig>) =>
    r
      .of('alarm')
      .filter((a) => a.code === 'BREAKER_FEEDBACK_LOST')
      .map((a) => [a.t, a.active]);

  // Regression: 5 s of a silent Modbus I/O module locked out (POSITION_MISMATCH "breaker A opened
  // without a command") and the gate dropped A's close command: when the module answered again, A was
  // opened and nothing reclosed it. The load went to the UPS until someone reset the lockout.
  it('keeps A commanded closed, locks nothing out, raises BREAKER_FEEDBACK_LOST and clears it when the module is back', () => {
    const r = rig(POWER_ONLY);
    r.run(0, 1000);
    for (let t = 1100; t <= 6000; t += 100) {
      r.scan(t, silent);
      expect(closeA(r), `t=${t}`).toBe(true);
    }
    r.run(6100, 8000);
    expect(closeA(r)).toBe(true);
    expect(r.state.power.transfer).toEqual({ kind: 'closed', on: 'A' });
    expect(r.of('lockout')).toEqual([]);
    expect(r.of('output').filter((o) => o.name.startsWith('breaker.') && o.t > 0)).toEqual([]);
    expect(active(r)).toEqual([
      [1100, true],
      [6100, false],
    ]);
  });

  it('begins no transfer while it cannot see the breakers, and transfers at once when it can again', () => {
    const r = rig(POWER_ONLY, { 'feed.B.voltage': 230, 'feed.B.frequency': 50 });
    r.run(0, 1000);
    r.run(1100, 6000, { ...silent, 'feed.A.voltage': 0 });
    expect(r.of('transfer.begin')).toEqual([]);
    expect(closeA(r)).toBe(true);
    r.scan(6100, { 'feed.A.voltage': 0 });
    expect(r.of('transfer.begin')).toEqual([{ type: 'transfer.begin', from: 'A', to: 'B', reason: 'sourceFail', t: 6100 }]);
  });

  it('a lockout keeps holding a closed breaker whose contact goes unreadable', () => {
    const locked: TransferState = { kind: 'lockout', reason: 'FAIL_TO_CLOSE', detail: 'x', sinceMs: 0, hold: { A: true, B: false } };
    expect(stepTransfer(locked, fb(null, null), null, pc, 1000).state).toBe(locked);
    expect(stepTransfer(locked, fb(false, null), null, pc, 1000).state).toMatchObject({ hold: { A: false, B: false } });
  });
});

describe('a boot while the breaker contacts cannot be read yet (I/O module not answering)', () => {
  const breakerOutputs = (r: ReturnType<typeof rig>) => r.of('output').filter((o) => o.name.startsWith('breaker.'));

  // Regression: the first scan adopted "open" from unreadable contacts and wrote A open once the module
  // answered; the contacts then showed A closed "without a command": lockout, load on the UPS.
  for (const [what, unread] of [
    ['neither contact', { 'breaker.A.closedFb': null, 'breaker.B.closedFb': null }],
    ["A's contact (B shows open)", { 'breaker.A.closedFb': null }],
  ] as const) {
    it(`${what}: drives no breaker until the position can be read, then adopts it bumplessly`, () => {
      const r = rig(POWER_ONLY);
      for (let t = 0; t <= 3000; t += 100) {
        const res = r.scan(t, unread, t === 1000 ? [{ name: 'transferTo', source: 'B' }] : []);
        expect(res.outputs.has('breaker.A.closeCmd'), `t=${t}`).toBe(false);
        expect(res.outputs.has('breaker.B.closeCmd'), `t=${t}`).toBe(false);
      }
      expect(
        r
          .of('alarm')
          .filter((a) => a.code === 'BREAKER_FEEDBACK_LOST')
          .map((a) => a.active),
      ).toEqual([true]);
      expect(r.of('command')).toEqual([
        expect.objectContaining({ name: 'transferTo', accepted: false, reason: expect.stringMatching(/position is not known/) }),
      ]);
      r.run(3100, 5000);
      expect(r.state.power.transfer).toEqual({ kind: 'closed', on: 'A' });
      expect(breakerOutputs(r)).toEqual([
        { type: 'output', name: 'breaker.A.closeCmd', on: true, t: 3100 },
        { type: 'output', name: 'breaker.B.closeCmd', on: false, t: 3100 },
      ]);
      expect(r.of('lockout')).toEqual([]);
      expect(r.last?.outputs.get('breaker.A.closeCmd')).toBe(true);
    });
  }

  it('adopts at once when the closed breaker shows closed, whatever the other says (unchanged bumpless boot)', () => {
    const r = rig(POWER_ONLY, { 'breaker.B.closedFb': null });
    expect(r.scan(0).outputs.get('breaker.A.closeCmd')).toBe(true);
    expect(r.state.power.positionKnown).toBe(true);
  });
});

describe('POSITION_MISMATCH via step(): feedback changes without a command', () => {
  it('A opens by itself → lockout event, POSITION_MISMATCH alarm, nothing commanded closed', () => {
    const r = rig();
    r.run(0, 5000, {}, 500);
    const res = r.scan(5100, { 'breaker.A.closedFb': false });
    expect(r.of('lockout')).toEqual([expect.objectContaining({ active: true, t: 5100 })]);
    expect(
      r
        .of('alarm')
        .filter((a) => a.active)
        .map((a) => a.code),
    ).toContain('POSITION_MISMATCH');
    expect(res.outputs.get('breaker.A.closeCmd')).toBe(false);
    expect(res.outputs.get('breaker.B.closeCmd')).toBe(false);
  });
});

describe('in the simulated cabinet', () => {
  const scenario = (yaml: Record<string, unknown>) => parseScenario({ name: 't', ...yaml }, 'test');

  it('neutral delay: B is commanded closed ≥ 500 ms after A is confirmed open', () => {
    const r = runScenario(scenario({ duration: '40s', steps: [{ at: '10s', set: { 'feed.A.voltage': 0 } }] }));
    const aOff = r.events.find((e) => e.type === 'output' && e.name === 'breaker.A.closeCmd' && e.on === false);
    const bOn = r.events.find((e) => e.type === 'output' && e.name === 'breaker.B.closeCmd' && e.on === true);
    expect(aOff?.t).toBe(26_000);
    // The plant's contactor takes 60 ms to open; the neutral delay counts from the confirmation.
    expect(bOn?.t).toBeGreaterThanOrEqual(26_000 + 60 + 500);
    expect(r.summary.interlockViolations).toBe(0);
  });

  it('spec timeline: A fails at 10 s → A failed + generator start 13 s, B available 26 s, transfer 26 s → ~26.7 s', () => {
    const r = runScenario(scenario({ duration: '40s', steps: [{ at: '10s', set: { 'feed.A.voltage': 0 } }] }));
    const at = (type: string, pred: (e: Record<string, unknown>) => boolean = () => true) => r.events.find((e) => e.type === type && pred(e))?.t;
    expect(at('source', (e) => e.source === 'A' && e.available === false)).toBe(13_000);
    expect(at('generator', (e) => e.state === 'starting')).toBe(13_000);
    expect(at('source', (e) => e.source === 'B' && e.available === true)).toBe(26_000);
    expect(at('transfer.begin', (e) => e.to === 'B')).toBe(26_000);
    const end = at('transfer.end', (e) => e.to === 'B');
    expect(end).toBeGreaterThan(26_000);
    expect(end).toBeLessThanOrEqual(26_700);
  });

  it('a contactor stuck closed: FAIL_TO_OPEN at begin + 1 s, lockout, B never commanded closed', () => {
    const r = runScenario(
      scenario({
        duration: '2m',
        steps: [
          { at: '5s', set: { 'breaker.A.stuck': 'closed' } },
          { at: '10s', set: { 'feed.A.voltage': 0 } },
        ],
      }),
    );
    expect(r.events.filter((e) => e.type === 'transfer.fail').map((e) => [e.t, e.reason])).toEqual([[27_000, 'FAIL_TO_OPEN']]);
    expect(r.events.some((e) => e.type === 'output' && e.name === 'breaker.B.closeCmd' && e.on === true)).toBe(false);
    expect(r.finalStatus.lockout).toBe(true);
  });

  it('resetLockout with both breakers showing closed is refused with a reason', () => {
    const r = runScenario(
      scenario({
        duration: '1m',
        steps: [
          { at: '5s', set: { 'breaker.A.stuck': 'closed' } },
          { at: '10s', set: { 'breaker.B.feedback': 'stuckClosed' } },
          { at: '20s', command: { name: 'resetLockout' } },
        ],
      }),
    );
    const cmd = r.events.find((e) => e.type === 'command' && e.name === 'resetLockout');
    // A is welded closed and B's contact lies closed: both show closed, nothing can be adopted.
    expect(cmd).toMatchObject({ accepted: false, reason: expect.stringMatching(/both breakers show closed/) });
    expect(r.finalStatus.lockout).toBe(true);
  });
});
