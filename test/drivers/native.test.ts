// The native modules a cabinet needs load after `npm ci` on this machine: onoff (epoll) for GPIO and
// serialport's bindings for Modbus RTU and Firmata. A failed native build must fail here, not at 3 a.m.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

describe('native modules', () => {
  it('onoff loads with its epoll addon and reports whether GPIO is accessible', () => {
    const { Gpio } = require('onoff') as { Gpio: { accessible: unknown } };
    expect(typeof Gpio.accessible).toBe('boolean');
  });

  it("serialport 13's native bindings load (the .node addon built or prebuilt for this Node)", async () => {
    const { autoDetect } = (await import('@serialport/bindings-cpp')) as { autoDetect(): { open: unknown; list: unknown } };
    const binding = autoDetect();
    expect(typeof binding.open).toBe('function');
    expect(typeof binding.list).toBe('function');
  });

  it('johnny-five and firmata resolve to serialport 13 (no second, older native serialport)', () => {
    const j5 = require.resolve('johnny-five');
    const sp = createRequire(j5).resolve('serialport/package.json');
    expect((require(sp) as { version: string }).version).toMatch(/^13\./);
  });
});
