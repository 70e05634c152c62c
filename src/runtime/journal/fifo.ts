// A first-in first-out queue whose batch take is O(batch), not O(length): the simulator queues
// millions of journal records at once, and Array.splice(0, n) on that moves them all every batch.

export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(it: T): void {
    this.items.push(it);
  }

  /** Puts items before everything queued (rare: a torn-segment note, a batch that failed to write). */
  pushFront(items: readonly T[]): void {
    this.items = [...items, ...this.items.slice(this.head)];
    this.head = 0;
  }

  /** Removes and returns up to `n` items from the front. */
  take(n: number): T[] {
    const out = this.items.slice(this.head, this.head + n);
    this.head += out.length;
    // Emptied (the usual case on a cabinet: a few records a scan, written at once): let go of them all.
    // Without this, up to 1 024 written records stayed reachable until the next compaction.
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    }
    // Compact once the taken prefix is the larger half, so memory follows what is still queued.
    else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return out;
  }
}
