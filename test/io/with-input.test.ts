// The runtime's own inputs (storage, Sparkplug) ride on the board without hiding anything the board offers.
import { describe, expect, it } from 'vitest';
import { SPARKPLUG_FAULT_SIGNAL, STORAGE_FAULT_SIGNAL } from '../../src/core/signals.js';
import type { Board } from '../../src/io/ports.js';
import { withRuntimeInput } from '../../src/io/with-input.js';

const board: Board = {
  name: 'b',
  inputs: [],
  outputs: [],
  read: () => new Map([['feed.A.voltage', { value: 230, ageMs: 0 }]]),
  write: () => undefined,
  close: async () => undefined,
  stats: () => ({ timeouts: 3 }),
  texts: () => ({ 'uplink.lte.operatorName': 'Telia' }),
};

describe('a runtime input on the board', () => {
  it('adds its signal and keeps the readings, counters and texts of the board (the modem operator name with a journal on)', () => {
    let storage = false;
    const b = withRuntimeInput(
      withRuntimeInput(board, STORAGE_FAULT_SIGNAL, () => storage),
      SPARKPLUG_FAULT_SIGNAL,
      () => true,
    );
    storage = true;
    const r = b.read(0);
    expect(r.get('feed.A.voltage')?.value).toBe(230);
    expect(r.get(STORAGE_FAULT_SIGNAL)?.value).toBe(true);
    expect(r.get(SPARKPLUG_FAULT_SIGNAL)?.value).toBe(true);
    expect(b.inputs).toEqual([STORAGE_FAULT_SIGNAL, SPARKPLUG_FAULT_SIGNAL]);
    expect(b.stats?.()).toEqual({ timeouts: 3 });
    expect(b.texts?.()).toEqual({ 'uplink.lte.operatorName': 'Telia' });
  });
});
