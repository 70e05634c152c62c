// Real peers for the Modbus RTU integration tests: a socat pty pair (a null-modem cable) and a
// pymodbus slave on its far end, run with Debian's /usr/bin/python3 (its python3-pymodbus).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { missingTool, PYTHON } from '../system-tools.js';

const SLAVE = fileURLToPath(new URL('./fixtures/rtu_slave.py', import.meta.url));

/** Why the peers cannot run here, or undefined when they can. */
export const missingPeers = (): string | undefined => missingTool('rtuPeers');

async function until(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const stop = (p: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    p.once('exit', () => resolve());
    p.kill('SIGTERM');
  });

/** A pty pair: the master opens `a`, the slave `b`; bytes written to one come out of the other. */
export async function ptyPair(dir: string) {
  const a = `${dir}/master`;
  const b = `${dir}/slave`;
  const proc = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
  await until('socat ptys', () => existsSync(a) && existsSync(b));
  return { a, b, close: () => stop(proc) };
}

/** The pymodbus slave; `send` feeds it a stdin command and resolves when it has been applied. */
export async function rtuSlave(path: string) {
  const proc = spawn(PYTHON, [SLAVE, path], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  await until('pymodbus slave READY', () => out.includes('READY') || proc.exitCode !== null);
  if (proc.exitCode !== null) throw new Error(`pymodbus slave exited with ${proc.exitCode}`);
  const send = async (command: string) => {
    const before = out.length;
    proc.stdin?.write(`${command}\n`);
    await until(`slave to apply "${command}"`, () => out.slice(before).includes(`OK ${command}`));
  };
  return { send, close: () => stop(proc) };
}

/** Writes raw bytes onto the line, as a second talker or electrical noise on the RS-485 pair would. */
export function injectBytes(ptyPath: string, bytes: Buffer): void {
  // O_NOCTTY: never let the test process adopt the pty as its controlling terminal.
  const fd = openSync(ptyPath, constants.O_WRONLY | constants.O_NOCTTY);
  try {
    writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}
