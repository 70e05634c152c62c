// `twinfeed run` with a stateDir that cannot be written: the controller still starts, serves HTTP and
// Modbus TCP, and reports STORAGE_FAULT (status, /metrics, SCADA alarm bit 19); once the directory
// exists the alarm clears by itself and the journal holds the start.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALARM_CODES } from '../../src/core/types.js';
import { readJournal } from '../../src/runtime/journal/reader.js';
import { ensureBuilt, files, MAIN, ROOT } from './cli-helpers.js';

beforeAll(() => ensureBuilt(), 300_000);

const httpPort = 20_000 + Math.floor(Math.random() * 20_000);
const modbusPort = httpPort + 1;
const state = join(files({ x: '' })['x'] as string, '..', 'state-not-yet');

/** FC3 read of holding registers 18–19 (the alarm bits, high word first) over a raw Modbus TCP socket. */
function readAlarmBits(port: number): Promise<number> {
  return new Promise((done, fail) => {
    const s = connect(port, '127.0.0.1', () => s.write(Buffer.from([0, 1, 0, 0, 0, 6, 1, 3, 0, 18, 0, 2])));
    s.setTimeout(5000, () => fail(new Error('no Modbus answer')));
    s.on('error', fail);
    s.on('data', (b: Buffer) => {
      s.destroy();
      if (b.length < 13 || b[7] !== 3) return fail(new Error(`unexpected answer ${b.toString('hex')}`));
      done(((b.readUInt16BE(9) << 16) | b.readUInt16BE(11)) >>> 0);
    });
  });
}

async function poll<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const v = await get();
      if (ok(v)) return v;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const status = async () => (await (await fetch(`http://127.0.0.1:${httpPort}/status`)).json()) as { alarms: string[]; source: string };
const metrics = async () => (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();

describe('twinfeed run with an unusable runtime.stateDir', () => {
  it('keeps controlling and serving, raises STORAGE_FAULT, and clears it when the directory appears', async () => {
    const cfg = files({ 'c.yaml': `runtime:\n  stateDir: ${state}\nhttp:\n  port: ${httpPort}\nscada:\n  port: ${modbusPort}\nuplinks:\n  enabled: false\n` });
    const child = spawn(process.execPath, [MAIN, 'run', '--config', cfg['c.yaml'] as string], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const bit = 1 << ALARM_CODES.indexOf('STORAGE_FAULT');
    try {
      const s = await poll('STORAGE_FAULT in /status', status, (x) => x.alarms.includes('STORAGE_FAULT'));
      expect(s.source).toBe('A');
      expect(await metrics()).toMatch(/twinfeed_alarm_active\{code="STORAGE_FAULT"\} 1/);
      expect(await metrics()).toMatch(/twinfeed_storage_fault 1/);
      expect((await readAlarmBits(modbusPort)) & bit).toBe(bit);
      // Control goes on: a utility failure is still transferred to the generator.
      await fetch(`http://127.0.0.1:${httpPort}/sim`, { method: 'POST', body: JSON.stringify({ 'feed.A.voltage': 0 }) });
      await poll('transfer to B', status, (x) => x.source === 'B');
      mkdirSync(state);
      await poll('STORAGE_FAULT cleared', status, (x) => !x.alarms.includes('STORAGE_FAULT'));
      expect((await readAlarmBits(modbusPort)) & bit).toBe(0);
      expect(await metrics()).toMatch(/twinfeed_storage_fault 0/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, stderr).toBe(0);
    const types = (await readJournal(join(state, 'journal'))).map((r) => r.type);
    expect(types.slice(0, 2)).toEqual(['start', 'config']);
    expect(types).toContain('transfer.end');
    expect(types[types.length - 1]).toBe('stop');
  }, 90_000);
});
