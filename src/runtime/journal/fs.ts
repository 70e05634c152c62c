// The few file operations the journal needs, behind an interface: the real one on node:fs/promises
// (asynchronous, so a slow or dead disk never holds the scan), and fakes in tests for exact faults.
import { constants } from 'node:fs';
import { access, mkdir, open, readdir, stat, statfs, unlink } from 'node:fs/promises';

/** A failed append says how many bytes did reach the file, so whole records are not written twice. */
export class AppendError extends Error {
  constructor(
    cause: unknown,
    readonly written: number,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
  get code(): string | undefined {
    return (this.cause as NodeJS.ErrnoException | undefined)?.code;
  }
}

export interface JournalFile {
  /** Appends all of `data`; on failure throws AppendError with the bytes that were written. */
  append(data: Buffer): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface JournalFs {
  /** Creates `dir` (one level: a missing parent is an error, not something to invent). */
  mkdir(dir: string): Promise<void>;
  list(dir: string): Promise<string[]>;
  size(path: string): Promise<number>;
  openAppend(path: string): Promise<JournalFile>;
  /** Up to `length` bytes from `position`. */
  read(path: string, position: number, length: number): Promise<Buffer>;
  unlink(path: string): Promise<void>;
  /** fsync of a directory, so a new or deleted file name is durable too. */
  syncDir(dir: string): Promise<void>;
  /** Checks, without writing, that `dir` is there, writable and not full; throws an errno error if not. */
  probe(dir: string): Promise<void>;
}

/** Below this much free space the probe reports ENOSPC (a record batch would not fit). */
export const PROBE_MIN_FREE_BYTES = 64 * 1024;

export const nodeJournalFs: JournalFs = {
  async mkdir(dir) {
    try {
      await mkdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  },
  list: (dir) => readdir(dir),
  size: async (path) => (await stat(path)).size,
  async openAppend(path) {
    const fh = await open(path, 'a');
    return {
      async append(data) {
        let done = 0;
        try {
          while (done < data.length) done += (await fh.write(data, done, data.length - done)).bytesWritten;
        } catch (e) {
          throw new AppendError(e, done);
        }
      },
      sync: () => fh.sync(),
      close: () => fh.close(),
    };
  },
  async read(path, position, length) {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, position);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  },
  unlink: (path) => unlink(path),
  async syncDir(dir) {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
  async probe(dir) {
    // access(W_OK) answers EROFS on a read-only mount even for root, and ENOENT for a missing dir.
    await access(dir, constants.W_OK);
    const s = await statfs(dir);
    if (s.bavail * s.bsize < PROBE_MIN_FREE_BYTES) throw Object.assign(new Error(`ENOSPC: ${s.bavail * s.bsize} bytes free in ${dir}`), { code: 'ENOSPC' });
  },
};
