// Interop with real Modbus masters: mbpoll (libmodbus) and pymodbus. Required in CI; skipped
// with a message elsewhere when the tool is missing.
import { execFile } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { startScadaServer, type ScadaServer } from '../../src/scada/server.js';
import { CI, missingTool, PYTHON } from '../system-tools.js';
import { fakeController, scadaConfig, silentLogger, tickingController, UPLINK_IDS, type FakeController } from './fakes.js';

const noMbpoll = missingTool('mbpoll');
const noPymodbus = missingTool('pymodbusClient');
const hasMbpoll = noMbpoll === undefined;
const hasPymodbus = noPymodbus === undefined;
for (const missing of [noMbpoll, noPymodbus]) if (missing && !CI) console.warn(`SKIP interop tests: ${missing}`);

let server: ScadaServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
async function start(controller: FakeController, over: Partial<Config['scada']> = {}): Promise<number> {
  server = await startScadaServer({ config: scadaConfig(over), controller, uplinkIds: UPLINK_IDS, logger: silentLogger() });
  return server.port;
}

/** Runs a client asynchronously: the server lives in this process, so a sync spawn would deadlock it. */
function run(cmd: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 15_000 }, (e, out, err) => resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out, err }));
  });
}
/** mbpoll against our server; `write` values follow the host, as mbpoll wants them. */
const mbpoll = (port: number, args: string[], write: number[] = []) =>
  run('mbpoll', ['-m', 'tcp', '-a', '1', '-0', '-1', '-o', '2', '-p', String(port), ...args, '127.0.0.1', ...write.map(String)]);
/** `[addr]: value` lines of mbpoll's output. */
const values = (out: string): number[] => [...out.matchAll(/^\[(\d+)\]:\s+(-?\d+)/gm)].map((m) => Number(m[2]));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!hasMbpoll && !CI)('mbpoll as a SCADA master', () => {
  beforeAll(() => {
    if (noMbpoll) throw new Error(noMbpoll);
  });

  it('reads the status block with FC3 and FC4 alike, and the heartbeat moves', async () => {
    const port = await start(tickingController());
    const hold = await mbpoll(port, ['-t', '4', '-r', '0', '-c', '100']);
    const input = await mbpoll(port, ['-t', '3', '-r', '0', '-c', '100']);
    expect(hold.code, hold.err).toBe(0);
    const h = values(hold.out);
    const i = values(input.out);
    expect(h).toHaveLength(100);
    expect(h.slice(0, 5)).toEqual([1, h[1], 1, 1, 1]);
    expect(h.slice(7, 9)).toEqual([2300, 5001]);
    expect([...i.slice(2, 36), ...i.slice(38)]).toEqual([...h.slice(2, 36), ...h.slice(38)]);
    const before = values((await mbpoll(port, ['-t', '3', '-r', '1'])).out)[0] ?? -1;
    await sleep(1100);
    const after = values((await mbpoll(port, ['-t', '3', '-r', '1'])).out)[0] ?? -1;
    expect(after).toBeGreaterThan(before);
  });

  it('gets exception 02 reading past the map and 01 writing with writes disabled', async () => {
    const ctl = fakeController();
    const port = await start(ctl);
    const past = await mbpoll(port, ['-t', '4', '-r', '100', '-c', '4']);
    expect(past.code).not.toBe(0);
    expect(past.err).toMatch(/Illegal data address/i);
    const write = await mbpoll(port, ['-t', '4', '-r', '100'], [1]);
    expect(write.code).not.toBe(0);
    expect(write.err).toMatch(/Illegal function/i);
    expect(ctl.submitted).toEqual([]);
  });

  it('runs select-before-operate with writes enabled for 127.0.0.1', async () => {
    const ctl = fakeController();
    const port = await start(ctl, { writes: { allow: ['127.0.0.1/32'] } });
    expect((await mbpoll(port, ['-t', '4', '-r', '100'], [3])).code).toBe(0);
    expect(values((await mbpoll(port, ['-t', '4', '-r', '100', '-c', '3'])).out)).toEqual([3, 0, 1]);
    expect((await mbpoll(port, ['-t', '4', '-r', '101'], [3])).code).toBe(0);
    expect(values((await mbpoll(port, ['-t', '4', '-r', '102'])).out)).toEqual([2]);
    expect(ctl.submitted).toHaveLength(1);
    expect(ctl.submitted[0]?.command).toEqual({ name: 'setMode', mode: 'auto' });
    expect(ctl.submitted[0]?.origin).toMatch(/^scada:127\.0\.0\.1:\d+$/);
    const unknown = await mbpoll(port, ['-t', '4', '-r', '100'], [77]);
    expect(unknown.err).toMatch(/Illegal data value/i);
  });
});

const PY_CLIENT = `
import json, sys
from pymodbus.client import ModbusTcpClient
c = ModbusTcpClient('127.0.0.1', port=int(sys.argv[1]))
assert c.connect()
out = {}
def regs(r): return None if r.isError() else r.registers
def exc(r): return getattr(r, 'exception_code', None) if r.isError() else None
out['holding'] = regs(c.read_holding_registers(0, 39, slave=1))
out['input'] = regs(c.read_input_registers(0, 39, slave=255))
out['past'] = exc(c.read_holding_registers(100, 4, slave=1))
out['qty0'] = exc(c.read_input_registers(0, 126, slave=1))
out['unit'] = exc(c.read_holding_registers(0, 1, slave=7))
out['coils'] = exc(c.read_coils(0, 1, slave=1))
out['select'] = exc(c.write_registers(100, [9], slave=1))
out['operate'] = exc(c.write_registers(101, [9], slave=1))
out['status'] = regs(c.read_holding_registers(100, 3, slave=1))
print(json.dumps(out))
c.close()
`;

describe.skipIf(!hasPymodbus && !CI)('pymodbus as a second, independent master', () => {
  beforeAll(() => {
    if (noPymodbus) throw new Error(noPymodbus);
  });

  for (const writes of [false, true]) {
    it(`reads, gets the documented exceptions and ${writes ? 'operates via FC16' : 'is refused writes'}`, async () => {
      const ctl = fakeController();
      const port = await start(ctl, writes ? { writes: { allow: ['127.0.0.0/8'] } } : {});
      const r = await run(PYTHON, ['-c', PY_CLIENT, String(port)]);
      expect(r.code, r.err).toBe(0);
      const out = JSON.parse(r.out) as Record<string, unknown>;
      expect(out).toMatchObject({ past: 2, qty0: 3, unit: 0x0b, coils: 1 });
      expect((out.holding as number[]).slice(0, 5)).toEqual([1, 0, 1, 1, 1]);
      expect(out.input).toEqual(out.holding);
      if (writes) {
        expect(out).toMatchObject({ select: null, operate: null });
        await sleep(20);
        expect(ctl.submitted.map((s) => s.command)).toEqual([{ name: 'resetLockout' }]);
      } else {
        expect(out).toMatchObject({ select: 1, operate: 1, status: [0, 0, 5] });
        expect(ctl.submitted).toEqual([]);
      }
    });
  }
});
