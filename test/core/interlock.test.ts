// The interlock gate: never passes an image that closes a breaker while the other is commanded closed, shows closed,
// or — for a breaker not already closed (confirmed by feedback, or its command already written) — is
// not confirmed open.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLOSE_CMD, gate } from '../../src/core/interlock.js';
import type { FeedId } from '../../src/core/types.js';
import type { SignalName } from '../../src/core/signals.js';

type Fb = boolean | null;
/** A close command in the image: on, off, or not in the image at all. */
type Cmd = boolean | undefined;

// `extra` may hold any string (the property below feeds arbitrary names): cast, not checked.
const imageOf = (a: Cmd, b: Cmd, extra: Record<string, boolean> = {}) => {
  const m = new Map(Object.entries(extra) as [SignalName, boolean][]);
  if (a !== undefined) m.set(CLOSE_CMD.A, a);
  if (b !== undefined) m.set(CLOSE_CMD.B, b);
  return m;
};

const fbArb = fc.constantFrom<Fb>(true, false, null);
const cmdArb = fc.constantFrom<Cmd>(true, false, undefined);

describe('interlock gate', () => {
  it('property: a passed close command has the other commanded open, never shown closed, and confirmed open unless this one is already closed (all images × feedback × held)', () => {
    fc.assert(
      fc.property(cmdArb, cmdArb, fbArb, fbArb, fc.boolean(), fc.boolean(), fc.dictionary(fc.string(), fc.boolean()), (a, b, fa, fb, ha, hb, extra) => {
        const feedback = { A: fa, B: fb };
        const held = { A: ha, B: hb };
        const wanted = { A: a === true, B: b === true };
        const out = gate(imageOf(a, b, extra), feedback, held).image;
        for (const [x, y] of [
          ['A', 'B'],
          ['B', 'A'],
        ] as [FeedId, FeedId][]) {
          if (out.get(CLOSE_CMD[x]) === true) {
            expect(out.get(CLOSE_CMD[y])).not.toBe(true);
            expect(wanted[y]).toBe(false);
            expect(feedback[y]).not.toBe(true);
            // Closing (not confirmed closed, and not already commanded closed) needs the other confirmed open.
            if (feedback[x] !== true && !held[x]) expect(feedback[y]).toBe(false);
            // Held without proof only while the other's position is unknown, never when it shows closed.
            if (feedback[y] !== false) expect(feedback[y] === null && (feedback[x] === true || held[x])).toBe(true);
          }
        }
        // The gate only ever removes close commands; it never adds one or touches other outputs.
        for (const f of ['A', 'B'] as const) if (out.get(CLOSE_CMD[f]) === true) expect(wanted[f]).toBe(true);
        for (const [k, v] of Object.entries(extra)) if (k !== CLOSE_CMD.A && k !== CLOSE_CMD.B) expect(out.get(k as SignalName)).toBe(v);
      }),
      { numRuns: 2000 },
    );
  });

  it('exhaustive over all 3×3 images × 3×3 feedback × 2×2 held combinations', () => {
    const cmds: Cmd[] = [true, false, undefined];
    const fbs: Fb[] = [true, false, null];
    let n = 0;
    for (const a of cmds)
      for (const b of cmds)
        for (const fa of fbs)
          for (const fb of fbs)
            for (const ha of [false, true])
              for (const hb of [false, true]) {
                const out = gate(imageOf(a, b), { A: fa, B: fb }, { A: ha, B: hb }).image;
                const passA = out.get(CLOSE_CMD.A) === true;
                const passB = out.get(CLOSE_CMD.B) === true;
                expect(passA && passB).toBe(false);
                if (passA) expect(fb === false || (fb === null && (fa === true || ha))).toBe(true);
                if (passB) expect(fa === false || (fa === null && (fb === true || hb))).toBe(true);
                n++;
              }
    expect(n).toBe(324);
  });

  it('keeps a close command already written while the I/O module carrying both contacts is silent, but closes nothing new', () => {
    const silent = { A: null, B: null };
    expect(gate(imageOf(true, false), silent, { A: true, B: false }).image.get(CLOSE_CMD.A)).toBe(true);
    const fresh = gate(imageOf(true, false), silent, { A: false, B: false });
    expect(fresh.image.get(CLOSE_CMD.A)).toBe(false);
    expect(fresh.blocked).toEqual([{ feed: 'A', why: 'breaker B position unknown' }]);
    // A contact that shows the other closed wins over any hold.
    expect(gate(imageOf(true, false), { A: null, B: true }, { A: true, B: false }).image.get(CLOSE_CMD.A)).toBe(false);
  });

  it('passes a safe image unchanged (A closing while B is confirmed open)', () => {
    const img = imageOf(true, false);
    const r = gate(img, { A: false, B: false });
    expect(r.blocked).toEqual([]);
    expect(r.image).toBe(img);
  });

  it('refuses both commanded closed: both dropped, both reported', () => {
    const r = gate(imageOf(true, true), { A: false, B: false });
    expect(r.image.get(CLOSE_CMD.A)).toBe(false);
    expect(r.image.get(CLOSE_CMD.B)).toBe(false);
    expect(r.blocked.map((b) => b.feed).sort()).toEqual(['A', 'B']);
  });

  it('refuses closing A while B shows closed, and says why', () => {
    const r = gate(imageOf(true, false), { A: true, B: true });
    expect(r.image.get(CLOSE_CMD.A)).toBe(false);
    expect(r.blocked).toEqual([{ feed: 'A', why: 'breaker B shows closed' }]);
  });

  it('refuses closing B while A position is unknown', () => {
    const r = gate(imageOf(false, true), { A: null, B: false });
    expect(r.image.get(CLOSE_CMD.B)).toBe(false);
    expect(r.blocked).toEqual([{ feed: 'B', why: 'breaker A position unknown' }]);
  });

  it('does not mutate the image it was given', () => {
    const img = imageOf(true, true);
    gate(img, { A: false, B: false });
    expect(img.get(CLOSE_CMD.A)).toBe(true);
  });
});
