// The state file (<stateDir>/state.json): what the controller must not forget across a restart,
// written atomically (temp file, fsync, rename, fsync of the directory) by an asynchronous writer
// that coalesces changes and writes at most once per `minIntervalMs`; read back once at start with
// its checksum and version checked. A storage fault is reported, never thrown at the scan.
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { crc32 } from '../journal/record.js';

export const STATE_FILE = 'state.json';
export const STATE_FORMAT = 'twinfeed-state';
/** The newest format this build writes and reads. */
export const STATE_VERSION = 1;

/** The file operations the store needs; the real one on node:fs/promises, fakes in tests. */
export interface StateFs {
  read(path: string): Promise<string | undefined>;
  /** Writes `data` to `tmp` and fsyncs it, renames it over `path`, fsyncs the directory. */
  replace(path: string, tmp: string, data: string): Promise<void>;
  /** Moves a file aside (an unreadable state file is kept for inspection, never overwritten). */
  rename(from: string, to: string): Promise<void>;
}

export const nodeStateFs: StateFs = {
  async read(path) {
    try {
      return await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  },
  async replace(path, tmp, data) {
    const fh = await open(tmp, 'w', 0o640);
    try {
      await fh.writeFile(data, 'utf8');
      await fh.sync();
    } catch (e) {
      await fh.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    await fh.close();
    await rename(tmp, path);
    const dir = await open(dirname(path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  },
  rename: (from, to) => rename(from, to),
};

/** What reading the state file at start found. */
export type Loaded =
  | { readonly kind: 'restored'; readonly state: unknown; readonly savedAt: string; readonly seq: number }
  | { readonly kind: 'missing' }
  /** Unusable: `problem` names what is wrong; the file was moved to `keptAs` (if that worked). */
  | { readonly kind: 'unusable'; readonly problem: string; readonly keptAs: string | null };

interface Envelope {
  readonly format: string;
  readonly version: number;
  readonly savedAt: string;
  readonly seq: number;
  readonly state: unknown;
}

const CRC_KEY = ',"crc":"';
const hex8 = (n: number) => n.toString(16).padStart(8, '0');

export function encodeState(state: unknown, savedAt: string, seq: number): string {
  const body = JSON.stringify({ format: STATE_FORMAT, version: STATE_VERSION, savedAt, seq, state } satisfies Envelope);
  return `${body.slice(0, -1)}${CRC_KEY}${hex8(crc32(body))}"}\n`;
}

/** Checks the envelope; returns the problem in words, or the envelope. */
export function decodeState(text: string): Envelope | string {
  const line = text.trimEnd();
  if (line === '') return 'the file is empty';
  const i = line.lastIndexOf(CRC_KEY);
  if (i < 0 || !line.endsWith('"}')) return 'the file is truncated or not a twinfeed state file (no checksum at its end)';
  const body = `${line.slice(0, i)}}`;
  if (hex8(crc32(body)) !== line.slice(i + CRC_KEY.length, -2)) return 'checksum mismatch: the file is corrupted';
  let env: Partial<Envelope>;
  try {
    env = JSON.parse(body) as Partial<Envelope>;
  } catch {
    return 'not JSON';
  }
  if (env.format !== STATE_FORMAT) return `not a twinfeed state file (format ${JSON.stringify(env.format)})`;
  if (typeof env.version !== 'number' || !Number.isInteger(env.version)) return 'no format version';
  if (env.version > STATE_VERSION) return `written by a newer twinfeed (format version ${env.version}; this one reads up to ${STATE_VERSION})`;
  if (typeof env.savedAt !== 'string' || typeof env.seq !== 'number' || typeof env.state !== 'object' || env.state === null) return 'fields missing';
  return env as Envelope;
}

export interface StoreLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface StoreHealth {
  /** The last write failed with this (null when the last write worked or none was needed). */
  readonly fault: { readonly code: string; readonly message: string; readonly sinceMs: number } | null;
  readonly writes: number;
  readonly failedWrites: number;
  /** A newer state is waiting to be written. */
  readonly pending: boolean;
}

export interface StateStore {
  /** Reads the state file once, at start (moves an unusable one aside). */
  load(): Promise<Loaded>;
  /** Offers the latest state; written soon, coalesced with later offers. Never blocks or throws. */
  save(state: unknown): void;
  health(): StoreHealth;
  /** Writes what is pending now (stop); resolves when written, failed, or after `timeoutMs`. */
  flush(timeoutMs: number): Promise<void>;
}

export interface StoreOptions {
  readonly dir: string;
  /** At most one write per this many ms (default 1000); changes in between are coalesced. */
  readonly minIntervalMs?: number;
  /** Wait before retrying a failed write (default 5000). */
  readonly retryMs?: number;
  readonly fs?: StateFs;
  readonly clock?: () => number;
  readonly logger?: StoreLogger;
}

export function createStateStore(o: StoreOptions): StateStore {
  const fs = o.fs ?? nodeStateFs;
  const clock = o.clock ?? Date.now;
  const minIntervalMs = o.minIntervalMs ?? 1000;
  const retryMs = o.retryMs ?? 5000;
  const path = join(o.dir, STATE_FILE);
  const tmp = `${path}.tmp`;
  let seq = 0;
  let pending: unknown;
  let hasPending = false;
  let writing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let lastWriteMs = -Infinity;
  let fault: StoreHealth['fault'] = null;
  let writes = 0;
  let failedWrites = 0;

  const writeOnce = async () => {
    if (!hasPending) return;
    const state = pending;
    hasPending = false;
    lastWriteMs = clock();
    try {
      await fs.replace(path, tmp, encodeState(state, new Date(lastWriteMs).toISOString(), seq + 1));
      seq += 1;
      writes += 1;
      if (fault) o.logger?.info({ file: path, was: fault.code }, 'state file writable again');
      fault = null;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      failedWrites += 1;
      if (!fault) o.logger?.warn({ file: path, code: err.code, err: err.message }, 'cannot write the state file; the controller keeps running and retries');
      fault = { code: err.code ?? 'EIO', message: err.message, sinceMs: fault?.sinceMs ?? clock() };
      // Keep the newest state for the retry unless a newer one arrived meanwhile.
      if (!hasPending) [pending, hasPending] = [state, true];
    }
  };

  const schedule = () => {
    if (timer || writing || !hasPending) return;
    const wait = fault ? retryMs : Math.max(0, lastWriteMs + minIntervalMs - clock());
    timer = setTimeout(() => {
      timer = undefined;
      writing = writeOnce().finally(() => {
        writing = null;
        schedule();
      });
    }, wait);
    timer.unref?.();
  };

  return {
    async load() {
      let text: string | undefined;
      try {
        text = await fs.read(path);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        return { kind: 'unusable', problem: `cannot be read (${err.code ?? err.message})`, keptAs: null };
      }
      if (text === undefined) return { kind: 'missing' };
      const env = decodeState(text);
      if (typeof env !== 'string') {
        seq = env.seq;
        return { kind: 'restored', state: env.state, savedAt: env.savedAt, seq: env.seq };
      }
      // Kept aside, so the next save does not destroy what someone may want to look at (or a newer
      // twinfeed's state after a downgrade).
      const keptAs = `${path}.unusable-${new Date(clock()).toISOString().replace(/[:.]/g, '-')}`;
      const moved = await fs.rename(path, keptAs).then(
        () => true,
        () => false,
      );
      return { kind: 'unusable', problem: env, keptAs: moved ? keptAs : null };
    },
    save(state) {
      pending = state;
      hasPending = true;
      schedule();
    },
    health: () => ({ fault, writes, failedWrites, pending: hasPending }),
    async flush(timeoutMs) {
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
      }
      const work = (async () => {
        if (writing) await writing;
        if (hasPending) await writeOnce();
      })();
      let to: NodeJS.Timeout | undefined;
      await Promise.race([work, new Promise<void>((r) => (to = setTimeout(r, timeoutMs)))]);
      if (to) clearTimeout(to);
    },
  };
}
