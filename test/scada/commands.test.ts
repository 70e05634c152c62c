import { describe, expect, it } from 'vitest';
import { COMMAND_CODES, commandStatus, commandWord, denied, operate, SBO_IDLE, select, settle } from '../../src/scada/commands.js';

const T = 10_000;

describe('select-before-operate', () => {
  it('select then the same code within the timeout yields the command, then executed or refused', () => {
    let s = select(2, 1000);
    expect(commandStatus(s, 1000 + T, T)).toBe(1);
    const r = operate(s, 2, 1000 + T, T);
    expect(r.command).toEqual({ name: 'transferTo', source: 'B' });
    s = r.state;
    expect(commandStatus(s, 99_999, T)).toBe(1);
    expect(commandStatus(settle(s, 2, { accepted: true }), 0, T)).toBe(2);
    expect(commandStatus(settle(s, 2, { accepted: false, reason: 'lockout' }), 0, T)).toBe(3);
  });

  it('mismatch, expiry, operate without select and a second operate are status 4 and submit nothing', () => {
    expect(operate(select(1, 0), 2, 1, T)).toEqual({ state: { kind: 'done', code: 2, status: 4 } });
    expect(operate(select(1, 0), 1, T + 1, T).command).toBeUndefined();
    expect(commandStatus(select(1, 0), T + 1, T)).toBe(4);
    expect(operate(SBO_IDLE, 1, 0, T).command).toBeUndefined();
    const once = operate(select(9, 0), 9, 1, T).state;
    expect(operate(once, 9, 2, T).command).toBeUndefined();
  });

  it('a verdict for an earlier operate does not overwrite a newer select', () => {
    const s = select(3, 50);
    expect(settle(s, 1, { accepted: true })).toBe(s);
  });

  it('denied writes read as 5; the registers read back the code in play', () => {
    expect(commandStatus(denied(select(4, 0)), 0, T)).toBe(5);
    const op = operate(select(4, 0), 4, 1, T).state;
    expect([commandWord(op, 100, 0, T), commandWord(op, 101, 0, T), commandWord(SBO_IDLE, 101, 0, T), commandWord(SBO_IDLE, 102, 0, T)]).toEqual([4, 4, 0, 0]);
  });

  it('codes 1..10 are the commands of scada.md', () => {
    expect([...COMMAND_CODES.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(COMMAND_CODES.get(6)?.command).toMatchObject({ name: 'startTest', onLoad: true });
    expect(COMMAND_CODES.get(10)?.command).toEqual({ name: 'ackAlarms' });
  });
});
