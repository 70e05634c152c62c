// The Board contract every board passes, the simulated cabinet and each driver with its injected
// fake: inputs carry age and go stale; nothing is driven before the first output image; a full
// image written twice is idempotent; close() leaves the outputs as they are.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reading, SignalName } from '../../src/core/types.js';
import type { Board } from '../../src/io/ports.js';

/** A board opened on its fake, with the handles the contract needs to look at the "hardware". */
export interface BoardRig {
  readonly board: Board;
  /** An input the board maps, fresh once the board is open. */
  readonly input: SignalName;
  /** After its source falls silent, the input must not read as fresh once this long has passed. */
  readonly staleAfterMs: number;
  /** The clock the runtime would pass as nowMs. */
  now(): number;
  /** Lets time pass (fake timers or a fake clock) so the driver's own polling runs. */
  advance(ms: number): Promise<void>;
  /** Makes the input's source fall silent: an unreadable pin, a lost link, a device that stops answering. */
  silence(): void;
  /** The logical state the hardware holds per output the board drives; undefined = never driven. */
  hardware(): ReadonlyMap<SignalName, boolean | undefined>;
  /** Releases what the rig set up besides the board (fake timers …). */
  dispose?(): void;
}

const fresh = (r: Reading | undefined): boolean => r !== undefined && r.value !== undefined;
const ageOf = (r: Reading | undefined): number | undefined => (r && r.value !== undefined ? r.ageMs : undefined);

/** A full image for the board's outputs (alternating on/off) plus a signal it does not own. */
function fullImage(outputs: readonly SignalName[], firstOn: boolean): Map<SignalName, boolean> {
  const image = new Map(outputs.map((name, i) => [name, (i % 2 === 0) === firstOn] as const));
  image.set('uplink.nobody.selected', true);
  return image;
}

const driven = (rig: BoardRig) => Object.fromEntries(rig.hardware());
const expected = (rig: BoardRig, image: ReadonlyMap<SignalName, boolean>) => Object.fromEntries(rig.board.outputs.map((o) => [o, image.get(o)]));

export function boardContract(name: string, open: () => Promise<BoardRig>): void {
  describe(`Board contract: ${name}`, () => {
    let rig: BoardRig;
    let closed = false;
    beforeEach(async () => {
      rig = await open();
      closed = false;
    });
    afterEach(async () => {
      if (!closed) await rig.board.close();
      rig.dispose?.();
    });
    const close = async () => {
      closed = true;
      await rig.board.close();
    };

    it('declares the input it reads and outputs it can drive', () => {
      expect(rig.board.inputs).toContain(rig.input);
      expect([...rig.hardware().keys()].sort()).toEqual([...rig.board.outputs].sort());
    });

    it('reads its inputs with their age', async () => {
      await rig.advance(10);
      const r = rig.board.read(rig.now()).get(rig.input);
      expect(fresh(r)).toBe(true);
      const age = ageOf(r) ?? -1;
      expect(age).toBeGreaterThanOrEqual(0);
      expect(age).toBeLessThanOrEqual(rig.staleAfterMs);
    });

    it('never presents an input whose source fell silent as fresh', async () => {
      expect(fresh(rig.board.read(rig.now()).get(rig.input))).toBe(true);
      rig.silence();
      await rig.advance(rig.staleAfterMs + 100);
      const r = rig.board.read(rig.now()).get(rig.input);
      // Stale by the board's own limit, or an honest age the core's limit will reject: never a fresh value.
      if (fresh(r)) expect(ageOf(r)).toBeGreaterThanOrEqual(rig.staleAfterMs);
      else expect(r).toEqual({ value: undefined, reason: 'stale' });
    });

    it('drives nothing before the first output image', async () => {
      for (let i = 0; i < 5; i++) {
        rig.board.read(rig.now());
        await rig.advance(500);
      }
      expect(Object.values(driven(rig)).every((v) => v === undefined)).toBe(true);
    });

    it('drives the image; the same full image written twice changes nothing', async () => {
      const image = fullImage(rig.board.outputs, true);
      rig.board.write(image, rig.now());
      const once = driven(rig);
      expect(once).toEqual(expected(rig, image));
      rig.board.write(image, rig.now());
      expect(driven(rig)).toEqual(once);
      await rig.advance(1500); // past any refresh period: re-asserting the image is still the same image
      rig.board.write(image, rig.now());
      expect(driven(rig)).toEqual(once);
    });

    it('follows a changed image', async () => {
      rig.board.write(fullImage(rig.board.outputs, true), rig.now());
      await rig.advance(10);
      const other = fullImage(rig.board.outputs, false);
      rig.board.write(other, rig.now());
      expect(driven(rig)).toEqual(expected(rig, other));
    });

    it('leaves every output as it is on close()', async () => {
      const image = fullImage(rig.board.outputs, true);
      rig.board.write(image, rig.now());
      const before = driven(rig);
      await close();
      expect(driven(rig)).toEqual(before);
    });
  });
}
