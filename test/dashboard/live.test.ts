// The event stream's fan-out: one encoded message per publish, the same bytes to every page, and a
// page that stops reading keeps only the newest few messages (bounded memory), then catches up.
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { ControllerEvent, Status } from '../../src/core/types.js';
import type { ControllerPort, Published } from '../../src/io/controller-port.js';
import { createLiveFeed, MAX_QUEUED_MESSAGES } from '../../src/runtime/dashboard/live.js';

/** A controller whose published status the test sets, one publish at a time. */
function fakeController() {
  let pub = { status: { n: 0 } as unknown as Status, scanSeq: 0, atMs: 0, uptimeS: 0, configHash: 'x' } as Published;
  let listener: ((e: readonly ControllerEvent[], atMs: number) => void) | undefined;
  const port = {
    latest: () => pub,
    submit: () => Promise.resolve({ accepted: false }),
    onEvents: (l: typeof listener) => {
      listener = l;
      return () => undefined;
    },
  } as unknown as ControllerPort;
  return {
    port,
    /** One scan that changed the status; the feed writes after it (setImmediate). */
    async publish(n: number) {
      pub = { ...pub, status: { n } as unknown as Status, scanSeq: n, atMs: n };
      listener?.([], n);
      await new Promise((r) => setImmediate(r));
    },
  };
}

/** A response whose socket is full (`stalled`) until the test lets it drain. */
class FakeRes extends EventEmitter {
  writes: (string | Buffer)[] = [];
  stalled = false;
  get writableNeedDrain() {
    return this.stalled;
  }
  writeHead() {
    return this;
  }
  write(chunk: string | Buffer) {
    this.writes.push(chunk);
    return !this.stalled;
  }
  end() {}
  /** scanSeq of each data message after the initial one. */
  seqs() {
    return this.writes.filter((w) => Buffer.isBuffer(w)).map((w) => (JSON.parse(w.toString().slice(6)) as { scanSeq: number }).scanSeq);
  }
}

describe('live feed fan-out', () => {
  it('writes one and the same Buffer to every page per publish', async () => {
    const c = fakeController();
    const feed = createLiveFeed(c.port);
    const pages = Array.from({ length: 20 }, () => new FakeRes());
    for (const p of pages) feed.attach(p as unknown as ServerResponse);
    await c.publish(1);
    const sent = pages.map((p) => p.writes.at(-1));
    expect(Buffer.isBuffer(sent[0])).toBe(true);
    expect(new Set(sent).size).toBe(1);
    feed.stop();
  });

  it('a page that stops reading keeps only the newest messages, then gets them in order; the others miss nothing', async () => {
    const c = fakeController();
    const feed = createLiveFeed(c.port);
    const slow = new FakeRes();
    const fast = new FakeRes();
    feed.attach(slow as unknown as ServerResponse);
    feed.attach(fast as unknown as ServerResponse);
    slow.stalled = true;
    for (let n = 1; n <= 100; n++) await c.publish(n);
    expect(fast.seqs()).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    // Its socket is full: nothing more is written to it, and only the newest messages are kept.
    expect(slow.seqs()).toEqual([]);
    expect(feed.dropped).toBe(100 - MAX_QUEUED_MESSAGES);
    slow.stalled = false;
    slow.emit('drain');
    expect(slow.seqs()).toEqual([...Array.from({ length: MAX_QUEUED_MESSAGES }, (_, i) => 101 - MAX_QUEUED_MESSAGES + i)]);
    await c.publish(101);
    expect(slow.seqs().at(-1)).toBe(101);
    feed.stop();
  });
});
