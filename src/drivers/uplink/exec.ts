// Running system commands (ping, ip, conntrack) with a hard time limit. Never throws: a missing
// binary, a non-zero exit or a hung process all come back as an outcome to log and report.
import { spawn } from 'node:child_process';

export interface ExecOutcome {
  /** Exit code; null when the process could not start or was killed at the time limit. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Why it did not run to completion ('timeout', or the spawn error such as ENOENT). */
  readonly error?: string;
}

export type Exec = (cmd: string, args: readonly string[], timeoutMs: number) => Promise<ExecOutcome>;

const MAX_OUTPUT_CHARS = 64 * 1024;

/** The real thing: spawns without a shell (arguments are never interpreted), kills at the time limit. */
export const spawnExec: Exec = (cmd, args, timeoutMs) =>
  new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let done = false;
    const finish = (o: ExecOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(o);
    };
    const child = spawn(cmd, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    // SIGINT first: ping then still prints its statistics (an answer that came in time is not lost).
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      setTimeout(() => {
        child.kill('SIGKILL');
        finish({ code: null, stdout, stderr, error: 'timeout' });
      }, 100).unref();
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < MAX_OUTPUT_CHARS) stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < MAX_OUTPUT_CHARS) stderr += d.toString();
    });
    child.on('error', (e: NodeJS.ErrnoException) => finish({ code: null, stdout, stderr, error: e.code ?? e.message }));
    child.on('close', (code, signal) => finish({ code, stdout, stderr, ...(signal ? { error: 'timeout' } : {}) }));
  });

/** Runs every command through a prefix, e.g. `ip netns exec NS` (tests, or a dedicated namespace). */
export function prefixedExec(exec: Exec, prefix: readonly string[]): Exec {
  const [cmd, ...rest] = prefix;
  if (cmd === undefined) return exec;
  return (c, args, timeoutMs) => exec(cmd, [...rest, c, ...args], timeoutMs);
}

/** One line for a log or an alarm: what ran and how it failed. */
export function describeFailure(cmd: string, args: readonly string[], o: ExecOutcome): string {
  const why = o.error ?? `exit ${o.code}`;
  const detail = (o.stderr || o.stdout).trim().split('\n')[0] ?? '';
  return `${cmd} ${args.join(' ')}: ${why}${detail ? ` (${detail})` : ''}`;
}
