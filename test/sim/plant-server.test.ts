// `twinfeed plant`'s device map over real Modbus TCP on 127.0.0.1: meters as SDM120 floats, the I/O
// module's contacts and relays, a cut meter link answers 0x0B (as a gateway does), knobs over HTTP,
// and the plant's own judgement of paralleled feeds in GET /summary.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { startPlant, type Plant } from '../../src/runtime/plant.js';
import { GENCOMM_NAMED_ALARMS, GENCOMM_REGISTERS, METER_REGISTERS, UNIT } from '../../sim/plant/devices.js';
import { freePort } from '../scada/fakes.js';
import { CI, missingTool } from '../system-tools.js';

const cfg = validateConfig({}, 'test');
let plant: Plant;
let modbusPort = 0;
let base = '';
const ModbusRTU = createRequire(import.meta.url)('modbus-serial') as typeof import('modbus-serial').default;
const client = new ModbusRTU();

beforeAll(async () => {
  modbusPort = await freePort();
  const httpPort = await freePort();
  plant = await startPlant({ config: cfg, bind: '127.0.0.1', modbusPort, httpPort, seed: 1, logger: pino({ level: 'silent' }) });
  base = `http://127.0.0.1:${httpPort}`;
  await client.connectTCP('127.0.0.1', { port: modbusPort });
  client.setTimeout(2000);
});

afterAll(async () => {
  await new Promise<void>((r) => client.close(() => r()));
  await plant.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const floatAt = async (unit: number, addr: number) => {
  client.setID(unit);
  return (await client.readInputRegisters(addr, 2)).buffer.readFloatBE(0);
};
const discretes = async (n: number) => {
  client.setID(UNIT.io);
  return (await client.readDiscreteInputs(0, n)).data.slice(0, n);
};
const knobs = (body: Record<string, unknown>) => fetch(`${base}/sim`, { method: 'POST', body: JSON.stringify(body) });
const summary = async () => (await (await fetch(`${base}/summary`)).json()) as Record<string, unknown>;

describe('twinfeed plant over Modbus TCP', () => {
  it('serves each feed meter as an SDM120: float32 voltage at 0x0000 and frequency at 0x0046', async () => {
    expect(await floatAt(UNIT.meterA, METER_REGISTERS.voltage)).toBeCloseTo(230, 3);
    expect(await floatAt(UNIT.meterA, METER_REGISTERS.frequency)).toBeCloseTo(50, 3);
    expect(await floatAt(UNIT.meterB, METER_REGISTERS.voltage)).toBe(0);
  });

  it.runIf(missingTool('mbpoll') === undefined || CI)('reads the same through mbpoll, a libmodbus master', async () => {
    // Asynchronously: the plant lives in this process, so a sync spawn would deadlock it.
    const args = ['-m', 'tcp', '-a', String(UNIT.meterA), '-t', '3:float', '-B', '-r', '1', '-c', '1', '-1', '-p', String(modbusPort), '127.0.0.1'];
    const r = await new Promise<{ stdout: string; stderr: string }>((resolve) =>
      execFile('mbpoll', args, { timeout: 10_000 }, (_e, stdout, stderr) => resolve({ stdout, stderr })),
    );
    expect(r.stdout, r.stderr).toMatch(/\[1\]:\s+230(\.0+)?\b/);
  });

  it('shows the contacts on the I/O module: A closed, B open, every PSU ok, carriers up', async () => {
    expect(await discretes(7)).toEqual([true, false, true, true, true, true, true]);
  });

  it('moves a breaker when its coil is written, after the operate time', async () => {
    client.setID(UNIT.io);
    await client.writeCoil(0, false);
    await sleep(200);
    expect((await discretes(2)).slice(0, 2)).toEqual([false, false]);
    expect((await client.readCoils(0, 2)).data.slice(0, 2)).toEqual([false, false]);
    await client.writeCoil(0, true);
    await sleep(200);
    expect((await discretes(2)).slice(0, 2)).toEqual([true, false]);
  });

  it('answers exception 0x0B for a meter whose link is cut, and reads again when it is back', async () => {
    expect((await knobs({ 'meter.A.comm': false })).status).toBe(200);
    await expect(floatAt(UNIT.meterA, 0)).rejects.toMatchObject({ modbusCode: 0x0b });
    expect((await knobs({ 'meter.A.comm': true })).status).toBe(200);
    expect(await floatAt(UNIT.meterA, 0)).toBeCloseTo(230, 3);
  });

  it('refuses a bad knob with the reason and sets none of the batch', async () => {
    const r = await knobs({ 'feed.B.voltage': 230, 'breaker.A.stuck': 'sideways' });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toMatch(/breaker\.A\.stuck: expected one of open, closed, none/);
    expect(await floatAt(UNIT.meterB, 0)).toBe(0);
  });

  it('answers 02 past a device map and 01 for a table a device does not have', async () => {
    client.setID(UNIT.meterA);
    await expect(client.readInputRegisters(0x0048, 4)).rejects.toMatchObject({ modbusCode: 0x02 });
    client.setID(UNIT.ups);
    await expect(client.readInputRegisters(0, 1)).rejects.toMatchObject({ modbusCode: 0x01 });
  });

  it("serves the genset controller's GenComm control mode (772) on unit 5 and follows the key knob", async () => {
    client.setID(UNIT.genset);
    expect((await client.readHoldingRegisters(GENCOMM_REGISTERS.controlMode, 1)).data).toEqual([1]);
    expect((await knobs({ 'generator.controlMode': 7 })).status).toBe(200);
    expect((await client.readHoldingRegisters(GENCOMM_REGISTERS.controlMode, 1)).data).toEqual([7]);
    const bad = await knobs({ 'generator.controlMode': 4 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/expected one of 0, 1, 2, 3, 6, 7/);
    expect((await client.readHoldingRegisters(GENCOMM_REGISTERS.controlMode, 1)).data).toEqual([7]);
    expect((await client.readHoldingRegisters(GENCOMM_REGISTERS.controlMode + 1, 1)).data).toEqual([0xffff]);
    await expect(client.readHoldingRegisters(8 * 256, 1)).rejects.toMatchObject({ modbusCode: 0x02 });
    await expect(client.readInputRegisters(GENCOMM_REGISTERS.controlMode, 1)).rejects.toMatchObject({ modbusCode: 0x01 });
    await knobs({ 'generator.controlMode': 1 });
  });

  it('counts engine run time, starts and fuel like a GenComm controller (pages 4 and 7), read across the gap in one request', async () => {
    await knobs({ 'generator.startMs': 0, 'generator.fuelPct': 55, 'generator.controlMode': 6 });
    await sleep(1300);
    await knobs({ 'generator.controlMode': 1 });
    client.setID(UNIT.genset);
    expect((await client.readHoldingRegisters(GENCOMM_REGISTERS.fuelLevel, 1)).data).toEqual([55]);
    const w = (await client.readHoldingRegisters(GENCOMM_REGISTERS.engineSeconds, 12)).data;
    expect(w[0]).toBe(0);
    expect(w[1]).toBeGreaterThanOrEqual(1);
    expect(w.slice(2, 10)).toEqual(new Array(8).fill(0xffff));
    expect(w.slice(10)).toEqual([0, 1]);
  });

  it('reports engine state (1408) and named alarms (page 154) once the controller is set to, with a failed start latched as a shutdown alarm', async () => {
    client.setID(UNIT.genset);
    expect((await client.readHoldingRegisters(GENCOMM_REGISTERS.engineState, 1)).data).toEqual([0xffff]);
    await expect(client.readHoldingRegisters(GENCOMM_NAMED_ALARMS.count, 3)).rejects.toMatchObject({ modbusCode: 0x02 });
    await knobs({ 'generator.reportsEngine': true, 'generator.startMs': 0, 'generator.controlMode': 6 });
    await sleep(50);
    expect((await client.readHoldingRegisters(GENCOMM_REGISTERS.engineState, 1)).data).toEqual([3]);
    expect((await client.readHoldingRegisters(GENCOMM_NAMED_ALARMS.count, 3)).data).toEqual([8, 0x1111, 0x1111]);
    await knobs({ 'generator.controlMode': 1, 'generator.failToStart': true });
    await knobs({ 'generator.controlMode': 6 });
    await sleep(50);
    expect((await client.readHoldingRegisters(GENCOMM_REGISTERS.engineState, 1)).data).toEqual([0]);
    await knobs({ 'generator.controlMode': 1 });
    expect((await client.readHoldingRegisters(GENCOMM_NAMED_ALARMS.count, 3)).data).toEqual([8, 0x1111, 0x1131]);
    await knobs({ 'generator.failToStart': false, 'generator.reportsEngine': false });
    await expect(client.readHoldingRegisters(GENCOMM_NAMED_ALARMS.first + 1, 1)).rejects.toMatchObject({ modbusCode: 0x02 });
  });

  it('judges for itself: closing B while A is closed is counted as paralleled in GET /summary', async () => {
    expect(await summary()).toMatchObject({ paralleledMs: 0, interlockViolations: 0 });
    await knobs({ 'feed.B.voltage': 230, 'feed.B.frequency': 50 });
    client.setID(UNIT.io);
    await client.writeCoil(1, true);
    await sleep(300);
    await client.writeCoil(1, false);
    await sleep(200);
    const s = await summary();
    expect(s.paralleledMs).toBeGreaterThan(0);
    expect(s.relayOperations).toMatchObject({ 'breaker.B.closeCmd': 2 });
  });
});
