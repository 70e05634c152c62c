import { describe, expect, it } from 'vitest';
import { Fifo } from '../../../src/runtime/journal/fifo.js';

describe('the journal queue', () => {
  it('gives back every item once, in order, across batches, compactions and front inserts', () => {
    const q = new Fifo<number>();
    for (let i = 0; i < 10_000; i++) q.push(i);
    const out: number[] = [];
    out.push(...q.take(3000));
    q.pushFront([-2, -1]);
    while (q.length > 0) out.push(...q.take(777));
    expect(out.slice(0, 3000)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(out.slice(3000, 3002)).toEqual([-2, -1]);
    expect(out.slice(3002)).toEqual(Array.from({ length: 7000 }, (_, i) => i + 3000));
    expect(q.take(5)).toEqual([]);
  });
});

describe('the journal queue on a cabinet (a few records at a time, written at once)', () => {
  // Found by diffing two heap snapshots of the one-hour soak: up to 1 024 records already written
  // (with their encoded lines and event objects) stayed reachable until the next compaction.
  it('holds no record once everything queued has been taken', () => {
    const q = new Fifo<{ n: number }>();
    for (let i = 0; i < 300; i++) {
      q.push({ n: i });
      q.push({ n: i });
      expect(q.take(128)).toHaveLength(2);
      expect((q as unknown as { items: unknown[] }).items).toHaveLength(0);
    }
    q.push({ n: -1 });
    expect(q.take(128)).toEqual([{ n: -1 }]);
  });
});
