// Shared bits for the journal tests: temp folders, waiting for the asynchronous writer.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Journal, JournalHealth, JournalLimits } from '../../../src/runtime/journal/writer.js';

export const tempDir = () => mkdtempSync(join(tmpdir(), 'twinfeed-journal-'));

export const LIMITS: JournalLimits = { segmentBytes: 16 * 1024 * 1024, maxBytes: 1024 * 1024 * 1024, queueRecords: 4096, commitMs: 1000 };

/** Waits (up to 10 s) until the journal's health satisfies `ok`. */
export async function until(j: Journal, ok: (h: JournalHealth) => boolean, what = 'condition'): Promise<JournalHealth> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const h = j.health();
    if (ok(h)) return h;
    if (Date.now() > deadline) throw new Error(`journal: timed out waiting for ${what}: ${JSON.stringify(h)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
