// Test doubles for the uplink driver: an exec that records commands and answers from a script.
import type { Exec, ExecOutcome } from '../../../src/drivers/uplink/exec.js';
import type { UplinkLogger } from '../../../src/drivers/uplink/routes.js';

export interface FakeExec {
  readonly exec: Exec;
  readonly calls: string[];
}

/** `answer` sees the full command line; default: success with no output. */
export function fakeExec(answer: (line: string) => Partial<ExecOutcome> = () => ({})): FakeExec {
  const calls: string[] = [];
  const exec: Exec = async (cmd, args) => {
    const line = [cmd, ...args].join(' ');
    calls.push(line);
    return { code: 0, stdout: '', stderr: '', ...answer(line) };
  };
  return { exec, calls };
}

export function fakeLogger(): UplinkLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (_o, m) => lines.push(`info ${m}`),
    warn: (_o, m) => lines.push(`warn ${m}`),
    error: (_o, m) => lines.push(`error ${m}`),
  };
}
