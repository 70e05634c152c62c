// A command executed through SCADA (select-before-operate over Modbus TCP, from a real client) gives
// the same events as the same command in a scenario: one request path, one set of interlocks.
import { createRequire } from 'node:module';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configHash, loadConfig } from '../../src/config/load.js';
import type { ControllerEvent } from '../../src/core/types.js';
import { createScanLoop, type ScanLoop } from '../../src/runtime/scan.js';
import { createSimBoard } from '../../src/runtime/simboard.js';
import { startScadaServer, type ScadaServer } from '../../src/scada/server.js';
import { runScenario } from '../../sim/runner.js';
import { parseScenario } from '../../sim/scenario.js';

// modbus-serial is CommonJS whose typings claim an ES default export: load it the CommonJS way.
const ModbusRTU = createRequire(import.meta.url)('modbus-serial') as typeof import('modbus-serial').default;
const overlay = { scada: { port: 0, writes: { allow: ['127.0.0.1/32'] } } };
const T_MS = 1000;
type Strip = Record<string, unknown>;
const strip = (e: Strip) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== 't' && k !== 'origin' && k !== 'scenario'));

describe('SCADA command ≡ scenario command', () => {
  let loop: ScanLoop;
  let scada: ScadaServer;
  const seen: ControllerEvent[] = [];

  beforeAll(async () => {
    const cfg = loadConfig(undefined, overlay).config;
    const board = createSimBoard(cfg, 0);
    loop = createScanLoop({ config: cfg, configHash: configHash(cfg), board, clock: () => T_MS });
    loop.onEvents?.((evs) => seen.push(...evs));
    loop.start();
    scada = await startScadaServer({ config: cfg.scada, controller: loop, uplinkIds: cfg.uplinks.links.map((l) => l.id), logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    loop.stop();
    await scada.close();
  });

  async function operate(code: number): Promise<number> {
    const client = new ModbusRTU();
    await client.connectTCP('127.0.0.1', { port: scada.port });
    client.setID(1);
    client.setTimeout(2000);
    try {
      await client.writeRegister(100, code);
      await client.writeRegister(101, code);
      for (let i = 0; i < 50; i++) {
        const st = (await client.readHoldingRegisters(102, 1)).data[0] ?? 0;
        if (st !== 1) return st;
        await new Promise((r) => setTimeout(r, 20));
      }
      return 1;
    } finally {
      await new Promise<void>((r) => client.close(() => r()));
    }
  }

  it('setMode manual (code 4) and a refused transferTo (code 2 in auto → 3 refused) match the scenario', async () => {
    seen.length = 0;
    expect(await operate(4)).toBe(2); // executed
    expect(await operate(3)).toBe(2); // back to auto
    expect(await operate(2)).toBe(3); // transfer to B refused in auto
    const fromScada = seen.filter((e) => e.type === 'command' || e.type === 'mode').map((e) => strip(e as Strip));
    const scadaCmd = seen.find((e) => e.type === 'command');
    expect(scadaCmd && 'origin' in scadaCmd ? String(scadaCmd.origin) : '').toMatch(/^scada:127\.0\.0\.1:\d+$/);

    const s = parseScenario(
      {
        name: 'same commands from a scenario',
        duration: '3s',
        config: overlay,
        steps: [
          { at: '1s', command: { name: 'setMode', mode: 'manual' } },
          { at: '1.5s', command: { name: 'setMode', mode: 'auto' } },
          { at: '2s', command: { name: 'transferTo', source: 'B' } },
        ],
      },
      'inline',
    );
    const fromScenario = runScenario(s)
      .events.filter((e) => (e.type === 'command' || e.type === 'mode') && e.t > 0)
      .map((e) => strip(e));
    expect(fromScada).toEqual(fromScenario);
    expect(fromScada.length).toBe(5); // command+mode, command+mode, refused command
  });
});
