// Driver status that is text (a modem's operator name) joined into the published status: the core
// takes only numbers, so the name goes around it, from the board's `texts()` straight to /status.
import type { Status, UplinkStatus } from '../core/types.js';

const uplinkOf = (s: Status, id: string): UplinkStatus | undefined => {
  const u = s.uplink[id];
  return typeof u === 'object' && u !== null ? u : undefined;
};

/** The status with `uplink.<id>.radio.operatorName` from the driver's texts; the same object when nothing is added. */
export function withDriverTexts(status: Status, ids: readonly string[], texts: Readonly<Record<string, string>> | undefined): Status {
  if (texts === undefined) return status;
  let uplink: Status['uplink'] | undefined;
  for (const id of ids) {
    const u = uplinkOf(status, id);
    const name = texts[`uplink.${id}.operatorName`];
    if (u?.radio == null || name === undefined || u.radio.operatorName === name) continue;
    uplink ??= { ...status.uplink };
    uplink[id] = { ...u, radio: { ...u.radio, operatorName: name } };
  }
  return uplink === undefined ? status : { ...status, uplink };
}
