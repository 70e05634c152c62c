// The window of NDATA not yet confirmed by a PINGRESP: what a ping confirms leaves it, what was sent
// after the ping stays, and a link whose pings never come back keeps only the newest `max`.
import { describe, expect, it } from 'vitest';
import { createSentWindow } from '../../src/sparkplug/sent-window.js';

const change = (atMs: number) => ({ atMs, metrics: [{ name: 'PSU/1/OK', datatype: 'Boolean' as const, value: atMs % 2 === 0 }] });

describe('Sparkplug sent window', () => {
  it('a PINGRESP confirms what was sent before its PINGREQ, not after', () => {
    const w = createSentWindow();
    w.sent(change(1));
    w.sent(change(2));
    w.pingSent();
    w.sent(change(3));
    w.pongReceived();
    expect(w.take().map((c) => c.atMs)).toEqual([3]);
    expect(w.length).toBe(0);
  });

  it('without answers it keeps the newest max, oldest dropped first', () => {
    const w = createSentWindow(3);
    for (let t = 1; t <= 5; t++) w.sent(change(t));
    w.pingSent();
    w.sent(change(6));
    expect(w.length).toBe(3);
    w.pongReceived();
    expect(w.take().map((c) => c.atMs)).toEqual([6]);
  });
});
