// Store-and-forward: the changes made while the broker is unreachable, in order, bounded by maxBytes
// (the oldest dropped first, and counted), kept in <stateDir>/sparkplug-queue.jsonl so that a
// controller restart loses none. Pushing never waits for the disk: file work is queued behind.
import { appendFile, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SpMetric } from './proto.js';
import { parseLines } from './sent-window.js';

export const QUEUE_FILE = 'sparkplug-queue.jsonl';

/** One scan's changes, with that scan's time. */
export interface StoredChange {
  readonly atMs: number;
  readonly metrics: readonly SpMetric[];
}

export interface ForwardQueue {
  push(change: StoredChange): void;
  /** Everything stored, oldest first, and the queue emptied (on disk too). */
  drain(): StoredChange[];
  /** Reads what a previous run left (call once, before the first push), after `before` (its unconfirmed NDATA). */
  load(before?: readonly StoredChange[]): Promise<void>;
  /** Resolves when the file has caught up with the queue. */
  settled(): Promise<void>;
  readonly length: number;
  readonly bytes: number;
  readonly dropped: number;
}

export function createForwardQueue(stateDir: string | null, maxBytes: number, onError: (problem: string) => void): ForwardQueue {
  const file = stateDir === null ? undefined : join(stateDir, QUEUE_FILE);
  let items: { change: StoredChange; line: string }[] = [];
  let bytes = 0;
  let dropped = 0;
  let disk: Promise<void> = Promise.resolve();
  const onDisk = (work: (f: string) => Promise<void>) => {
    if (!file) return;
    disk = disk.then(() => work(file)).catch((e: Error) => onError(`sparkplug queue ${file}: ${e.message}`));
  };
  // A whole rewrite (after dropping the oldest, or emptying) goes through a temp file and a rename.
  // The content is taken now: appends queued after this rewrite must not find their lines in it already.
  const rewrite = () => {
    const text = items.map((i) => i.line).join('');
    onDisk(async (f) => {
      await writeFile(`${f}.tmp`, text);
      await rename(`${f}.tmp`, f);
    });
  };
  const add = (change: StoredChange, line: string) => {
    items.push({ change, line });
    bytes += Buffer.byteLength(line);
    if (bytes <= maxBytes) return false;
    // Trimmed to 90 %: a full queue is rewritten once per tenth of maxBytes, not once per change.
    let trimmed = false;
    while (bytes > maxBytes * 0.9 && items.length > 1) {
      bytes -= Buffer.byteLength(items.shift()?.line ?? '');
      dropped++;
      trimmed = true;
    }
    return trimmed;
  };
  return {
    push(change) {
      const line = JSON.stringify(change) + '\n';
      if (add(change, line)) rewrite();
      else onDisk((f) => appendFile(f, line));
    },
    drain() {
      const out = items.map((i) => i.change);
      items = [];
      bytes = 0;
      if (out.length > 0) rewrite();
      return out;
    },
    async load(before = []) {
      const text = file ? await readFile(file, 'utf8').catch(() => '') : '';
      const { changes, bad } = parseLines(text);
      // A line torn by a power cut is the only one lost; the rest are still in order.
      if (bad > 0) onError(`sparkplug queue ${file}: ${bad} line(s) that are not whole entries ignored (torn or corrupt)`);
      for (const c of [...before, ...changes]) add(c, JSON.stringify(c) + '\n');
      // Rewritten clean: an append after a torn line would otherwise be glued to it and lost too.
      if (bad > 0 || before.length > 0) rewrite();
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
