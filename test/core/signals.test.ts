// The signal vocabulary: a misspelt name does not compile (`npm test` runs tsc over test/, and an
// unused @ts-expect-error is itself an error), and every name the code builds is one a board may map.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import {
  carrierSignal,
  closeCmdSignal,
  closedFbSignal,
  feedSignal,
  powerCycleSignal,
  psuOkSignal,
  selectedSignal,
  upsSignal,
  type InputSignal,
  type OutputSignal,
  type SignalName,
} from '../../src/core/signals.js';
import type { Reading } from '../../src/core/types.js';
import { lookupSignal } from '../../src/io/board-signals.js';
import { signalsNeeded } from '../../src/runtime/boards.js';

const fresh: Reading = { value: true, ageMs: 0 };

// Each line below would compile if signal names were plain strings.
// @ts-expect-error: "closedFB" is a typo of closedFb
export const typo: SignalName = 'breaker.A.closedFB';
// @ts-expect-error: there is no feed C
export const noFeed: SignalName = 'feed.C.voltage';
// @ts-expect-error: a PSU's contact is `.ok`
export const psuTypo: SignalName = 'psu.1.okay';
// @ts-expect-error: position feedback is read, never driven
export const wrongWay: OutputSignal = 'breaker.A.closedFb';
// @ts-expect-error: a close command is driven, never read
export const wrongWayIn: InputSignal = 'breaker.B.closeCmd';
// @ts-expect-error: a misspelt key of an input snapshot
export const snapTypo: ReadonlyMap<SignalName, Reading> = new Map<SignalName, Reading>([['ups.onBatery', fresh]]);
// @ts-expect-error: the UPS has no such field
export const upsTypo = upsSignal('onbattery');

describe('signal vocabulary', () => {
  it('builds the names the board files and the docs spell', () => {
    expect([closedFbSignal('A'), closeCmdSignal('B'), feedSignal('A', 'voltage'), upsSignal('chargePct')]).toEqual([
      'breaker.A.closedFb',
      'breaker.B.closeCmd',
      'feed.A.voltage',
      'ups.chargePct',
    ]);
    expect([psuOkSignal('2'), carrierSignal('lte'), selectedSignal('fiber'), powerCycleSignal('lte')]).toEqual([
      'psu.2.ok',
      'uplink.lte.carrier',
      'uplink.fiber.selected',
      'uplink.lte.powerCycle',
    ]);
  });

  it('every signal the default config needs is one a board file may map, flowing the way its type says', () => {
    const needed = signalsNeeded(loadConfig(undefined).config);
    const outputs = new Set<SignalName>([
      closeCmdSignal('A'),
      closeCmdSignal('B'),
      'generator.start',
      'alarm.common',
      powerCycleSignal('lte'),
      powerCycleSignal('fiber'),
      selectedSignal('lte'),
      selectedSignal('fiber'),
    ]);
    for (const name of needed) {
      const look = lookupSignal(name);
      expect(look.ok ? { name: look.name, direction: look.info.direction } : look).toEqual({ name, direction: outputs.has(name) ? 'out' : 'in' });
    }
  });
});
