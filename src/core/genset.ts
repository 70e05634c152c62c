// What a generator controller reports over Modbus (DSE GenComm numbering), read where a board maps
// it: its control mode, so a key left out of auto is an alarm before the outage that needs the set.
import { GEN_CONTROL_MODE } from './signals.js';
import type { Reading, SignalName } from './types.js';

/** GenComm control mode codes (register 772); 1 is the only mode in which a remote start runs the set. */
export const GEN_CONTROL_MODES: Readonly<Record<number, string>> = {
  0: 'stop',
  1: 'auto',
  2: 'manual',
  3: 'test on load',
  6: 'test off load',
  7: 'off',
};
export const GEN_MODE_AUTO = 1;

/**
 * The GEN_NOT_IN_AUTO message while the controller reports a mode other than auto; undefined in auto,
 * and while the mode is not mapped or not fresh (unknown is not "not in auto").
 */
export function genNotInAuto(inputs: ReadonlyMap<SignalName, Reading>): string | undefined {
  const mode = inputs.get(GEN_CONTROL_MODE)?.value;
  if (typeof mode !== 'number' || mode === GEN_MODE_AUTO) return undefined;
  const name = GEN_CONTROL_MODES[mode] ?? `unknown mode ${mode}`;
  return `generator controller is in ${name}, not auto: it will not start on an outage`;
}
