// The journal's config: runtime.stateDir, runtime.journal limits, and the old file-path form refused with a hint.
import { describe, expect, it } from 'vitest';
import { ConfigInvalid } from '../../../src/config/errors.js';
import { validateConfig } from '../../../src/config/load.js';

const errorsOf = (raw: unknown): string => {
  try {
    validateConfig(raw, 'c.yaml');
  } catch (e) {
    if (e instanceof ConfigInvalid) return e.message;
    throw e;
  }
  return '';
};

describe('runtime.stateDir and runtime.journal', () => {
  it('defaults: no stateDir (nothing kept), 16 MiB segments, 1 GiB in all, fsync at most once a second', () => {
    const c = validateConfig({}, 'c.yaml');
    expect(c.runtime.stateDir).toBeNull();
    expect(c.runtime.journal).toEqual({ segmentBytes: 16 * 1024 * 1024, maxBytes: 1024 * 1024 * 1024, queueRecords: 4096, commitMs: 1000 });
  });

  it.each(['/var/lib/twinfeed/journal.jsonl', null])('refuses the old file-path form (%s) and names runtime.stateDir', (old) => {
    const msg = errorsOf({ runtime: { journal: old } });
    expect(msg).toMatch(/runtime\.journal: a file path is no longer accepted \(set runtime\.stateDir/);
  });

  it('refuses segments larger than half the cap, and an unknown limit', () => {
    expect(errorsOf({ runtime: { journal: { segmentBytes: 1e8, maxBytes: 1e8 } } })).toMatch(/runtime\.journal\.segmentBytes: .*keep at least two segments/);
    expect(errorsOf({ runtime: { journal: { segmentbytes: 1e6 } } })).toMatch(/runtime\.journal\.segmentbytes: unknown key/);
  });
});
