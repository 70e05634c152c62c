// Renders the register map table as Markdown, JSON or CSV (`twinfeed registers`, the README's map
// section): generated, never written by hand, so docs and server cannot disagree.
import { COMMAND_CODES, SCADA_TEST_DURATION_MS } from './commands.js';
import { MAP_VERSION, REGISTERS, STATUS_BLOCK_WORDS, WORDS, type RegisterDef } from './map.js';

export type RegisterFormat = 'md' | 'json' | 'csv';

export const README_START = '<!-- registers:start -->';
export const README_END = '<!-- registers:end -->';

const lastAddress = (r: RegisterDef): number => r.address + WORDS[r.type] - 1;
const span = (from: number, to: number): string => (from === to ? `${from}` : `${from}–${to}`);

/** 1-based references: 3xxxx input registers (FC4), 4xxxx holding registers (FC3, FC6/FC16 writes). */
function refs(r: RegisterDef): { input?: string; holding: string } {
  const holding = span(40001 + r.address, 40001 + lastAddress(r));
  return r.access === 'rw' ? { holding } : { input: span(30001 + r.address, 30001 + lastAddress(r)), holding };
}

function unitOf(r: RegisterDef): string {
  if (r.scale !== undefined && r.scale !== 1) return `${r.unit ?? ''} × ${r.scale}`;
  return r.unit ?? '';
}

/** The meaning with its enum values or bits spelled out. */
function meaning(r: RegisterDef): string {
  const parts = [r.description];
  if (r.values)
    parts.push(
      r.values
        .map((v, i) => `${i} ${v}`)
        .filter((v) => !v.endsWith('(unused)'))
        .join(', '),
    );
  if (r.bits) parts.push(r.bits.map((b, i) => `b${i} ${b}`).join(', '));
  return parts.join(': ');
}

function markdown(): string {
  const rows = REGISTERS.map((r) => {
    const ref = refs(r);
    const cells = [
      span(r.address, lastAddress(r)),
      ref.input ? `${ref.input} / ${ref.holding}` : ref.holding,
      `\`${r.name}\``,
      r.type,
      r.access,
      unitOf(r),
      meaning(r),
    ];
    return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  });
  const codes = [...COMMAND_CODES].map(([code, c]) => `| ${code} | ${c.label} | \`${JSON.stringify(c.command)}\` |`);
  return [
    `Map version ${MAP_VERSION}. Addresses are 0-based protocol addresses; the 1-based form is 3xxxx (input registers, FC4)`,
    `and 4xxxx (holding registers, FC3). FC3 and FC4 return the same values. Addresses 0–${STATUS_BLOCK_WORDS - 1} are the status block:`,
    'an address not listed reads 0. Multi-word values are high word first. Values are rounded and clamped to the register;',
    'an unknown measurement reads 0 (the flags say why). Reading past 102 is exception 02.',
    '',
    '| addr | 1-based | name | type | access | unit | meaning |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    'Commands (select-before-operate): write a code to 100, then the same code to 101 within `scada.selectTimeoutMs`',
    '(default 10 s), one register per request (FC6, or FC16 with quantity 1); read 102 for the result. Writes need',
    "`scada.writes.allow` to list the client's network; otherwise every write function gets exception 01. A write",
    'outside 100–101 gets 02, an unknown code 03. Select state and 102 are kept per client IP address.',
    `Tests started over SCADA run ${SCADA_TEST_DURATION_MS / 60_000} min (or until stop test).`,
    '',
    '| code | command | request |',
    '|---|---|---|',
    ...codes,
  ].join('\n');
}

function json(): string {
  const entries = (list: readonly string[] | undefined) =>
    list ? Object.fromEntries(list.map((v, i) => [String(i), v]).filter(([, v]) => v !== '(unused)')) : undefined;
  const registers = REGISTERS.map((r) => ({
    address: r.address,
    words: WORDS[r.type],
    ref: refs(r),
    name: r.name,
    type: r.type,
    access: r.access,
    scale: r.scale ?? 1,
    unit: r.unit ?? null,
    description: r.description,
    values: entries(r.values),
    bits: entries(r.bits),
  }));
  const commands = [...COMMAND_CODES].map(([code, c]) => ({ code, label: c.label, command: c.command }));
  return JSON.stringify({ mapVersion: MAP_VERSION, statusBlock: { first: 0, last: STATUS_BLOCK_WORDS - 1 }, registers, commands }, null, 2);
}

const csvCell = (v: string | number): string => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

function csv(): string {
  const head = ['address', 'words', 'input_ref', 'holding_ref', 'name', 'type', 'access', 'scale', 'unit', 'meaning'];
  const rows = REGISTERS.map((r) => {
    const ref = refs(r);
    return [r.address, WORDS[r.type], ref.input ?? '', ref.holding, r.name, r.type, r.access, r.scale ?? 1, r.unit ?? '', meaning(r)].map(csvCell).join(',');
  });
  return [head.join(','), ...rows].join('\n');
}

export function renderRegisters(format: RegisterFormat): string {
  return format === 'md' ? markdown() : format === 'json' ? json() : csv();
}

/** The README's generated map section (between the markers, trimmed); undefined if the markers are missing. */
export function readmeRegisterSection(readme: string): string | undefined {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END, start + 1);
  if (start < 0 || end < 0) return undefined;
  return readme.slice(start + README_START.length, end).trim();
}

/** `readme` with its map section regenerated (to keep the README in step: write this back). */
export function withRegisterSection(readme: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END, start + 1);
  if (start < 0 || end < 0) throw new Error(`README has no ${README_START} … ${README_END} section`);
  return `${readme.slice(0, start + README_START.length)}\n${renderRegisters('md')}\n${readme.slice(end)}`;
}
