// Command writes from SCADA clients: select-before-operate state per client address, submission to
// the controller, and a log line for every write attempt (permitted or not) with the client address.
import type { Logger } from 'pino';
import type { Command } from '../core/types.js';
import type { ControllerPort } from '../io/controller-port.js';
import { commandWord, denied, isCommandCode, operate, SBO_IDLE, select, settle, type SboState } from './commands.js';
import { SELECT_ADDR } from './map.js';
import { Exception, type PduContext } from './pdu.js';

/** SBO states kept per client address; the least recently used is forgotten beyond this. */
export const MAX_CLIENT_STATES = 64;

export interface WriteCounters {
  writeAttempts: number;
  writesDenied: number;
  commandsSubmitted: number;
}

export interface CommandDeskOptions {
  readonly controller: ControllerPort;
  readonly selectTimeoutMs: number;
  readonly log: Logger;
  readonly counters: WriteCounters;
  /** The status image the server keeps current (read through every context). */
  readonly status: Buffer;
  /** Called after every change of a client's SBO state (reader processes mirror it for reads of 100–102). */
  readonly onChange?: (ip: string, state: SboState) => void;
}

export interface CommandDesk {
  /** The PDU context of one connection: its client's SBO state, permission and write log. */
  contextFor(ip: string, origin: string, writesAllowed: boolean): PduContext;
  stateOf(ip: string): SboState;
  /** Every client address's state (a restarted reader process is sent them all). */
  states(): { ip: string; state: SboState }[];
}

export function commandDesk({ controller, selectTimeoutMs, log, counters: stats, status: image, onChange }: CommandDeskOptions): CommandDesk {
  const sbo = new Map<string, SboState>();
  const sboOf = (ip: string): SboState => sbo.get(ip) ?? SBO_IDLE;
  function setSbo(ip: string, s: SboState): void {
    sbo.delete(ip); // re-insert so Map order is least recently used first
    sbo.set(ip, s);
    if (sbo.size > MAX_CLIENT_STATES) sbo.delete(sbo.keys().next().value ?? '');
    onChange?.(ip, s);
  }

  function submit(ip: string, origin: string, code: number, command: Command): void {
    stats.commandsSubmitted++;
    log.info({ client: origin, code, command }, 'scada command submitted');
    controller.submit(command, origin).then(
      (outcome) => {
        setSbo(ip, settle(sboOf(ip), code, outcome));
        log.info({ client: origin, code, command: command.name, ...outcome }, outcome.accepted ? 'scada command executed' : 'scada command refused');
      },
      (err: unknown) => {
        setSbo(ip, settle(sboOf(ip), code, { accepted: false, reason: 'controller error' }));
        log.error({ client: origin, code, err }, 'scada command failed');
      },
    );
  }

  function contextFor(ip: string, origin: string, writesAllowed: boolean): PduContext {
    return {
      status: image,
      writesAllowed,
      commandWord: (address) => commandWord(sboOf(ip), address, Date.now(), selectTimeoutMs),
      write(address, value) {
        if (!isCommandCode(value)) return Exception.illegalValue;
        const nowMs = Date.now();
        if (address === SELECT_ADDR) {
          setSbo(ip, select(value, nowMs));
          return 0;
        }
        const r = operate(sboOf(ip), value, nowMs, selectTimeoutMs);
        setSbo(ip, r.state);
        if (r.command) submit(ip, origin, value, r.command);
        return 0;
      },
      writeAttempt(fc, address, values, exception) {
        stats.writeAttempts++;
        if (!writesAllowed) {
          stats.writesDenied++;
          setSbo(ip, denied(sboOf(ip)));
        }
        const entry = { client: origin, fc, address, values, exception, permitted: writesAllowed };
        if (exception === 0) log.info(entry, 'scada write');
        else log.warn(entry, 'scada write rejected');
      },
    };
  }
  return { contextFor, stateOf: sboOf, states: () => [...sbo].map(([ip, state]) => ({ ip, state })) };
}
