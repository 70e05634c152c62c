// Drivers load lazily: a cabinet whose board file uses only Modbus never loads onoff (GPIO) or
// johnny-five/firmata (Arduino). Checked on Node's own module cache, in this file's own process.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHardwareBoard } from '../../src/drivers/index.js';
import { quietLogger } from './fakes.js';

const require = createRequire(import.meta.url);
const loaded = (pkg: string) => Object.keys(require.cache).some((k) => k.includes(`/node_modules/${pkg}/`));

const dir = mkdtempSync(join(tmpdir(), 'twinfeed-lazy-'));
const MODBUS_ONLY = join(dir, 'meters.yaml');
writeFileSync(
  MODBUS_ONLY,
  `name: meters
driver: modbus
modbus:
  buses: { rs485: { path: ${join(dir, 'no-such-adapter')} } }
  devices: { meterA: { bus: rs485, unitId: 1, pollMs: 200ms, timeoutMs: 100ms } }
signals:
  feed.A.voltage: { device: meterA, register: 0, type: float32 }
`,
);

describe('lazy driver loading', () => {
  it('opens a Modbus-only board with the real modbus-serial, and neither onoff nor johnny-five is loaded', async () => {
    expect(loaded('modbus-serial')).toBe(false);
    // No test seams: the real factory is used, and the missing adapter only makes the meter stale.
    const board = await openHardwareBoard(MODBUS_ONLY, { logger: quietLogger() });
    try {
      expect(board.read(Date.now()).get('feed.A.voltage')).toEqual({ value: undefined, reason: 'stale' });
      expect(loaded('modbus-serial')).toBe(true); // the check sees what a board did load
      expect(loaded('onoff')).toBe(false);
      expect(loaded('johnny-five')).toBe(false);
      expect(loaded('firmata')).toBe(false);
    } finally {
      await board.close();
    }
  });
});
