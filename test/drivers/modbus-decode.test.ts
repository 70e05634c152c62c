import { describe, expect, it } from 'vitest';
import { decodeSignal, decodeWords, planReads } from '../../src/drivers/modbus/decode.js';
import type { ModbusSignal } from '../../src/drivers/board.js';
import { modbusSignal } from './fake-modbus.js';
import type { SignalName } from '../../src/core/signals.js';

// Planning and decoding do not look at names: these tests use short ones, cast.
const sig = ({ name, ...over }: Omit<Partial<ModbusSignal>, 'name'> & { name?: string }): ModbusSignal =>
  modbusSignal(name === undefined ? over : { ...over, name: name as SignalName });

describe('Modbus register decoding', () => {
  it('decodes 16- and 32-bit integers and IEEE floats in both word orders', () => {
    expect(decodeWords([0xfff6], 's16', 'big')).toBe(-10);
    expect(decodeWords([0xfff6], 'u16', 'big')).toBe(65526);
    expect(decodeWords([0x0001, 0x86a0], 'u32', 'big')).toBe(100_000);
    expect(decodeWords([0x86a0, 0x0001], 'u32', 'little')).toBe(100_000);
    expect(decodeWords([0xffff, 0xfffe], 's32', 'big')).toBe(-2);
    expect(decodeWords([0x4366, 0x8000], 'float32', 'big')).toBe(230.5);
    expect(decodeWords([0x8000, 0x4366], 'float32', 'little')).toBe(230.5);
    expect(decodeWords([0x4366], 'float32', 'big')).toBeUndefined();
  });

  it('applies scale and offset, picks bits for on/off signals, and refuses NaN', () => {
    const block = { table: 'holding' as const, start: 10, count: 4, signals: [] };
    expect(decodeSignal(sig({ register: 11, scale: 0.01 }), block, [0, 4998, 0, 0])).toBe(49.98);
    expect(decodeSignal(sig({ register: 10, type: 'float32' }), block, [0x4366, 0x199a, 0, 0])).toBe(230.1);
    expect(decodeSignal(sig({ register: 11, scale: 0.1, offset: -40 }), block, [0, 655, 0, 0])).toBe(25.5);
    expect(decodeSignal(sig({ kind: 'bool', register: 12, bit: 3 }), block, [0, 0, 0b1000, 0])).toBe(true);
    expect(decodeSignal(sig({ kind: 'bool', register: 12, bit: 2 }), block, [0, 0, 0b1000, 0])).toBe(false);
    expect(decodeSignal(sig({ kind: 'bool', register: 13 }), block, [0, 0, 0, 7])).toBe(true);
    expect(decodeSignal(sig({ register: 10, type: 'float32' }), block, [0x7fc0, 0, 0, 0])).toBeUndefined();
  });

  it('reads neighbouring registers in one request and splits at the protocol limit', () => {
    const blocks = planReads([
      sig({ name: 'a', register: 0, type: 'float32' }),
      sig({ name: 'b', register: 6, type: 'float32' }),
      sig({ name: 'c', register: 200 }),
      sig({ name: 'd', register: 3, table: 'input' }),
      sig({ name: 'e', kind: 'bool', register: 7, table: 'discrete' }),
    ]);
    expect(blocks.map((b) => [b.table, b.start, b.count, b.signals.map((s) => s.name).join('')])).toEqual([
      ['holding', 0, 8, 'ab'],
      ['holding', 200, 1, 'c'],
      ['input', 3, 1, 'd'],
      ['discrete', 7, 1, 'e'],
    ]);
    const many = planReads(Array.from({ length: 130 }, (_, i) => sig({ name: `r${i}`, register: i })));
    expect(many.map((b) => [b.start, b.count])).toEqual([
      [0, 125],
      [125, 5],
    ]);
  });
});
