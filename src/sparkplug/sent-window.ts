// The NDATA sent since the broker was last known alive. NDATA is QoS 0 (spec 3.0), so a message sent
// into a silently dead uplink is gone; until the keepalive notices (up to 2 × keepalive) we cannot
// tell. A PINGRESP proves the broker got everything sent before its PINGREQ (one TCP stream, in order):
// those leave the window; what is left when the connection dies unclean is sent again as historical.
// With a stateDir the window is also kept in <stateDir>/sparkplug-sent.jsonl, so that a controller
// killed during a silent outage replays it after its next birth. File work never blocks the caller.
import { appendFile, open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredChange } from './store-forward.js';

export const SENT_FILE = 'sparkplug-sent.jsonl';

/** A power cut loses at most this much of the window's file; a SIGKILL loses none (the kernel has it). */
export const SENT_SYNC_INTERVAL_MS = 1000;

export interface SentWindow {
  sent(change: StoredChange): void;
  /** A PINGREQ went out: everything sent so far is confirmed by its PINGRESP. */
  pingSent(): void;
  pongReceived(): void;
  /** The unconfirmed changes, oldest first, and the window emptied (the file once `handedOver` resolves). */
  take(handedOver?: () => Promise<void>): StoredChange[];
  /** What a previous run sent and never saw confirmed, oldest first (call once, before the first send). */
  recover(): Promise<StoredChange[]>;
  /** Resolves when the file has caught up with the window. */
  settled(): Promise<void>;
  readonly length: number;
  readonly bytes: number;
  /** Unconfirmed changes dropped (oldest first) to stay within maxBytes. */
  readonly dropped: number;
}

export interface SentWindowOptions {
  /** Where the window is kept; null: in memory only. */
  readonly stateDir?: string | null;
  /** Bounds the window on a link whose pings never come back: the oldest unconfirmed go first. */
  readonly maxBytes?: number;
  readonly onError?: (problem: string) => void;
}

/** The whole entries of a JSON-lines file, in order; `bad` counts the lines that are not (torn by a power cut, or garbage). */
export function parseLines(text: string): { changes: StoredChange[]; bad: number } {
  const changes: StoredChange[] = [];
  let bad = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const c = JSON.parse(line) as StoredChange;
      if (typeof c.atMs !== 'number' || !Array.isArray(c.metrics)) throw new Error('not a change');
      changes.push(c);
    } catch {
      bad++;
    }
  }
  return { changes, bad };
}

export function createSentWindow(o: SentWindowOptions = {}): SentWindow {
  const file = o.stateDir ? join(o.stateDir, SENT_FILE) : undefined;
  const maxBytes = o.maxBytes ?? 1 << 20;
  const onError = o.onError ?? (() => undefined);
  let items: { change: StoredChange; line: string }[] = [];
  let bytes = 0;
  let dropped = 0;
  let confirmedByPing = 0;
  let disk: Promise<void> = Promise.resolve();
  let syncTimer: NodeJS.Timeout | undefined;
  // One log line per failing spell, not one per NDATA (a missing or full disk fails every append).
  let failing = false;
  const onDisk = (work: (f: string) => Promise<void>) => {
    if (!file) return;
    disk = disk
      .then(() => work(file))
      .then(
        () => void (failing = false),
        (e: Error) => {
          if (!failing) onError(`sparkplug sent window ${file}: ${e.message}`);
          failing = true;
        },
      );
  };
  // The content is taken now: appends queued after this rewrite must not find their lines in it already.
  const rewrite = () => {
    const text = items.map((i) => i.line).join('');
    onDisk(async (f) => {
      await writeFile(`${f}.tmp`, text);
      await rename(`${f}.tmp`, f);
    });
  };
  // fsync at most once per SENT_SYNC_INTERVAL_MS, whatever the NDATA rate.
  const scheduleSync = () => {
    if (!file || syncTimer) return;
    syncTimer = setTimeout(() => {
      syncTimer = undefined;
      onDisk(async (f) => {
        const h = await open(f, 'a');
        await h.datasync().finally(() => h.close());
      });
    }, SENT_SYNC_INTERVAL_MS);
    syncTimer.unref();
  };
  return {
    sent(change) {
      const line = JSON.stringify(change) + '\n';
      items.push({ change, line });
      bytes += Buffer.byteLength(line);
      let trimmed = false;
      while (bytes > maxBytes && items.length > 1) {
        bytes -= Buffer.byteLength(items.shift()?.line ?? '');
        confirmedByPing = Math.max(0, confirmedByPing - 1);
        dropped++;
        trimmed = true;
      }
      if (trimmed) rewrite();
      else onDisk((f) => appendFile(f, line));
      scheduleSync();
    },
    pingSent() {
      confirmedByPing = items.length;
    },
    pongReceived() {
      if (confirmedByPing === 0) return;
      for (const i of items.slice(0, confirmedByPing)) bytes -= Buffer.byteLength(i.line);
      items = items.slice(confirmedByPing);
      confirmedByPing = 0;
      rewrite();
    },
    take(handedOver = () => Promise.resolve()) {
      const out = items.map((i) => i.change);
      items = [];
      bytes = 0;
      confirmedByPing = 0;
      // Emptied only once the changes are safe elsewhere (the queue's file): a crash between the two repeats, never loses.
      onDisk(async (f) => {
        await handedOver();
        await writeFile(f, '');
      });
      return out;
    },
    async recover() {
      if (!file) return [];
      const text = await readFile(file, 'utf8').catch(() => '');
      const { changes, bad } = parseLines(text);
      if (bad > 0) onError(`sparkplug sent window ${file}: ${bad} line(s) that are not whole entries ignored (torn or corrupt)`);
      return changes;
    },
    settled: () => disk,
    get length() {
      return items.length;
    },
    get bytes() {
      return bytes;
    },
    get dropped() {
      return dropped;
    },
  };
}
