// Select-before-operate for SCADA commands (registers 100–102), as pure transitions with time as an
// argument; the server keeps one state per client address and submits what `operate` returns.
import type { Command } from '../core/types.js';
import type { CommandOutcome } from '../io/controller-port.js';

/** Test duration for codes 5/6: SCADA cannot pass one, and a forgotten test must end by itself. */
export const SCADA_TEST_DURATION_MS = 10 * 60_000;

export const COMMAND_CODES: ReadonlyMap<number, { readonly label: string; readonly command: Command }> = new Map([
  [1, { label: 'transfer to A', command: { name: 'transferTo', source: 'A' } }],
  [2, { label: 'transfer to B', command: { name: 'transferTo', source: 'B' } }],
  [3, { label: 'mode auto', command: { name: 'setMode', mode: 'auto' } }],
  [4, { label: 'mode manual', command: { name: 'setMode', mode: 'manual' } }],
  [5, { label: 'start test off-load (10 min)', command: { name: 'startTest', onLoad: false, durationMs: SCADA_TEST_DURATION_MS } }],
  [6, { label: 'start test on-load (10 min)', command: { name: 'startTest', onLoad: true, durationMs: SCADA_TEST_DURATION_MS } }],
  [7, { label: 'stop test', command: { name: 'stopTest' } }],
  [8, { label: 'approve retransfer', command: { name: 'approveRetransfer' } }],
  [9, { label: 'reset lockout', command: { name: 'resetLockout' } }],
  [10, { label: 'acknowledge alarms', command: { name: 'ackAlarms' } }],
] as const);

/** Register 102 values. */
export const CommandStatus = { idle: 0, selected: 1, executed: 2, refused: 3, expiredOrMismatch: 4, notPermitted: 5 } as const;
export type CommandStatusCode = (typeof CommandStatus)[keyof typeof CommandStatus];

export type SboState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'selected'; readonly code: number; readonly atMs: number }
  /** Operate accepted, waiting for the scan's verdict (reads as 1). */
  | { readonly kind: 'operating'; readonly code: number }
  | { readonly kind: 'done'; readonly code: number; readonly status: 2 | 3 | 4 | 5 };

export const SBO_IDLE: SboState = { kind: 'idle' };

export const isCommandCode = (v: number): boolean => COMMAND_CODES.has(v);

/** Register 102 as this client would read it at `nowMs`: a select past its timeout reads as expired. */
export function commandStatus(s: SboState, nowMs: number, selectTimeoutMs: number): CommandStatusCode {
  switch (s.kind) {
    case 'idle':
      return CommandStatus.idle;
    case 'selected':
      return nowMs - s.atMs > selectTimeoutMs ? CommandStatus.expiredOrMismatch : CommandStatus.selected;
    case 'operating':
      return CommandStatus.selected;
    case 'done':
      return s.status;
  }
}

/** Registers 100/101 read back the code in play (0 when none), so a master can verify its select. */
export const selectedCode = (s: SboState): number => (s.kind === 'idle' ? 0 : s.code);

/** Registers 100 (code in play), 101 (code operated, once operated) and 102 (status) for one client. */
export function commandWord(s: SboState, address: number, nowMs: number, selectTimeoutMs: number): number {
  if (address === 100) return selectedCode(s);
  if (address === 101) return s.kind === 'operating' || (s.kind === 'done' && s.status <= 3) ? s.code : 0;
  if (address === 102) return commandStatus(s, nowMs, selectTimeoutMs);
  return 0;
}

export function select(code: number, nowMs: number): SboState {
  return { kind: 'selected', code, atMs: nowMs };
}

/** Operate: only the selected code, within the timeout, and only once; anything else is status 4. */
export function operate(s: SboState, code: number, nowMs: number, selectTimeoutMs: number): { state: SboState; command?: Command } {
  const entry = COMMAND_CODES.get(code);
  if (s.kind !== 'selected' || s.code !== code || nowMs - s.atMs > selectTimeoutMs || entry === undefined) {
    return { state: { kind: 'done', code, status: CommandStatus.expiredOrMismatch } };
  }
  return { state: { kind: 'operating', code }, command: entry.command };
}

/** The scan's verdict; ignored if the client has moved on (a new select) meanwhile. */
export function settle(s: SboState, code: number, outcome: CommandOutcome): SboState {
  if (s.kind !== 'operating' || s.code !== code) return s;
  return { kind: 'done', code, status: outcome.accepted ? CommandStatus.executed : CommandStatus.refused };
}

export function denied(s: SboState): SboState {
  return { kind: 'done', code: selectedCode(s), status: CommandStatus.notPermitted };
}
