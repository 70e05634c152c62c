// The window of NDATA not yet confirmed by a PINGRESP: what a ping confirms leaves it, what was sent
// after the ping stays, a link whose pings never come back keeps only the newest maxBytes, and with a
// stateDir a killed run's window is read back by the next (a torn last line costs only that line).
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSentWindow, SENT_FILE } from '../../src/sparkplug/sent-window.js';
import { createForwardQueue } from '../../src/sparkplug/store-forward.js';

const change = (atMs: number) => ({ atMs, metrics: [{ name: 'PSU/1/OK', datatype: 'Boolean' as const, value: atMs % 2 === 0 }] });
const lineBytes = JSON.stringify(change(1)).length + 1;

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

  it('without answers it keeps the newest maxBytes, oldest dropped first and counted', () => {
    const w = createSentWindow({ maxBytes: 3 * lineBytes });
    for (let t = 1; t <= 5; t++) w.sent(change(t));
    w.pingSent();
    w.sent(change(6));
    expect(w.length).toBe(3);
    expect(w.dropped).toBe(3);
    w.pongReceived();
    expect(w.take().map((c) => c.atMs)).toEqual([6]);
  });

  it('with a stateDir the unconfirmed survive a kill and go first into the queue, then the file is emptied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinfeed-sp-sent-'));
    const w = createSentWindow({ stateDir: dir });
    w.sent(change(1));
    w.pingSent();
    w.pongReceived();
    w.sent(change(2));
    w.sent(change(3));
    await w.settled();
    // The process dies here; what the broker confirmed is gone from the file, the rest is in it.
    const problems: string[] = [];
    const queue = createForwardQueue(dir, 1 << 20, (p) => problems.push(p));
    queue.push(change(9)); // only to show the order: the previous window goes before what was stored
    const next = createSentWindow({ stateDir: dir, onError: (p) => problems.push(p) });
    const q2 = createForwardQueue(dir, 1 << 20, (p) => problems.push(p));
    await queue.settled();
    await q2.load(await next.recover());
    next.take(() => q2.settled());
    await next.settled();
    expect(q2.drain().map((c) => c.atMs)).toEqual([2, 3, 9]);
    expect(readFileSync(join(dir, SENT_FILE), 'utf8')).toBe('');
    expect(problems).toEqual([]);
  });

  it('a torn last line is skipped with one log line; the whole entries before it are kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinfeed-sp-sent-'));
    const w = createSentWindow({ stateDir: dir });
    w.sent(change(1));
    w.sent(change(2));
    await w.settled();
    appendFileSync(join(dir, SENT_FILE), JSON.stringify(change(3)).slice(0, 20));
    const problems: string[] = [];
    const got = await createSentWindow({ stateDir: dir, onError: (p) => problems.push(p) }).recover();
    expect(got.map((c) => c.atMs)).toEqual([1, 2]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/1 line\(s\) that are not whole entries ignored/);
  });
});

describe('Sparkplug sent window on a bad disk', () => {
  it('a stateDir that cannot be written is one log line, not one per NDATA; the window still works in memory', async () => {
    const problems: string[] = [];
    const w = createSentWindow({ stateDir: join(tmpdir(), 'twinfeed-no-such-dir', 'x'), onError: (p) => problems.push(p) });
    for (let t = 1; t <= 20; t++) w.sent(change(t));
    await w.settled();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/ENOENT/);
    expect(w.take().map((c) => c.atMs)).toHaveLength(20);
  });
});
