import { describe, expect, it } from 'vitest';
import { handlePdu, type PduContext } from '../../src/scada/pdu.js';

function ctx(over: Partial<PduContext> = {}) {
  const status = Buffer.alloc(200);
  for (let i = 0; i < 100; i++) status.writeUInt16BE(1000 + i, i * 2);
  const writes: [number, number][] = [];
  const attempts: [number, number, readonly number[], number][] = [];
  const c: PduContext = {
    status,
    writesAllowed: true,
    commandWord: (a) => a * 10,
    write: (a, v) => (writes.push([a, v]), v >= 1 && v <= 10 ? 0 : 3),
    writeAttempt: (fc, a, vs, e) => void attempts.push([fc, a, vs, e]),
    ...over,
  };
  return { c, writes, attempts };
}

function ask(pdu: number[], c: PduContext): number[] {
  const out = Buffer.alloc(300, 0xee);
  const req = Buffer.from([9, 9, ...pdu]); // offset 2: the handler must honour offsets
  const n = handlePdu(req, 2, pdu.length, c, out, 3);
  return [...out.subarray(3, 3 + n)];
}
const rd = (fc: number, a: number, q: number) => [fc, a >> 8, a & 0xff, q >> 8, q & 0xff];

describe('reads (FC3/FC4)', () => {
  it('serves the status image and FC4 answers exactly as FC3', () => {
    const { c } = ctx();
    expect(ask(rd(3, 0, 2), c)).toEqual([3, 4, 0x03, 0xe8, 0x03, 0xe9]);
    expect(ask(rd(4, 0, 2), c)).toEqual([4, 4, 0x03, 0xe8, 0x03, 0xe9]);
    for (const [a, q] of [
      [0, 100],
      [17, 3],
      [98, 5],
      [100, 3],
      [0, 103],
      [90, 13],
    ] as const) {
      expect(ask(rd(4, a, q), c).slice(1)).toEqual(ask(rd(3, a, q), c).slice(1));
    }
  });

  it('reads across the status block into the command registers', () => {
    const { c } = ctx();
    expect(ask(rd(3, 99, 4), c)).toEqual([3, 8, 0x04, 0x4b, 0x03, 0xe8, 0x03, 0xf2, 0x03, 0xfc]);
  });

  it('02 for any address of the range beyond 102, 03 for quantity 0 or above 125 (checked first)', () => {
    const { c } = ctx();
    expect(ask(rd(3, 100, 4), c)).toEqual([0x83, 2]);
    expect(ask(rd(4, 103, 1), c)).toEqual([0x84, 2]);
    expect(ask(rd(3, 0xffff, 1), c)).toEqual([0x83, 2]);
    expect(ask(rd(3, 0, 0), c)).toEqual([0x83, 3]);
    expect(ask(rd(3, 0, 126), c)).toEqual([0x83, 3]);
    expect(ask(rd(3, 5000, 0), c)).toEqual([0x83, 3]);
    expect(ask([3, 0, 0, 0], c)).toEqual([0x83, 3]);
  });

  it('01 for functions it does not serve, including coils and discrete inputs', () => {
    const { c } = ctx();
    for (const fc of [0, 1, 2, 7, 8, 11, 17, 20, 43, 0x7f, 0x83, 0xff]) expect(ask([fc, 0, 0, 0, 1], c)).toEqual([fc | 0x80, 1]);
  });
});

describe('writes', () => {
  it('every write function gets 01 when writes are not permitted, and each attempt is reported', () => {
    const { c, writes, attempts } = ctx({ writesAllowed: false });
    for (const fc of [5, 6, 15, 16, 22, 23]) expect(ask([fc, 0, 100, 0, 1, 2, 0, 1], c)).toEqual([fc | 0x80, 1]);
    expect(ask([6, 0, 100, 0, 1], c)).toEqual([0x86, 1]);
    expect(writes).toEqual([]);
    expect(attempts.map((a) => [a[0], a[3]])).toEqual([
      [5, 1],
      [6, 1],
      [15, 1],
      [16, 1],
      [22, 1],
      [23, 1],
      [6, 1],
    ]);
  });

  it('FC6 to 100/101 when permitted echoes the request; elsewhere 02; unknown code 03', () => {
    const { c, writes, attempts } = ctx();
    expect(ask([6, 0, 100, 0, 3], c)).toEqual([6, 0, 100, 0, 3]);
    expect(ask([6, 0, 101, 0, 3], c)).toEqual([6, 0, 101, 0, 3]);
    expect(ask([6, 0, 102, 0, 3], c)).toEqual([0x86, 2]);
    expect(ask([6, 0, 0, 0, 3], c)).toEqual([0x86, 2]);
    expect(ask([6, 0, 100, 0, 11], c)).toEqual([0x86, 3]);
    expect(ask([6, 0, 100, 0], c)).toEqual([0x86, 3]);
    expect(writes).toEqual([
      [100, 3],
      [101, 3],
      [100, 11],
    ]);
    expect(attempts).toHaveLength(6);
  });

  it('FC16 of one register is served; select and operate in one request is refused', () => {
    const { c, writes } = ctx();
    expect(ask([16, 0, 100, 0, 1, 2, 0, 7], c)).toEqual([16, 0, 100, 0, 1]);
    expect(ask([16, 0, 100, 0, 2, 4, 0, 7, 0, 7], c)).toEqual([0x90, 3]);
    expect(ask([16, 0, 101, 0, 2, 4, 0, 7, 0, 7], c)).toEqual([0x90, 2]);
    expect(ask([16, 0, 100, 0, 1, 3, 0, 7, 0], c)).toEqual([0x90, 3]); // byte count disagrees
    expect(ask([16, 0, 100, 0, 0, 0], c)).toEqual([0x90, 3]);
    expect(ask([16, 0, 100, 0, 124, 248, ...new Array(248).fill(0)], c)).toEqual([0x90, 3]);
    expect(writes).toEqual([[100, 7]]);
  });

  it('coil and mask/read-write functions are not served even when writes are permitted', () => {
    const { c, writes } = ctx();
    for (const fc of [5, 15, 22, 23]) expect(ask([fc, 0, 100, 0xff, 0], c)).toEqual([fc | 0x80, 1]);
    expect(writes).toEqual([]);
  });
});
