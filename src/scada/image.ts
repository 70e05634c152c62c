// Encodes a published snapshot into the big-endian register image that reads are served from:
// built once per scan, so a read is a memcpy.
import type { Published } from '../io/controller-port.js';
import { REGISTERS, STATUS_BLOCK_WORDS, WORDS, type MapContext } from './map.js';

export const STATUS_IMAGE_BYTES = STATUS_BLOCK_WORDS * 2;

export function newStatusImage(): Buffer {
  return Buffer.alloc(STATUS_IMAGE_BYTES);
}

/** Writes every status register of `p` into `out` (gaps 0). A row that throws reads 0, so one odd field never blanks the block. */
export function encodeStatus(p: Published, ctx: MapContext, out: Buffer): void {
  out.fill(0, 0, STATUS_IMAGE_BYTES);
  for (const r of REGISTERS) {
    if (!r.read) continue;
    let v: number | bigint;
    try {
      v = r.read(p, ctx);
    } catch {
      v = 0;
    }
    const words = WORDS[r.type];
    let big = typeof v === 'bigint' ? v : BigInt(Math.max(0, Math.trunc(Number.isFinite(v) ? v : 0)));
    big &= (1n << BigInt(16 * words)) - 1n;
    for (let w = words - 1; w >= 0; w--) {
      out.writeUInt16BE(Number(big & 0xffffn), (r.address + w) * 2);
      big >>= 16n;
    }
  }
}

/** Register values as numbers (tests, HTTP debugging): word i of the image. */
export function imageWords(image: Buffer): number[] {
  const words: number[] = [];
  for (let i = 0; i < image.length; i += 2) words.push(image.readUInt16BE(i));
  return words;
}
