// boards/sim.yaml with an uplink that names an interface: that uplink is real (carrier from the
// kernel, probes through the real driver), the other stays simulated with the simulated cabinet.
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import type { ProbeResult } from '../../../src/core/types.js';
import { openBoard } from '../../../src/runtime/boards.js';

const root = join(import.meta.dirname, '..', '..', '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(process.platform !== 'linux')('the sim board with a real uplink', () => {
  it('takes the real uplink from the kernel and the driver, the other from the simulated cabinet', async () => {
    // Loopback exists everywhere and has carrier; 127.0.0.1 answers locally (no traffic leaves the host).
    const cfg = configSchema.parse({
      uplinks: {
        links: [{ id: 'fiber' }, { id: 'lte', interface: 'lo', targets: ['127.0.0.1'] }],
        probe: { intervalMs: '200ms', timeoutMs: '150ms', attemptSpacingMs: '50ms' },
      },
    });
    const board = await openBoard(join(root, 'boards', 'sim.yaml'), cfg, pino({ level: 'silent' }), 0);
    try {
      expect('setKnobs' in board).toBe(true);
      const probes: ProbeResult[] = [];
      const t0 = performance.now();
      let lte: unknown;
      for (let i = 0; i < 30; i++) {
        const t = Math.round(performance.now() - t0);
        lte = board.read(t).get('uplink.lte.carrier')?.value;
        probes.push(...(board.takeProbes?.(t) ?? []));
        board.write(
          new Map([
            ['uplink.fiber.selected', true],
            ['uplink.lte.selected', false],
          ]),
          t,
        );
        await sleep(50);
      }
      expect(lte).toBe(true);
      // A simulated cable pull on lte does not reach the real uplink: its carrier stays the kernel's.
      expect((board as { setKnobs(k: Record<string, unknown>): string | undefined }).setKnobs({ 'uplink.lte.carrier': false })).toBeUndefined();
      expect(board.read(Math.round(performance.now() - t0)).get('uplink.lte.carrier')?.value).toBe(true);
      expect(new Set(probes.filter((p) => p.uplink === 'lte').map((p) => p.target))).toEqual(new Set(['127.0.0.1']));
      expect(new Set(probes.filter((p) => p.uplink === 'fiber').map((p) => p.target))).toEqual(new Set(['t1', 't2', 't3']));
    } finally {
      await board.close();
    }
  });
});
