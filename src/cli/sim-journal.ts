// `twinfeed sim --journal DIR`: the journal a real run would write (same writer, same records:
// start, config, every event, stop), stamped with the scenario's wall-clock times, so that a
// simulated month can be read back with `twinfeed journal` and reported with `twinfeed report`.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configHash } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { journalEvent, journalStart, journalStop } from '../runtime/journal/session.js';
import { listSegments } from '../runtime/journal/segments.js';
import { nodeJournalFs } from '../runtime/journal/fs.js';
import { openJournal, type Journal, type JournalHealth } from '../runtime/journal/writer.js';
import type { ControllerEvent } from '../core/types.js';

/** The sim writes as fast as it can: its queue is never the bound (a real controller's is). */
const SIM_QUEUE_RECORDS = Number.MAX_SAFE_INTEGER;
/** How long writing a simulated journal may take once the scenarios have run. */
const FLUSH_TIMEOUT_MS = 300_000;

export interface SimJournal {
  /** Brackets one scenario with start/config … stop, as one run of the controller. */
  begin(scenario: { name: string; seed: number }, cfg: Config, atMs: number): void;
  event(e: ControllerEvent, atMs: number): void;
  end(atMs: number): void;
  /** Writes everything; resolves with the writer's health (dropped > 0 or a fault: not all written). */
  close(): Promise<JournalHealth>;
}

/** A problem with DIR before anything runs (usage-level: exit 2), or undefined. */
export async function journalDirProblem(stateDir: string): Promise<string | undefined> {
  const dir = join(stateDir, 'journal');
  if (!existsSync(dir)) return undefined;
  const segs = await listSegments(nodeJournalFs, dir);
  if (segs.some((s) => s.size > 0))
    return `--journal ${stateDir}: ${dir} already holds a journal; give an empty or new directory (a simulated journal is never appended to another one)`;
  return undefined;
}

export function openSimJournal(stateDir: string, limits: Config['runtime']['journal']): SimJournal {
  mkdirSync(stateDir, { recursive: true });
  // Monotonic time is the simulated time from the first scenario's start while the scenarios run,
  // then real time on top of it, so that the writer's group commit and close timeout still advance.
  let firstMs: number | undefined;
  let simMs = 0;
  let releasedAt: number | undefined;
  const mono = () => (releasedAt === undefined ? simMs : simMs + (performance.now() - releasedAt));
  const j: Journal = openJournal({
    dir: join(stateDir, 'journal'),
    limits: { ...limits, queueRecords: SIM_QUEUE_RECORDS },
    mono,
    clock: () => (firstMs ?? 0) + simMs,
  });
  const at = (atMs: number) => {
    firstMs ??= atMs;
    simMs = Math.max(simMs, atMs - firstMs);
  };
  return {
    begin(s, cfg, atMs) {
      at(atMs);
      journalStart(
        j,
        { version: packageVersion(), pid: process.pid, board: 'sim', node: process.version, scenario: s.name, seed: s.seed },
        cfg,
        configHash(cfg),
        atMs,
      );
    },
    event(e, atMs) {
      at(atMs);
      journalEvent(j, e, atMs);
    },
    end(atMs) {
      at(atMs);
      journalStop(j, { signal: 'none', reason: 'end of scenario' }, atMs);
    },
    async close() {
      releasedAt = performance.now();
      await j.close(FLUSH_TIMEOUT_MS);
      return j.health();
    },
  };
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
