// Start/stop by Modbus command where no start relay is wired: `generator.start` mapped to the genset
// controller's system control key (dse-gencomm point systemControlKey). The controller writes the key
// and its complement in one FC16 on each change of the commanded state; `twinfeed plant` (unit 5)
// starts and stops its engine on them and refuses a key whose complement does not match (exception 03).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../cli/cli-helpers.js';
import { GENCOMM_CONTROL_KEY, GENCOMM_REGISTERS, UNIT } from '../../sim/plant/devices.js';
import { getJson as get, post, silFiles, startCli, until as untilIn, type Json, type Proc } from './sil.js';

const children: Proc[] = [];
let plantUrl = '';
let ctlUrl = '';
let modbusPort = 0;
const until = (url: string, ok: (j: Json) => boolean, what: string, timeoutMs?: number) => untilIn(url, ok, what, () => children, timeoutMs);
const knobs = (body: Json) => post(`${plantUrl}/sim`, body);
const genset = (j: Json) => j.genset as { engineState: number | null; controlMode: number | null };
const ModbusRTU = createRequire(import.meta.url)('modbus-serial') as typeof import('modbus-serial').default;

beforeAll(async () => {
  ensureBuilt();
  const sil = await silFiles();
  ({ plantUrl, ctlUrl, modbusPort } = sil);
  // No start relay: generator.start is the genset controller's command register; its engine state and alarms are read.
  const board = readFileSync(sil.board, 'utf8');
  const relay = '  generator.start:         { device: io, table: coil, register: 2 }\n';
  expect(board).toContain(relay);
  writeFileSync(
    sil.board,
    board.replace(relay, '') +
      [
        '  generator.start:        { device: genset, point: systemControlKey }',
        '  generator.engineState:  { device: genset, point: engineState }',
        '  generator.namedAlarms1: { device: genset, point: namedAlarms1 }',
        '  generator.namedAlarms2: { device: genset, point: namedAlarms2 }',
        '',
      ].join('\n'),
  );
  children.push(startCli('plant', sil.plantArgs));
  await until(`${plantUrl}/summary`, () => true, 'the plant answering');
  await knobs({ 'generator.startMs': '1s', 'generator.reportsEngine': true });
  children.push(startCli('controller', sil.runArgs));
}, 120_000);

afterAll(async () => {
  for (const c of children) c.child.kill('SIGTERM');
  const codes = await Promise.all(children.map((c) => c.exited));
  expect(codes).toEqual(children.map(() => 0));
});

describe('generator start/stop by GenComm system control key (FC16) against `twinfeed plant`', () => {
  it('starts on feed A with the engine reported stopped', async () => {
    const s = await until(`${ctlUrl}/status`, (j) => j.source === 'A' && genset(j).engineState === 0, 'the controller on A, engine stopped');
    expect(s.alarms).toEqual([]);
  });

  it('starts the engine by command when A fails, and the load goes to B', async () => {
    await knobs({ 'feed.A.voltage': 0 });
    const s = await until(`${ctlUrl}/status`, (j) => j.source === 'B' && j.transfer === 'closed', 'the load on B');
    expect(s).toMatchObject({ generator: 'running', genset: { engineState: 3 } });
    expect(await get(`${plantUrl}/summary`)).toMatchObject({ transfers: 1, interlockViolations: 0, paralleledMs: 0 });
  });

  it('stops the engine by command after the retransfer and cool-down; the I/O module start relay was never touched', async () => {
    await knobs({ 'feed.A.voltage': 230 });
    await until(`${ctlUrl}/status`, (j) => j.source === 'A' && j.transfer === 'closed', 'the retransfer to A');
    const s = await until(`${ctlUrl}/status`, (j) => j.generator === 'stopped' && genset(j).engineState === 0, 'the engine stopped by command');
    expect(s.alarms).toEqual([]);
    const summary = await get(`${plantUrl}/summary`);
    expect((summary?.relayOperations as Record<string, number>)['generator.start']).toBeUndefined();
  });

  it('refuses a key whose complement does not match with exception 03, and takes a good pair', async () => {
    const client = new ModbusRTU();
    await client.connectTCP('127.0.0.1', { port: modbusPort });
    client.setTimeout(2000);
    client.setID(UNIT.genset);
    try {
      await expect(client.writeRegisters(GENCOMM_CONTROL_KEY, [35700, 29836])).rejects.toMatchObject({ modbusCode: 0x03 });
      expect((await client.readHoldingRegisters(GENCOMM_REGISTERS.controlMode, 1)).data).toEqual([1]);
      await client.writeRegisters(GENCOMM_CONTROL_KEY, [35700, 65535 - 35700]);
      expect((await client.readHoldingRegisters(GENCOMM_REGISTERS.controlMode, 1)).data).toEqual([0]);
      await until(`${ctlUrl}/status`, (j) => (j.alarms as string[]).includes('GEN_NOT_IN_AUTO'), 'GEN_NOT_IN_AUTO after the stop key');
      await client.writeRegisters(GENCOMM_CONTROL_KEY, [35701, 65535 - 35701]);
      expect((await client.readHoldingRegisters(GENCOMM_REGISTERS.controlMode, 1)).data).toEqual([1]);
    } finally {
      await new Promise<void>((r) => client.close(() => r()));
    }
  });
});
