// The journal writer: records go into a bounded in-memory queue (append never blocks and never
// throws) and an asynchronous pump writes them to the newest segment, with group commit (fsync at
// most every commitMs, at once for urgent records), size rotation and a total cap. A storage fault
// never reaches the caller: it is reported by health(), the queue keeps what fits, the rest is
// dropped and counted, and the pump retries until writing works again.
import { join } from 'node:path';
import { AppendError, nodeJournalFs, type JournalFile } from './fs.js';
import { encodeRecord } from './record.js';
import { Fifo } from './fifo.js';
import { checkTail, enforceCap, listSegments, segmentName, type Segment } from './segments.js';
import { realTimers, type Journal, type JournalLogger, type JournalOptions, type StorageFault } from './types.js';

export type { Journal, JournalHealth, JournalLimits, JournalLogger, JournalOptions, JournalTimers, StorageFault } from './types.js';

interface Item {
  readonly atMs: number;
  readonly mono: number;
  readonly type: string;
  readonly fields: object;
  readonly urgent: boolean;
  /** Encoded when first written; a write that fails clears it, so the retry is numbered afresh. */
  line?: string;
  seq?: number;
}

const BATCH_RECORDS = 128;
const hrMono = () => Number(process.hrtime.bigint() / 1000n) / 1000;
const silent: JournalLogger = { warn: () => undefined, info: () => undefined };

export function openJournal(o: JournalOptions): Journal {
  const fs = o.fs ?? nodeJournalFs;
  const clock = o.clock ?? Date.now;
  const mono = o.mono ?? hrMono;
  const log = o.logger ?? silent;
  const lim = o.limits;
  const retryMs = o.retryMs ?? 1000;
  const timers = o.timers ?? realTimers;
  const probeMs = o.probeMs ?? 30_000;
  const queue = new Fifo<Item>();
  let file: JournalFile | undefined;
  let segs: Segment[] = [];
  let seq = 0;
  let writtenSeq = 0;
  let dirty = false;
  let urgentPending = false;
  let lastSyncMono = -Infinity;
  let busy = false;
  let closed = false;
  let retryTimer: unknown;
  let syncTimer: unknown;
  let fault: StorageFault | null = null;
  // Found by the idle probe (a card that died or filled up while nothing was written); cleared by it.
  let probeFault: StorageFault | null = null;
  let probeTimer: unknown;
  const counts = { written: 0, dropped: 0, bytes: 0, fsyncs: 0 };
  // Dropped since the last write that worked: reported in the journal itself once it works again.
  let lost: { count: number; firstAt: number; lastAt: number } | undefined;

  const drop = (it: Item) => {
    counts.dropped++;
    lost = lost ? { ...lost, count: lost.count + 1, lastAt: it.atMs } : { count: 1, firstAt: it.atMs, lastAt: it.atMs };
  };
  /** The `journal.dropped` record goes where the records were lost: after what was queued before. */
  const markLost = () => {
    if (!lost) return;
    const l = lost;
    lost = undefined;
    queue.push({
      atMs: clock(),
      mono: mono(),
      type: 'journal.dropped',
      fields: { count: l.count, from: new Date(l.firstAt).toISOString(), to: new Date(l.lastAt).toISOString() },
      urgent: false,
    });
  };
  const enqueue = (it: Item) => {
    if (queue.length >= lim.queueRecords) return drop(it);
    markLost();
    queue.push(it);
  };

  const sync = async (f: JournalFile) => {
    await f.sync();
    counts.fsyncs++;
    dirty = false;
    urgentPending = false;
    lastSyncMono = mono();
  };

  /** Opens the segment to append to: the newest if its tail is whole, else a new one (reported). */
  const openSegment = async (): Promise<JournalFile> => {
    await fs.mkdir(o.dir);
    segs = await listSegments(fs, o.dir);
    const newest = segs[segs.length - 1];
    const tail = newest ? await checkTail(fs, newest) : { clean: true, lastSeq: undefined };
    if (tail.lastSeq !== undefined) seq = writtenSeq = Math.max(seq, tail.lastSeq);
    if (newest && tail.clean && newest.size < lim.segmentBytes) return fs.openAppend(newest.path);
    if (newest && tail.problem) {
      const p = { segment: segmentName(newest.n), ...tail.problem };
      log.warn(p, 'journal: the last record of the newest segment is torn or corrupt; it is skipped, a new segment begins');
      queue.pushFront([{ atMs: clock(), mono: mono(), type: 'journal.torn', fields: p, urgent: false }]);
    }
    return newSegment();
  };

  const newSegment = async (): Promise<JournalFile> => {
    const n = (segs[segs.length - 1]?.n ?? 0) + 1;
    const seg: Segment = { n, path: join(o.dir, segmentName(n)), size: 0 };
    const f = await fs.openAppend(seg.path);
    segs.push(seg);
    await fs.syncDir(o.dir);
    counts.fsyncs++;
    if ((await enforceCap(fs, o.dir, segs, lim.maxBytes)) > 0) counts.fsyncs++;
    return f;
  };

  const encode = (it: Item): string => {
    if (it.line === undefined)
      it.line =
        encodeRecord({ seq: (it.seq = ++seq), at: new Date(it.atMs).toISOString(), mono: Math.round(it.mono * 1000) / 1000, type: it.type }, it.fields) + '\n';
    return it.line;
  };

  /** Writes `batch` to the current segment, rotating by size. On a failure the records not yet on
   * disk go back to the queue (whole lines that reached the file stay) and the error is rethrown. */
  const writeBatch = async (batch: Item[]): Promise<void> => {
    let i = 0;
    try {
      while (i < batch.length) {
        if (needsRotation(batch[i] as Item)) await rotate();
        const cur = segs[segs.length - 1] as Segment;
        const lines: string[] = [];
        let bytes = 0;
        for (let j = i; j < batch.length; j++) {
          const b = Buffer.byteLength(encode(batch[j] as Item));
          if (lines.length > 0 && cur.size + bytes + b > lim.segmentBytes) break;
          lines.push((batch[j] as Item).line as string);
          bytes += b;
        }
        try {
          await (file as JournalFile).append(Buffer.from(lines.join('')));
        } catch (e) {
          const written = e instanceof AppendError ? e.written : 0;
          let done = 0;
          for (let acc = 0; done < lines.length && acc + Buffer.byteLength(lines[done] as string) <= written; done++)
            acc += Buffer.byteLength(lines[done] as string);
          account(batch.slice(i, i + done), written);
          i += done;
          throw e;
        }
        account(batch.slice(i, i + lines.length), bytes);
        cur.size += bytes;
        i += lines.length;
      }
    } catch (e) {
      // Numbering goes on from the last record on disk, so the journal's seq has no holes.
      const rest = batch.slice(i);
      seq = writtenSeq;
      for (const it of rest) [it.line, it.seq] = [undefined, undefined];
      requeue(rest);
      throw e;
    }
  };

  const needsRotation = (next: Item) => {
    const cur = segs[segs.length - 1] as Segment;
    return cur.size > 0 && cur.size + Buffer.byteLength(encode(next)) > lim.segmentBytes;
  };

  const rotate = async () => {
    const f = file as JournalFile;
    file = undefined;
    if (dirty) await sync(f);
    await f.close();
    file = await newSegment();
  };

  const account = (items: Item[], bytes: number) => {
    for (const it of items) writtenSeq = Math.max(writtenSeq, it.seq ?? 0);
    counts.written += items.length;
    counts.bytes += bytes;
    if (items.length > 0) dirty = true;
    if (items.some((it) => it.urgent)) urgentPending = true;
  };

  const requeue = (items: Item[]) => {
    const room = Math.max(0, lim.queueRecords - queue.length);
    const keep = items.slice(0, room);
    for (const it of items.slice(room)) drop(it);
    queue.pushFront(keep);
  };

  const pump = async () => {
    busy = true;
    try {
      for (;;) {
        file ??= await openSegment();
        markLost();
        if (queue.length === 0) break;
        // A bounded batch: encoding is main-thread work, and a scan due meanwhile must not wait long.
        const batch = queue.take(BATCH_RECORDS);
        await writeBatch(batch);
      }
      if (dirty && (urgentPending || mono() - lastSyncMono >= lim.commitMs)) await sync(file);
      if (fault) {
        log.info({ code: fault.code, dropped: counts.dropped }, 'journal: writing works again');
        fault = null;
      }
      // Writing works: let the probe look again now rather than at its next round.
      if (probeFault && probeTimer !== undefined) {
        timers.clear(probeTimer);
        void probe();
      }
    } catch (e) {
      onFault(e);
    } finally {
      busy = false;
    }
    if (!fault && dirty && !closed) scheduleSync();
    if (!fault && queue.length > 0) kick();
  };

  const onFault = (e: unknown) => {
    const err = (e instanceof AppendError ? e.cause : e) as NodeJS.ErrnoException;
    const code = err?.code ?? 'EIO';
    if (!fault || fault.code !== code)
      log.warn(
        { code, err: String(err?.message ?? err), dir: o.dir },
        'journal: cannot write (STORAGE_FAULT); control goes on, records are dropped when the queue is full',
      );
    fault = { code, message: String(err?.message ?? err), sinceMs: fault?.sinceMs ?? clock() };
    const f = file;
    file = undefined;
    dirty = false;
    if (f) f.close().catch(() => undefined);
    if (!closed && retryTimer === undefined) {
      retryTimer = timers.set(() => {
        retryTimer = undefined;
        kick();
      }, retryMs);
    }
  };

  const scheduleSync = () => {
    if (syncTimer !== undefined) return;
    const waitMs = Math.max(0, lastSyncMono + lim.commitMs - mono());
    syncTimer = timers.set(() => {
      syncTimer = undefined;
      kick();
    }, waitMs);
  };

  // The pump starts from the event loop, never inside append(): the scan only pushes to the queue.
  let scheduled = false;
  const kick = () => {
    if (busy || scheduled || retryTimer !== undefined) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (!busy) void pump();
    });
  };

  const probe = async () => {
    probeTimer = undefined;
    try {
      await fs.mkdir(o.dir);
      await fs.probe(o.dir);
      if (probeFault) log.info({ code: probeFault.code }, 'journal: the state directory is usable again');
      probeFault = null;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const code = err?.code ?? 'EIO';
      if (probeFault?.code !== code)
        log.warn({ code, err: String(err?.message ?? err), dir: o.dir }, 'journal: the state directory is not usable (STORAGE_FAULT); control goes on');
      probeFault = { code, message: String(err?.message ?? err), sinceMs: probeFault?.sinceMs ?? clock() };
      // The open segment may be gone with its directory: the next write opens one afresh.
      if (file && !busy) {
        const f = file;
        file = undefined;
        f.close().catch(() => undefined);
      }
    }
    if (!closed) probeTimer = timers.set(() => void probe(), probeMs);
  };

  // A fault at open is the same STORAGE_FAULT as later: nothing here throws to the caller.
  kick();
  probeTimer = timers.set(() => void probe(), probeMs);

  const settle = async (timeoutMs: number) => {
    const until = mono() + timeoutMs;
    urgentPending = true;
    kick();
    while (mono() < until && (busy || ((queue.length > 0 || dirty) && !fault))) {
      await new Promise((r) => setTimeout(r, 5));
      if (!busy && (queue.length > 0 || dirty) && !fault) {
        urgentPending = true;
        kick();
      }
    }
  };

  return {
    append(type, fields, atMs, urgent = false) {
      if (closed) return;
      enqueue({ atMs, mono: mono(), type, fields, urgent });
      if (urgent) urgentPending = true;
      kick();
    },
    health: () => ({ fault: fault ?? probeFault, pending: busy || scheduled, queued: queue.length, ...counts, segments: segs.length }),
    flush: settle,
    async close(timeoutMs) {
      const t0 = mono();
      await settle(timeoutMs);
      closed = true;
      if (retryTimer !== undefined) timers.clear(retryTimer);
      if (syncTimer !== undefined) timers.clear(syncTimer);
      if (probeTimer !== undefined) timers.clear(probeTimer);
      [retryTimer, syncTimer, probeTimer] = [undefined, undefined, undefined];
      const f = file;
      file = undefined;
      // A hung disk can hang close() too: the controller's exit never waits past timeoutMs for it.
      const left = Math.max(0, timeoutMs - (mono() - t0));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([f?.close().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, left)))]);
      clearTimeout(timer);
    },
  };
}
