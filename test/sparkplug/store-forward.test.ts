// The store-and-forward queue: in order, bounded by maxBytes with the oldest dropped and counted, and
// on disk so that the next run forwards what this one could not.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createForwardQueue } from '../../src/sparkplug/store-forward.js';

const change = (i: number) => ({
  atMs: 1000 + i,
  metrics: [{ name: 'PSU/1/OK', datatype: 'Boolean' as const, value: true, timestampMs: 1000 + i }],
});

describe('store-and-forward queue', () => {
  it('keeps changes in order across a restart, drops the oldest beyond maxBytes and counts them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinfeed-sp-queue-'));
    const problems: string[] = [];
    const lineBytes = JSON.stringify(change(0)).length + 1;
    const q = createForwardQueue(dir, 64 * 1024, (p) => problems.push(p));
    await q.load();
    const n = Math.floor((64 * 1024) / lineBytes) + 10;
    for (let i = 0; i < n; i++) q.push(change(i));
    // Beyond maxBytes the oldest go, down to 90 % (so a full queue is not rewritten on every change).
    const dropped = q.dropped;
    expect(dropped).toBeGreaterThanOrEqual(10);
    expect(q.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(q.bytes).toBeGreaterThan(0.8 * 64 * 1024);
    await q.settled();

    const next = createForwardQueue(dir, 64 * 1024, (p) => problems.push(p));
    await next.load();
    const kept = next.drain();
    expect(kept.length).toBe(n - dropped);
    expect(kept[0]?.atMs).toBe(1000 + dropped);
    expect(kept.at(-1)?.atMs).toBe(1000 + n - 1);
    await next.settled();

    const empty = createForwardQueue(dir, 64 * 1024, (p) => problems.push(p));
    await empty.load();
    expect(empty.length).toBe(0);
    expect(problems).toEqual([]);
  });
});
