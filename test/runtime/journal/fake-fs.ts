// A JournalFs over the real one that fails on command: an errno on any operation, or a short write
// (n bytes, then ENOSPC), at exactly the moment a test chooses. It also counts what was done.
import { AppendError, nodeJournalFs, type JournalFile, type JournalFs } from '../../../src/runtime/journal/fs.js';

export type Op = 'mkdir' | 'list' | 'size' | 'openAppend' | 'read' | 'unlink' | 'syncDir' | 'probe' | 'append' | 'sync';

export interface FaultyFs extends JournalFs {
  /** Every call of `op` fails with `code` until cleared. */
  fail(op: Op, code: string): void;
  /** The next append writes only `bytes` bytes, then fails with `code`. */
  shortWrite(bytes: number, code: string): void;
  clear(): void;
  readonly calls: Record<Op, number>;
  /** Bytes returned by read() since reset. */
  bytesRead: number;
}

const errno = (code: string, op: string) => Object.assign(new Error(`${code}: ${op} (injected)`), { code });

export function faultyFs(base: JournalFs = nodeJournalFs): FaultyFs {
  const faults = new Map<Op, string>();
  let short: { bytes: number; code: string } | undefined;
  const calls = { mkdir: 0, list: 0, size: 0, openAppend: 0, read: 0, unlink: 0, syncDir: 0, probe: 0, append: 0, sync: 0 };
  const gate = (op: Op) => {
    calls[op]++;
    const code = faults.get(op);
    if (code) throw errno(code, op);
  };
  const fs: FaultyFs = {
    calls,
    bytesRead: 0,
    fail: (op, code) => void faults.set(op, code),
    shortWrite: (bytes, code) => void (short = { bytes, code }),
    clear: () => faults.clear(),
    async mkdir(dir) {
      gate('mkdir');
      return base.mkdir(dir);
    },
    async list(dir) {
      gate('list');
      return base.list(dir);
    },
    async size(p) {
      gate('size');
      return base.size(p);
    },
    async read(p, pos, len) {
      gate('read');
      const b = await base.read(p, pos, len);
      fs.bytesRead += b.length;
      return b;
    },
    async unlink(p) {
      gate('unlink');
      return base.unlink(p);
    },
    async syncDir(d) {
      gate('syncDir');
      return base.syncDir(d);
    },
    async probe(d) {
      gate('probe');
      return base.probe(d);
    },
    async openAppend(p) {
      gate('openAppend');
      const f = await base.openAppend(p);
      const file: JournalFile = {
        async append(data) {
          calls.append++;
          const code = faults.get('append');
          if (code) throw new AppendError(errno(code, 'append'), 0);
          if (short) {
            const s = short;
            short = undefined;
            await f.append(data.subarray(0, s.bytes));
            throw new AppendError(errno(s.code, 'append'), s.bytes);
          }
          return f.append(data);
        },
        async sync() {
          gate('sync');
          return f.sync();
        },
        close: () => f.close(),
      };
      return file;
    },
  };
  return fs;
}
