// The bdSeq counter (spec 3.0 §6.4.18): +1 on every MQTT CONNECT, 0–255, wrapping. Kept in
// <stateDir>/sparkplug-bdseq when there is a stateDir, so that a restarted controller's births are
// told apart from the previous run's by a host application; otherwise it starts at 0 each run.
import { readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

export interface BdSeqCounter {
  /** The bdSeq for the next CONNECT (already remembered when it resolves). */
  next(): Promise<number>;
}

export const BDSEQ_FILE = 'sparkplug-bdseq';

export function createBdSeqCounter(stateDir: string | null, onError: (problem: string) => void): BdSeqCounter {
  let last: number | undefined;
  const file = stateDir === null ? undefined : join(stateDir, BDSEQ_FILE);
  return {
    async next() {
      if (last === undefined && file) {
        const text = await readFile(file, 'utf8').catch(() => '');
        const n = Number(text.trim());
        if (text !== '' && Number.isInteger(n) && n >= 0 && n <= 255) last = n;
      }
      const n = last === undefined ? 0 : (last + 1) % 256;
      last = n;
      if (file) {
        // Written then renamed: a power cut leaves the old value or the new one, never half a number.
        await writeFile(`${file}.tmp`, `${n}\n`)
          .then(() => rename(`${file}.tmp`, file))
          .catch((e: Error) => onError(`cannot keep bdSeq in ${file}: ${e.message}`));
      }
      return n;
    },
  };
}

/** Reconnect delay: doubling from 1 s to 60 s, each with jitter in [half, full] so a fleet does not stampede a restarted broker. */
export function backoffMs(attempt: number, random: () => number, baseMs = 1000, capMs = 60_000): number {
  const full = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 16));
  return Math.round(full / 2 + (random() * full) / 2);
}
