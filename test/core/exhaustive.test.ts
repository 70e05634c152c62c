// Exhaustive exploration of the transfer machine: every reachable state × every input (feedback, wish, timer) keeps the gated image safe.
import { describe, expect, it } from 'vitest';
import { CLOSE_CMD, gate } from '../../src/core/interlock.js';
import { adoptPosition, commands, resetLockout, stepTransfer, type Desire, type Feedback, type TransferState } from '../../src/core/power/transfer.js';
import type { FeedId } from '../../src/core/types.js';
import { DEFAULTS } from './fixtures.js';

const pc = DEFAULTS.power;
const FB: (boolean | null)[] = [true, false, null];
const DESIRES: Desire[] = [null, { to: 'A', reason: 'sourceFail' }, { to: 'B', reason: 'sourceFail' }];
/** Every timer is measured from 0; "not expired" is 1 ms later, "expired" is past every timeout. */
const NOW = { running: 1, expired: 10 * (pc.transfer.neutralDelayMs + pc.transfer.operateTimeoutMs) } as const;

/** A state with its times abstracted away (timers restart at 0; whether they expired is an input). */
function key(s: TransferState): string {
  switch (s.kind) {
    case 'closed':
      return `closed:${s.on}`;
    case 'open':
      return 'open';
    case 'opening':
      return `opening:${s.from}>${s.to}`;
    case 'neutral':
      return `neutral:>${s.to}`;
    case 'closing':
      return `closing:>${s.to}`;
    case 'lockout':
      return `lockout:${s.hold.A ? 'A' : '-'}${s.hold.B ? 'B' : '-'}`;
  }
}

/** The concrete representative of an abstract state, with every timer started at 0. */
function concrete(s: TransferState): TransferState {
  switch (s.kind) {
    case 'closed':
      return s;
    case 'open':
      return { kind: 'open', sinceMs: 0 };
    case 'lockout':
      return { ...s, sinceMs: 0 };
    default:
      return { ...s, sinceMs: 0, beganMs: 0 };
  }
}

interface Exploration {
  readonly states: Map<string, TransferState>;
  transitions: number;
  gateBlocks: number;
  readonly failures: string[];
}

function check(x: Exploration, from: string, label: string, next: TransferState, fb: Feedback): void {
  const c = commands(next);
  if (c.A && c.B) x.failures.push(`${from} --${label}--> ${key(next)}: commands() asks for both breakers`);
  const image = new Map([
    [CLOSE_CMD.A, c.A],
    [CLOSE_CMD.B, c.B],
  ]);
  const g = gate(image, fb);
  if (g.blocked.length > 0) x.gateBlocks++;
  for (const [p, q] of [
    ['A', 'B'],
    ['B', 'A'],
  ] as [FeedId, FeedId][]) {
    // Unsafe: p commanded closed while q is commanded closed or shows closed, or while p is still
    // closing (not confirmed closed) and q is not confirmed open.
    const closingBlind = fb[p] !== true && fb[q] !== false;
    if (g.image.get(CLOSE_CMD[p]) === true && (g.image.get(CLOSE_CMD[q]) === true || fb[q] === true || closingBlind)) {
      x.failures.push(`${from} --${label}--> ${key(next)}: gated image closes ${p} while ${q} is commanded closed or shows ${String(fb[q])}`);
    }
  }
}

function explore(): Exploration {
  const x: Exploration = { states: new Map(), transitions: 0, gateBlocks: 0, failures: [] };
  const queue: TransferState[] = [];
  const visit = (s: TransferState) => {
    const k = key(s);
    if (!x.states.has(k)) {
      x.states.set(k, s);
      queue.push(s);
    }
  };
  // Boot: the machine adopts whatever position the feedback shows.
  for (const A of FB) for (const B of FB) visit(adoptPosition({ A, B }, 0));
  while (queue.length > 0) {
    const s = concrete(queue.shift() as TransferState);
    const from = key(s);
    for (const A of FB)
      for (const B of FB) {
        const fb: Feedback = { A, B };
        for (const timer of ['running', 'expired'] as const) {
          for (const desire of DESIRES) {
            const r = stepTransfer(s, fb, desire, pc, NOW[timer]);
            x.transitions++;
            check(x, from, `fb=${String(A)}/${String(B)} ${timer} want=${desire?.to ?? '-'}`, r.state, fb);
            visit(r.state);
          }
          // The operator's reset is an input too (it leaves lockout by adopting the position).
          if (s.kind === 'lockout') {
            const r = resetLockout(s, fb, NOW[timer]);
            x.transitions++;
            check(x, from, `reset fb=${String(A)}/${String(B)}`, r.state, fb);
            visit(r.state);
          }
        }
      }
  }
  return x;
}

const x = explore();

describe('exhaustive transfer machine × interlock gate', () => {
  it(`explores ${x.states.size} abstract states and ${x.transitions} transitions: no gated image parallels the feeds`, () => {
    expect(x.failures).toEqual([]);
  });

  it('reaches every state kind of the machine, with both directions of transfer', () => {
    const keys = [...x.states.keys()].sort();
    expect(keys).toEqual(
      expect.arrayContaining([
        'closed:A',
        'closed:B',
        'open',
        'opening:A>B',
        'opening:B>A',
        'neutral:>A',
        'neutral:>B',
        'closing:>A',
        'closing:>B',
        'lockout:--',
      ]),
    );
    // 2 closed + open + 2 opening + 2 neutral + 2 closing + lockout holding none, A or B.
    expect(x.states.size).toBe(12);
    expect(keys).toEqual(expect.arrayContaining(['lockout:A-', 'lockout:-B']));
    expect(x.transitions).toBeGreaterThan(x.states.size * 54);
  });

  it('commands() never asks for both breakers in any reachable state', () => {
    for (const s of x.states.values()) {
      const c = commands(s);
      expect(c.A && c.B, key(s)).toBe(false);
    }
  });

  it('the gate is needed: some reachable (state, feedback) pairs have a close command it must refuse', () => {
    // E.g. closing B while A's position is unknown: the machine keeps trying, the gate refuses.
    expect(x.gateBlocks).toBeGreaterThan(0);
  });

  it('the checker can fail: a state commanding both breakers is reported', () => {
    const probe: Exploration = { states: new Map(), transitions: 0, gateBlocks: 0, failures: [] };
    check(probe, 'test', 'both', { kind: 'lockout', reason: 'POSITION_MISMATCH', detail: '', sinceMs: 0, hold: { A: true, B: true } }, { A: false, B: false });
    expect(probe.failures.length).toBeGreaterThan(0);
  });
});
