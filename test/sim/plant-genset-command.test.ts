// Start/stop by Modbus command where no start relay is wired: `generator.start` mapped to the genset
// controller's system control key (dse-gencomm point systemControlKey). The controller writes the key
// and its complement in one FC16 on each change of the commanded state; `twinfeed plant` (unit 5)
// starts and stops its engine on them and refuses a key whose complement does not match (exception 03).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { GENCOMM_CONTROL_KEY, GENCOMM_REGISTERS, UNIT } from '../../sim/plant/devices.js';
import { getJson as get, silSession, type Json } from './sil.js';

const genset = (j: Json) => j.genset as { engineState: number | null; controlMode: number | null };
const ModbusRTU = createRequire(import.meta.url)('modbus-serial') as typeof import('modbus-serial').default;

const sil = silSession({
  knobs: { 'generator.startMs': '1s', 'generator.reportsEngine': true },
  prepare: (f) => {
    // No start relay: generator.start is the genset controller's command register; its engine state and alarms are read.
    const board = readFileSync(f.board, 'utf8');
    const relay = '  generator.start:         { device: io, table: coil, register: 2 }\n';
    expect(board).toContain(relay);
    writeFileSync(
      f.board,
      board.replace(relay, '') +
        [
          '  generator.start:        { device: genset, point: systemControlKey }',
          '  generator.engineState:  { device: genset, point: engineState }',
          '  generator.namedAlarms1: { device: genset, point: namedAlarms1 }',
          '  generator.namedAlarms2: { device: genset, point: namedAlarms2 }',
          '',
        ].join('\n'),
    );
  },
});
const { until, knobs } = sil;

describe('generator start/stop by GenComm system control key (FC16) against `twinfeed plant`', () => {
  it('starts on feed A with the engine reported stopped', async () => {
    const s = await until(`${sil.ctlUrl}/status`, (j) => j.source === 'A' && genset(j).engineState === 0, 'the controller on A, engine stopped');
    expect(s.alarms).toEqual([]);
  });

  it('starts the engine by command when A fails, and the load goes to B', async () => {
    await knobs({ 'feed.A.voltage': 0 });
    const s = await until(`${sil.ctlUrl}/status`, (j) => j.source === 'B' && j.transfer === 'closed', 'the load on B');
    expect(s).toMatchObject({ generator: 'running', genset: { engineState: 3 } });
    expect(await get(`${sil.plantUrl}/summary`)).toMatchObject({ transfers: 1, interlockViolations: 0, paralleledMs: 0 });
  });

  it('stops the engine by command after the retransfer and cool-down; the I/O module start relay was never touched', async () => {
    await knobs({ 'feed.A.voltage': 230 });
    await until(`${sil.ctlUrl}/status`, (j) => j.source === 'A' && j.transfer === 'closed', 'the retransfer to A');
    const s = await until(`${sil.ctlUrl}/status`, (j) => j.generator === 'stopped' && genset(j).engineState === 0, 'the engine stopped by command');
    expect(s.alarms).toEqual([]);
    const summary = await get(`${sil.plantUrl}/summary`);
    expect((summary?.relayOperations as Record<string, number>)['generator.start']).toBeUndefined();
  });

  it('refuses a key whose complement does not match with exception 03, and takes a good pair', async () => {
    const client = new ModbusRTU();
    await client.connectTCP('127.0.0.1', { port: sil.modbusPort });
    client.setTimeout(2000);
    client.setID(UNIT.genset);
    try {
      await expect(client.writeRegisters(GENCOMM_CONTROL_KEY, [35700, 29836])).rejects.toMatchObject({ modbusCode: 0x03 });
      expect((await client.readHoldingRegisters(GENCOMM_REGISTERS.controlMode, 1)).data).toEqual([1]);
      await client.writeRegisters(GENCOMM_CONTROL_KEY, [35700, 65535 - 35700]);
      expect((await client.readHoldingRegisters(GENCOMM_REGISTERS.controlMode, 1)).data).toEqual([0]);
      await until(`${sil.ctlUrl}/status`, (j) => (j.alarms as string[]).includes('GEN_NOT_IN_AUTO'), 'GEN_NOT_IN_AUTO after the stop key');
      await client.writeRegisters(GENCOMM_CONTROL_KEY, [35701, 65535 - 35701]);
      expect((await client.readHoldingRegisters(GENCOMM_REGISTERS.controlMode, 1)).data).toEqual([1]);
    } finally {
      await new Promise<void>((r) => client.close(() => r()));
    }
  });
});
