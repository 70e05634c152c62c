// Helpers for CLI tests: build dist once when it is missing or older than the sources, spawn the CLI, write temp files.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');

/** Newest mtime (ms) of the .ts files under these folders. */
function newestSource(dirs: readonly string[]): number {
  let newest = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d);
  return newest;
}

const sleepMs = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** A lock folder, so that the CLI test files running in parallel build only once. */
const LOCK = join(tmpdir(), `twinfeed-tsc-lock-${Buffer.from(ROOT).toString('hex').slice(-16)}`);

const fresh = (dirs: readonly string[]) => existsSync(MAIN) && statSync(MAIN).mtimeMs >= newestSource(dirs);

/**
 * Builds with `tsc -p .` when dist/src/cli/main.js is missing or older than any source the CLI uses.
 * Others' work in progress may have type errors elsewhere; tsc still emits, so only a missing
 * main.js is fatal.
 */
export function ensureBuilt(): void {
  // Every source the CLI can load (drivers, scada, sparkplug … included), so no stale build is run.
  const dirs = ['src', 'sim'].map((d) => join(ROOT, d));
  for (const deadline = Date.now() + 300_000; Date.now() < deadline;) {
    if (fresh(dirs)) return;
    try {
      mkdirSync(LOCK);
    } catch {
      // Another test file is building: wait for it (a lock older than 5 min is abandoned).
      const ageMs = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (ageMs > 300_000) rmSync(LOCK, { recursive: true, force: true });
      sleepMs(500);
      continue;
    }
    try {
      const r = spawnSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, encoding: 'utf8' });
      if (!existsSync(MAIN)) throw new Error(`build failed, no ${MAIN}:\n${r.stdout}\n${r.stderr}`);
      return;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
  throw new Error('timed out waiting for the build');
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function cli(args: readonly string[]): Promise<CliResult> {
  return new Promise((done) => {
    execFile(process.execPath, [MAIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** A temp folder with these files written into it; returns the paths by name. */
export function files(contents: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'twinfeed-cli-'));
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(contents)) {
    out[name] = join(dir, name);
    writeFileSync(out[name] as string, text);
  }
  return out;
}
