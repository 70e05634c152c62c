// The journal writer on a real disk, with an injected fs for exact fault timing: what is written reads
// back whole and in order, fsyncs are grouped, segments rotate under a cap, a torn or corrupt tail is
// reported and skipped, and every storage fault is reported, counted and recovered from by itself.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeRecord } from '../../../src/runtime/journal/record.js';
import { readJournal, type ReadProblem } from '../../../src/runtime/journal/reader.js';
import { openJournal } from '../../../src/runtime/journal/writer.js';
import { faultyFs } from './fake-fs.js';
import { LIMITS, tempDir, until } from './helpers.js';

const T0 = Date.parse('2026-12-01T08:00:00Z');

async function readBack(dir: string) {
  const problems: ReadProblem[] = [];
  const records = await readJournal(dir, { onProblem: (p) => problems.push(p) });
  return { records, problems };
}

describe('journal writer', () => {
  it('writes records that read back in order with seq, wall-clock and monotonic time and a CRC per line', async () => {
    const dir = join(tempDir(), 'journal');
    const j = openJournal({ dir, limits: LIMITS, clock: () => T0 });
    j.append('start', { pid: 1 }, T0, true);
    for (let i = 0; i < 10; i++) j.append('alarm', { code: 'UPS_ON_BATTERY', active: i % 2 === 0 }, T0 + i);
    await j.close(5000);
    const { records, problems } = await readBack(dir);
    expect(problems).toEqual([]);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(records[0]).toMatchObject({ type: 'start', at: '2026-12-01T08:00:00.000Z', pid: 1 });
    expect(records[3]).toMatchObject({ type: 'alarm', at: '2026-12-01T08:00:00.002Z', code: 'UPS_ON_BATTERY', active: true });
    expect(typeof records[0]?.mono).toBe('number');
    const lines = readFileSync(join(dir, '0000000001.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(11);
    for (const l of lines) expect(l).toMatch(/,"crc":"[0-9a-f]{8}"}$/);
  });

  it('group commit: one fsync for a burst of records, and one at once after a transfer begins', async () => {
    const dir = join(tempDir(), 'journal');
    const fs = faultyFs();
    const j = openJournal({ dir, limits: { ...LIMITS, commitMs: 60_000 }, fs });
    j.append('start', {}, T0);
    await until(j, (h) => h.written === 1 && fs.calls.sync === 1, 'the first record synced');
    for (let i = 0; i < 50; i++) j.append('uplink', { id: 'lte', up: i % 2 === 0 }, T0 + i);
    await until(j, (h) => h.written === 51, '50 more written');
    await new Promise((r) => setTimeout(r, 100));
    expect(fs.calls.sync).toBe(1);
    j.append('transfer.begin', { from: 'A', to: 'B', reason: 'sourceFail' }, T0 + 100, true);
    await until(j, (h) => h.written === 52 && fs.calls.sync === 2, 'the transfer synced');
    await j.close(5000);
  });

  it('rotates by size and deletes the oldest segments beyond the total cap', async () => {
    const dir = join(tempDir(), 'journal');
    const j = openJournal({ dir, limits: { ...LIMITS, segmentBytes: 2000, maxBytes: 6000 } });
    for (let i = 0; i < 200; i++) j.append('output', { name: 'breaker.A.closeCmd', on: i % 2 === 0 }, T0 + i);
    await j.close(10_000);
    const files = readdirSync(dir).sort();
    const total = files.reduce((t, f) => t + statSync(join(dir, f)).size, 0);
    expect(files.length).toBeGreaterThan(2);
    expect(files[0]).not.toBe('0000000001.jsonl');
    for (const f of files) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(2000);
    expect(total).toBeLessThanOrEqual(6000 + 2000);
    const { records, problems } = await readBack(dir);
    expect(problems).toEqual([]);
    const seqs = records.map((r) => r.seq);
    expect(seqs[seqs.length - 1]).toBe(200);
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] as number) + i));
  });

  it.each([
    ['torn (no newline)', (line: string) => line.slice(0, 40)],
    ['corrupt (a changed byte)', (line: string) => line.replace('"on":true', '"on":fals') + '\n'],
  ])('a %s last record is reported at start and skipped; everything before it reads back, seq goes on', async (_name, damage) => {
    const dir = join(tempDir(), 'journal');
    const j1 = openJournal({ dir, limits: LIMITS });
    for (let i = 0; i < 5; i++) j1.append('output', { name: 'generator.start', on: true }, T0 + i);
    await j1.close(5000);
    const seg = join(dir, '0000000001.jsonl');
    const good = readFileSync(seg, 'utf8');
    const lastLine = good.trim().split('\n').pop() as string;
    const damaged = good.slice(0, good.length - lastLine.length - 1) + damage(lastLine);
    writeFileSync(seg, damaged);
    const warnings: object[] = [];
    const j2 = openJournal({ dir, limits: LIMITS, logger: { warn: (o) => warnings.push(o), info: () => undefined } });
    j2.append('start', {}, T0 + 100, true);
    await j2.close(5000);
    expect(warnings).toEqual([expect.objectContaining({ segment: '0000000001.jsonl' })]);
    expect(readFileSync(seg, 'utf8')).toBe(damaged);
    const { records, problems } = await readBack(dir);
    expect(problems).toEqual([expect.objectContaining({ segment: '0000000001.jsonl', line: 5 })]);
    expect(records.map((r) => [r.seq, r.type])).toEqual([
      [1, 'output'],
      [2, 'output'],
      [3, 'output'],
      [4, 'output'],
      [5, 'journal.torn'],
      [6, 'start'],
    ]);
  });

  it('start reads only the tail of the newest segment, not the whole journal', async () => {
    const dir = join(tempDir(), 'journal');
    mkdirSync(dir);
    const j1 = openJournal({ dir, limits: LIMITS });
    j1.append('start', {}, T0, true);
    await j1.close(5000);
    // Two large segments in front of it (content that is never looked at by the writer).
    writeFileSync(join(dir, '0000000000.jsonl'), Buffer.alloc(8 * 1024 * 1024, 0x20));
    appendFileSync(join(dir, '0000000001.jsonl'), readFileSync(join(dir, '0000000001.jsonl'), 'utf8').repeat(2000));
    const fs = faultyFs();
    const j2 = openJournal({ dir, limits: LIMITS, fs });
    j2.append('start', {}, T0 + 1, true);
    await j2.close(5000);
    expect(statSync(join(dir, '0000000001.jsonl')).size).toBeGreaterThan(100_000);
    expect(fs.bytesRead).toBeLessThanOrEqual(64 * 1024);
  });

  it('a missing stateDir is a fault (ENOENT) from the start; records beyond the queue are dropped and counted; creating it recovers', async () => {
    const state = join(tempDir(), 'state');
    const j = openJournal({ dir: join(state, 'journal'), limits: { ...LIMITS, queueRecords: 16 }, retryMs: 50 });
    const h = await until(j, (x) => x.fault !== null, 'a fault');
    expect(h.fault?.code).toBe('ENOENT');
    for (let i = 0; i < 40; i++) j.append('command', { name: 'ackAlarms', accepted: true, origin: 'http:127.0.0.1' }, T0 + i);
    expect(j.health()).toMatchObject({ queued: 16, dropped: 24 });
    mkdirSync(state);
    await until(j, (x) => x.fault === null && x.queued === 0, 'recovery');
    await j.close(5000);
    const { records } = await readBack(join(state, 'journal'));
    // The 16 that waited in the queue, then where the other 24 were lost.
    expect(records.slice(0, 16).map((r) => r.at)).toEqual(Array.from({ length: 16 }, (_, i) => new Date(T0 + i).toISOString()));
    expect(records.slice(16)).toEqual([
      expect.objectContaining({ type: 'journal.dropped', count: 24, from: '2026-12-01T08:00:00.016Z', to: '2026-12-01T08:00:00.039Z' }),
    ]);
  });

  it.each(['EIO', 'EROFS'])(
    '%s on write (injected): fault reported, nothing lost while the queue holds, no record written twice after recovery',
    async (code) => {
      const dir = join(tempDir(), 'journal');
      const fs = faultyFs();
      const j = openJournal({ dir, limits: LIMITS, fs, retryMs: 30 });
      for (let i = 0; i < 3; i++) j.append('psu', { ok: 3 }, T0 + i);
      await until(j, (h) => h.written === 3, '3 written');
      fs.fail('append', code);
      for (let i = 3; i < 8; i++) j.append('psu', { ok: 2 }, T0 + i);
      expect((await until(j, (h) => h.fault !== null, code)).fault?.code).toBe(code);
      expect(j.health()).toMatchObject({ queued: 5, dropped: 0 });
      fs.clear();
      await until(j, (h) => h.fault === null && h.written === 8, 'recovery');
      await j.close(5000);
      const { records, problems } = await readBack(dir);
      expect(problems).toEqual([]);
      expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    },
  );

  it('a short write then ENOSPC (injected): whole lines stay, the torn one is reported, the rest is written once in a new segment', async () => {
    const dir = join(tempDir(), 'journal');
    const fs = faultyFs();
    const j = openJournal({ dir, limits: LIMITS, fs, retryMs: 30 });
    j.append('start', {}, T0, true);
    await until(j, (h) => h.written === 1, 'first');
    const one = Buffer.byteLength(readFileSync(join(dir, '0000000001.jsonl'), 'utf8'));
    fs.shortWrite(one + 10, 'ENOSPC');
    for (let i = 1; i <= 3; i++) j.append('start', {}, T0 + i);
    expect((await until(j, (h) => h.fault !== null, 'ENOSPC')).fault?.code).toBe('ENOSPC');
    // 4 records and the journal.torn one that reports the torn line.
    await until(j, (h) => h.fault === null && h.written === 5, 'recovery');
    await j.close(5000);
    expect(readdirSync(dir).sort()).toEqual(['0000000001.jsonl', '0000000002.jsonl']);
    const { records, problems } = await readBack(dir);
    expect(problems).toEqual([expect.objectContaining({ segment: '0000000001.jsonl', line: 3 })]);
    expect(records.map((r) => [r.seq, r.type])).toEqual([
      [1, 'start'],
      [2, 'start'],
      [3, 'journal.torn'],
      [4, 'start'],
      [5, 'start'],
    ]);
    expect(records.map((r) => r.at).slice(3)).toEqual([new Date(T0 + 2).toISOString(), new Date(T0 + 3).toISOString()]);
  });

  it('/dev/full: a real ENOSPC from the kernel is a fault, and writing elsewhere again recovers', async () => {
    const dir = join(tempDir(), 'journal');
    let full = true;
    const base = faultyFs();
    const fs = { ...base, openAppend: (p: string) => (full ? base.openAppend('/dev/full') : base.openAppend(p)) };
    const j = openJournal({ dir, limits: LIMITS, fs, retryMs: 30 });
    j.append('start', {}, T0, true);
    expect((await until(j, (h) => h.fault !== null, 'ENOSPC')).fault?.code).toBe('ENOSPC');
    full = false;
    await until(j, (h) => h.fault === null && h.written === 1, 'recovery');
    await j.close(5000);
    expect((await readBack(dir)).records.map((r) => r.type)).toEqual(['start']);
  });

  it('an idle journal notices a fault by its probe (no write needed) and clears it by itself', async () => {
    const dir = join(tempDir(), 'journal');
    const fs = faultyFs();
    const j = openJournal({ dir, limits: LIMITS, fs, probeMs: 20 });
    j.append('start', {}, T0, true);
    await until(j, (h) => h.written === 1, 'first');
    fs.fail('probe', 'EIO');
    expect((await until(j, (h) => h.fault !== null, 'probe fault')).fault?.code).toBe('EIO');
    expect(j.health().written).toBe(1);
    fs.clear();
    await until(j, (h) => h.fault === null, 'probe clear');
    await j.close(5000);
  });

  it('a stateDir deleted while running: ENOENT from the probe; recreated, the journal goes on in a new file there', async () => {
    const state = join(tempDir(), 'state');
    mkdirSync(state);
    const j = openJournal({ dir: join(state, 'journal'), limits: LIMITS, probeMs: 20, retryMs: 20 });
    j.append('start', {}, T0, true);
    await until(j, (h) => h.written === 1, 'first');
    rmSync(state, { recursive: true });
    expect((await until(j, (h) => h.fault !== null, 'ENOENT')).fault?.code).toBe('ENOENT');
    mkdirSync(state);
    await until(j, (h) => h.fault === null, 'recovery');
    j.append('stop', {}, T0 + 1, true);
    await j.close(5000);
    // Numbering goes on from memory: seq 1 went with the deleted directory.
    expect((await readBack(join(state, 'journal'))).records.map((r) => [r.seq, r.type])).toEqual([[2, 'stop']]);
  });

  it('a hung disk (fsync and close never return) does not hold close(): the controller can still exit', async () => {
    const dir = join(tempDir(), 'journal');
    const base = faultyFs();
    const never = () => new Promise<void>(() => undefined);
    const fs = { ...base, openAppend: async (p: string) => ({ ...(await base.openAppend(p)), sync: never, close: never }) };
    const j = openJournal({ dir, limits: LIMITS, fs });
    j.append('start', {}, T0, true);
    await until(j, (h) => h.written === 1, 'written');
    j.append('stop', {}, T0 + 1, true);
    await j.close(300);
    expect(j.health().fsyncs).toBe(1); // the directory's, at creation; the file's never returned
  });

  it('decodeRecord refuses a line whose CRC does not match', () => {
    expect(decodeRecord('{"seq":1,"at":"x","mono":1,"type":"a","crc":"00000000"}')).toEqual({ ok: false, problem: 'checksum mismatch (corrupted)' });
  });
});
