// Board files: YAML that maps logical signals to a driver and a pin or register. Validation
// reports every problem at once as `path: problem (hint)`, like the config (exit 78). This loader
// knows no driver: it runs the table of sections it is given (src/drivers/registry.ts).
import { z } from 'zod';
import { ConfigInvalid, zodErrors, type ConfigError } from '../config/errors.js';
import { readYamlFile } from '../config/yaml.js';
import { parseEach, type BoardSectionSpec, type SectionContext, type SectionSession } from './board-section.js';
import { lookupSignal } from './board-signals.js';

export type SectionTable = Readonly<Record<string, BoardSectionSpec<unknown>>>;

/** The resolved file of a hardware board: one section per driver in the table. */
export type HardwareBoardOf<T extends SectionTable> = {
  readonly name: string;
  readonly driver: (keyof T & string) | undefined;
  readonly source: string;
} & { readonly [K in keyof T]: T[K] extends BoardSectionSpec<infer Out> ? Out : never };

export interface SimBoardFile {
  readonly name: string;
  readonly driver: 'sim';
  readonly source: string;
}

export type BoardFileOf<T extends SectionTable> = SimBoardFile | HardwareBoardOf<T>;

export const isSimBoard = <F extends { readonly driver: string | undefined }>(file: F | SimBoardFile): file is SimBoardFile => file.driver === 'sim';

/** Keys that describe an input; an output carrying one is told so. */
const INPUT_ONLY = ['contact', 'debounceMs', 'staleMs'] as const;

/** The schemas a table implies: top level (sections in table order) and one signal entry. */
export interface BoardSchemas {
  readonly top: z.ZodType;
  readonly entry: z.ZodType;
  /** Per driver, the keys of other drivers it does not read, reported as `does not apply to a <driver> signal`. */
  readonly foreign: ReadonlyMap<string, readonly string[]>;
}

export function boardSchemas(table: SectionTable): BoardSchemas {
  const names = Object.keys(table) as [string, ...string[]];
  const keys: Record<string, z.ZodType> = {};
  for (const spec of Object.values(table)) {
    for (const [k, s] of Object.entries(spec.signalKeys)) {
      const had = keys[k];
      if (had !== undefined && had !== s) throw new Error(`board key "${k}" is declared with two different schemas`);
      // A key several drivers read sits where the last of them declares it, which keeps the
      // order of the `valid keys` hint and of the errors as board files have always shown them.
      delete keys[k];
      keys[k] = s;
    }
  }
  const entry = z.object({ driver: z.enum(names).optional(), ...keys }).strict();
  const sections = Object.fromEntries(Object.entries(table).map(([n, spec]) => [n, spec.section]));
  const top = z
    .object({ name: z.string().min(1), driver: z.enum(['sim', ...names]).optional(), signals: z.record(z.string(), z.unknown()).optional(), ...sections })
    .strict();
  const foreign = new Map<string, readonly string[]>();
  for (const [n, spec] of Object.entries(table)) {
    const own = new Set([...Object.keys(spec.signalKeys), ...(spec.refusesItself ?? [])]);
    // Other drivers' keys in table order, each driver's in its own order: the order of the errors.
    const others = Object.entries(table).flatMap(([m, o]) => (m === n ? [] : Object.keys(o.signalKeys)));
    foreign.set(n, [...new Set(others.filter((k) => !own.has(k)))]);
  }
  return { top, entry, foreign };
}

/** Validates a board file's data against a table of driver sections; throws ConfigInvalid listing every error. */
export function validateBoardWith<T extends SectionTable>(table: T, schemas: BoardSchemas, raw: unknown, source: string): BoardFileOf<T> {
  const top = schemas.top.safeParse(raw ?? {});
  if (!top.success) throw new ConfigInvalid(zodErrors(schemas.top, top.error), source);
  const t = top.data as { name: string; driver?: string; signals?: Record<string, unknown> } & Record<string, unknown>;
  const errors: ConfigError[] = [];
  const err = (path: string, problem: string, hint?: string) => errors.push(hint ? { path, problem, hint } : { path, problem });

  if (t.driver === 'sim') {
    if (t.signals && Object.keys(t.signals).length > 0) err('signals', 'a sim board maps no signals', 'remove "signals:" or choose a hardware driver');
    if (errors.length) throw new ConfigInvalid(errors, source);
    return { name: t.name, driver: 'sim', source };
  }
  const stray: SectionContext['stray'] = (entry, at, keys, why) => {
    for (const k of keys) if ((entry as Record<string, unknown>)[k] !== undefined) err(`${at}.${k}`, `does not apply ${why}`, 'remove it');
  };
  const sessions = new Map<string, SectionSession<unknown>>();
  for (const [n, spec] of Object.entries(table)) sessions.set(n, spec.begin(t[n], { err, stray, source }));
  const entries = parseEach(schemas.entry, t.signals ?? {}, 'signals', err) as Map<string, Record<string, unknown> & { driver?: string }>;
  if (!t.signals || Object.keys(t.signals).length === 0)
    err('signals', 'no signals mapped', 'map at least breaker.A.closedFb, breaker.B.closedFb and the close commands');
  for (const s of sessions.values()) s.check?.();
  for (const [name, e] of entries) resolveEntry(name, e, { table, schemas, sessions, defaultDriver: t.driver, err, stray });
  const sections = Object.fromEntries([...sessions].map(([n, s]) => [n, s.finish()]));
  if (errors.length) throw new ConfigInvalid(errors, source);
  return { name: t.name, driver: t.driver, source, ...sections } as HardwareBoardOf<T>;
}

interface EntryContext {
  readonly table: SectionTable;
  readonly schemas: BoardSchemas;
  readonly sessions: ReadonlyMap<string, SectionSession<unknown>>;
  readonly defaultDriver: string | undefined;
  readonly err: (path: string, problem: string, hint?: string) => void;
  readonly stray: SectionContext['stray'];
}

/** The checks every driver shares; then the entry goes to its driver's section. */
function resolveEntry(name: string, e: Record<string, unknown> & { driver?: string }, ctx: EntryContext): void {
  const { err, stray, table } = ctx;
  const at = `signals.${name}`;
  const look = lookupSignal(name);
  if (!look.ok) return err(at, look.problem, look.hint);
  const { direction, kind } = look.info;
  const driver = e.driver ?? ctx.defaultDriver;
  const names = Object.keys(table);
  if (!driver) return err(`${at}.driver`, 'missing', `give driver: ${names.join(' | ')} here, or a top-level "driver:"`);
  const spec = table[driver];
  const session = ctx.sessions.get(driver);
  if (!spec || !session) return err(`${at}.driver`, `unknown driver "${driver}"`, `one of ${names.join(', ')}`);
  if (direction === 'out') {
    stray(e, at, INPUT_ONLY, 'to an output');
    if (spec.noOutputs) err(`${at}.driver`, spec.noOutputs, `drive outputs from ${names.filter((n) => !table[n]?.noOutputs).join(' or ')}`);
  }
  stray(e, at, ctx.schemas.foreign.get(driver) ?? [], `to a ${driver} signal`);
  session.resolve({ name: look.name, at, direction, kind }, e);
}

/** Loads and validates a board file; throws ConfigInvalid (exit EX_CONFIG) with every error. */
export function loadBoardFileWith<T extends SectionTable>(table: T, schemas: BoardSchemas, path: string): BoardFileOf<T> {
  const raw = readYamlFile(path);
  if (raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new ConfigInvalid([{ path: '', problem: 'the file is not a mapping of keys', hint: 'start with "name:" and "signals:"' }], path);
  }
  return validateBoardWith(table, schemas, raw, path);
}
