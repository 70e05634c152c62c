// The state file: atomic writes coalesced to a bounded rate, read back with checksum and version
// checked; an unusable file is named, moved aside and never overwritten; a failing disk is a
// reported fault that heals, never an exception at the caller.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStateStore, encodeState, nodeStateFs, STATE_FILE, type StateFs } from '../../../src/runtime/persist/store.js';

const dirOf = () => mkdtempSync(join(tmpdir(), 'twinfeed-state-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits for `ok` (a loaded machine may take a while to try the write), then lets expect() judge. */
async function until(ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !ok() && Date.now() < end;) await sleep(10);
}

describe('state store on a real disk', () => {
  it('writes the newest state atomically and reads it back after a restart', async () => {
    const dir = dirOf();
    const a = createStateStore({ dir, minIntervalMs: 0 });
    expect(await a.load()).toEqual({ kind: 'missing' });
    a.save({ mode: 'manual', n: 1 });
    a.save({ mode: 'manual', n: 2 });
    await a.flush(2000);
    expect(readdirSync(dir)).toEqual([STATE_FILE]);
    const b = createStateStore({ dir });
    expect(await b.load()).toMatchObject({ kind: 'restored', state: { mode: 'manual', n: 2 } });
  });

  it('coalesces a burst of changes: at most one write per interval, the last state wins', async () => {
    const dir = dirOf();
    const s = createStateStore({ dir, minIntervalMs: 200 });
    const t0 = performance.now();
    for (let i = 0; i < 50; i++) {
      s.save({ i });
      await sleep(5);
    }
    // About 250 ms of changes; a loaded machine stretches it, and the bound follows the time it took.
    const burstMs = performance.now() - t0;
    await s.flush(2000);
    const writes = s.health().writes;
    expect(writes).toBeGreaterThanOrEqual(1);
    expect(writes).toBeLessThanOrEqual(Math.ceil(burstMs / 200) + 2); // one write per 200 ms, the first at once, plus the flush
    expect(await createStateStore({ dir }).load()).toMatchObject({ state: { i: 49 } });
  });

  for (const [what, mangle, problem] of [
    ['truncated', (t: string) => t.slice(0, 40), /truncated or not a twinfeed state file/],
    ['corrupted', (t: string) => t.replace('"manual"', '"auto"  '), /checksum mismatch: the file is corrupted/],
    ['empty', () => '', /the file is empty/],
    ['from a newer twinfeed', () => encodeState({}, 'x', 1).replace('"version":1', '"version":9'), /checksum mismatch|newer twinfeed/],
  ] as const) {
    it(`reports a ${what} file by name, moves it aside and starts from defaults`, async () => {
      const dir = dirOf();
      writeFileSync(join(dir, STATE_FILE), mangle(encodeState({ mode: 'manual' }, '2026-12-01T00:00:00.000Z', 3)));
      const r = await createStateStore({ dir }).load();
      expect(r.kind).toBe('unusable');
      if (r.kind !== 'unusable') return;
      expect(r.problem).toMatch(problem);
      expect(r.keptAs).toMatch(/state\.json\.unusable-/);
      expect(readdirSync(dir)).toEqual([r.keptAs?.split('/').pop()]);
    });
  }

  it('reads a newer format version as unusable, with the version named', async () => {
    const dir = dirOf();
    // A well-formed file whose checksum is right but whose version is ahead of this build.
    const body = JSON.stringify({ format: 'twinfeed-state', version: 2, savedAt: 'x', seq: 1, state: {} });
    const { crc32 } = await import('../../../src/runtime/journal/record.js');
    writeFileSync(join(dir, STATE_FILE), `${body.slice(0, -1)},"crc":"${crc32(body).toString(16).padStart(8, '0')}"}\n`);
    const r = await createStateStore({ dir }).load();
    expect(r).toMatchObject({ kind: 'unusable', problem: 'written by a newer twinfeed (format version 2; this one reads up to 1)' });
  });

  it('reports a missing directory as a write fault and writes once it exists', async () => {
    const parent = dirOf();
    const dir = join(parent, 'state');
    const s = createStateStore({ dir, minIntervalMs: 0, retryMs: 20 });
    s.save({ n: 1 });
    await until(() => s.health().fault !== null);
    expect(s.health().fault).toMatchObject({ code: 'ENOENT' });
    expect(s.health().pending).toBe(true);
    (await import('node:fs')).mkdirSync(dir);
    await until(() => s.health().fault === null);
    expect(s.health()).toMatchObject({ fault: null, writes: 1 });
    expect(JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8').replace(/,"crc":"[0-9a-f]{8}"/, ''))).toMatchObject({ state: { n: 1 } });
  });
});

describe('state store with an injected disk', () => {
  it('survives ENOSPC and EIO: counted, retried, the newest state written when the disk recovers', async () => {
    const files = new Map<string, string>();
    let failWith: string | null = 'ENOSPC';
    const fs: StateFs = {
      read: async (p) => files.get(p),
      async replace(p, _tmp, data) {
        if (failWith) throw Object.assign(new Error(`${failWith}: no`), { code: failWith });
        files.set(p, data);
      },
      async rename(a, b) {
        files.set(b, files.get(a) ?? '');
        files.delete(a);
      },
    };
    const s = createStateStore({ dir: '/x', fs, minIntervalMs: 0, retryMs: 10 });
    s.save({ n: 1 });
    await until(() => s.health().fault?.code === 'ENOSPC');
    failWith = 'EIO';
    s.save({ n: 2 });
    await until(() => s.health().fault?.code === 'EIO' && s.health().failedWrites >= 2);
    expect(s.health().fault?.code).toBe('EIO');
    expect(s.health().failedWrites).toBeGreaterThanOrEqual(2);
    failWith = null;
    await until(() => s.health().fault === null);
    expect(s.health().fault).toBeNull();
    expect(await createStateStore({ dir: '/x', fs }).load()).toMatchObject({ kind: 'restored', state: { n: 2 } });
  });

  it('never throws at the caller, even when the disk throws synchronously-looking errors on read', async () => {
    const fs: StateFs = { ...nodeStateFs, read: () => Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' })) };
    expect(await createStateStore({ dir: '/x', fs }).load()).toEqual({ kind: 'unusable', problem: 'cannot be read (EIO)', keptAs: null });
  });
});
