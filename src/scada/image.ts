// Encodes a published snapshot into the big-endian register image that reads are served from:
// built once per scan, so a read is a memcpy.
import type { Logger } from 'pino';
import type { ControllerPort, Published } from '../io/controller-port.js';
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

/** The image of the last published scan, and the scan it was built from. */
export interface StatusImage {
  readonly image: Buffer;
  /** scanSeq of the scan in the image; undefined before the first. */
  seq(): number | undefined;
  /** Rebuilds the image only when a new scan was published (reads never wait for one); true when it did. */
  refresh(): boolean;
}

export function keepStatusImage(
  controller: Pick<ControllerPort, 'latest'>,
  uplinkIds: readonly string[],
  counters: { imageBuilds: number },
  log: Logger,
): StatusImage {
  const image = newStatusImage();
  const mapCtx = { uplinkIds: [...uplinkIds] };
  let imageSeq: number | undefined;
  let latestFailed = false;
  function refresh(): boolean {
    try {
      const p = controller.latest();
      if (p.scanSeq === imageSeq) return false;
      encodeStatus(p, mapCtx, image);
      imageSeq = p.scanSeq;
      counters.imageBuilds++;
      latestFailed = false;
      return true;
    } catch (err) {
      // Warn once per outage, not once per read.
      if (!latestFailed) log.warn({ err }, 'no published status; serving the previous image');
      latestFailed = true;
      return false;
    }
  }
  return { image, seq: () => imageSeq, refresh };
}

/** Register values as numbers (tests, HTTP debugging): word i of the image. */
export function imageWords(image: Buffer): number[] {
  const words: number[] = [];
  for (let i = 0; i < image.length; i += 2) words.push(image.readUInt16BE(i));
  return words;
}
