// A new driver is one plug-in plus one table entry: the generic board loader takes its section,
// its signal keys and its resolution without any other change (here a toy driver beside the real ones).
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ConfigInvalid, formatError } from '../../src/config/errors.js';
import { DRIVERS } from '../../src/drivers/registry.js';
import type { BoardSectionSpec } from '../../src/io/board-section.js';
import { boardSchemas, validateBoardWith } from '../../src/io/board.js';

interface ToySection {
  readonly host: string;
  readonly signals: readonly { name: string; variable: string }[];
}

const toy: BoardSectionSpec<ToySection | undefined> = {
  section: z
    .object({ host: z.string().min(1) })
    .strict()
    .optional(),
  signalKeys: { variable: z.string().min(1).optional() },
  noOutputs: 'outputs cannot be toy variables',
  begin(raw, ctx) {
    const t = raw as { host: string } | undefined;
    const signals: { name: string; variable: string }[] = [];
    return {
      resolve(sig, e) {
        const variable = (e as { variable?: string }).variable;
        if (variable === undefined) return ctx.err(`${sig.at}.variable`, 'missing', 'e.g. variable: battery.charge');
        signals.push({ name: sig.name, variable });
      },
      finish: () => t && { host: t.host, signals },
    };
  },
};

const table = { ...DRIVERS, toy };
const schemas = boardSchemas(table);
const errorsOf = (raw: unknown): string[] => {
  try {
    validateBoardWith(table, schemas, raw, 'test.yaml');
    return [];
  } catch (err) {
    if (err instanceof ConfigInvalid) return err.errors.map(formatError);
    throw err;
  }
};

describe('a driver added to the table', () => {
  it('gets its section and its signals', () => {
    const b = validateBoardWith(
      table,
      schemas,
      { name: 'x', driver: 'toy', toy: { host: 'ups.local' }, signals: { 'ups.chargePct': { variable: 'battery.charge' } } },
      't',
    );
    expect(b).toMatchObject({ driver: 'toy', toy: { host: 'ups.local', signals: [{ name: 'ups.chargePct', variable: 'battery.charge' }] } });
  });

  it('is named in messages, and its keys are refused on the other drivers', () => {
    expect(errorsOf({ name: 'x', driver: 'gpio', signals: { 'ups.fault': { pin: 4, variable: 'ups.status' } } })).toEqual([
      'signals.ups.fault.variable: does not apply to a gpio signal (remove it)',
    ]);
    expect(errorsOf({ name: 'x', signals: { 'ups.fault': { pin: 1 } } })).toEqual([
      'signals.ups.fault.driver: missing (give driver: gpio | firmata | modbus | nut | toy here, or a top-level "driver:")',
    ]);
    expect(errorsOf({ name: 'x', driver: 'toy', toy: { host: 'h' }, signals: { 'alarm.common': { variable: 'v', pin: 3 } } })).toEqual([
      'signals.alarm.common.driver: outputs cannot be toy variables (drive outputs from gpio or firmata or modbus)',
      'signals.alarm.common.pin: does not apply to a toy signal (remove it)',
    ]);
  });

  it('refuses a key two drivers declare with different meanings', () => {
    const clash = { ...toy, signalKeys: { pin: z.string().optional() } };
    expect(() => boardSchemas({ ...DRIVERS, clash })).toThrow(/"pin" is declared with two different schemas/);
  });
});
