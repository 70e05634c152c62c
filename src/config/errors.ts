// Config errors a user can cause, as `path: problem (hint)`: the error type every loader throws
// (config, board files, scenarios), zod issues turned into that form, and "did you mean" hints.
import { z } from 'zod';

export interface ConfigError {
  path: string;
  problem: string;
  hint?: string;
}

export function formatError(e: ConfigError): string {
  return `${e.path || '(top)'}: ${e.problem}${e.hint ? ` (${e.hint})` : ''}`;
}

export class ConfigInvalid extends Error {
  constructor(
    readonly errors: readonly ConfigError[],
    readonly source: string,
  ) {
    super(`${source}: ${errors.length} error(s)\n` + errors.map((e) => '  ' + formatError(e)).join('\n'));
  }
}

const pathOf = (p: readonly PropertyKey[]) => p.map((k, i) => (typeof k === 'number' ? `[${k}]` : (i === 0 ? '' : '.') + String(k))).join('');

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0] as number;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j] as number;
      d[j] = Math.min((d[j] as number) + 1, (d[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length] as number;
}

/** The keys an object schema accepts at `path` (to suggest a fix for a typo). */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: unknown = schema;
  const unwrap = (x: unknown): unknown => {
    for (let i = 0; i < 10; i++) {
      const def = (x as { def?: { innerType?: unknown; in?: unknown; type?: string } }).def;
      if (!def) return x;
      if (def.innerType) x = def.innerType;
      else if (def.type === 'pipe' && def.in) x = def.in;
      else return x;
    }
    return x;
  };
  for (const key of [...path, null]) {
    s = unwrap(s);
    const def = (s as { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown } }).def;
    if (key === null) return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
    if (def?.type === 'object' && def.shape && typeof key === 'string') s = def.shape[key];
    else if (def?.type === 'array' && typeof key === 'number') s = def.element;
    else return [];
  }
  return [];
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = editDistance(word.toLowerCase(), c.toLowerCase());
    if (dist < bestD) [best, bestD] = [c, dist];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Turns zod issues into `path: problem (hint)` errors. */
export function zodErrors(schema: z.ZodType, error: z.ZodError, prefix = ''): ConfigError[] {
  const out: ConfigError[] = [];
  const join = (p: string) => (prefix && p ? (p.startsWith('[') ? prefix + p : `${prefix}.${p}`) : prefix || p);
  for (const issue of error.issues) {
    const base = pathOf(issue.path);
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the alternative that came closest (fewest problems), not a bare "Invalid input".
      const best = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      const nested = zodErrors(schema, new z.ZodError(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }))), prefix);
      out.push(...nested);
      continue;
    }
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, issue.path);
      for (const key of issue.keys) {
        const near = closest(key, known);
        out.push({
          path: join(base ? `${base}.${key}` : key),
          problem: 'unknown key',
          hint: near ? `did you mean "${near}"?` : known.length ? `valid keys: ${known.join(', ')}` : 'remove it',
        });
      }
    } else if (issue.code === 'invalid_value') {
      out.push({ path: join(base), problem: `invalid value`, hint: `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` });
    } else if (issue.code === 'invalid_type') {
      // zod 4 issues carry no input unless asked; its message ends in "received <type>".
      const got = /received (\w+)/.exec(issue.message)?.[1];
      const missing = got === 'undefined';
      out.push({
        path: join(base),
        problem: missing ? 'missing' : `expected ${issue.expected}, got ${got ?? 'another type'}`,
        hint: `give a ${issue.expected}`,
      });
    } else if (issue.code === 'too_small' || issue.code === 'too_big') {
      const bound = issue.code === 'too_small' ? `at least ${String(issue.minimum)}` : `at most ${String(issue.maximum)}`;
      out.push({ path: join(base), problem: issue.message, hint: `must be ${bound}` });
    } else {
      const m = /^(.*) \((.*)\)$/s.exec(issue.message);
      out.push(m ? { path: join(base), problem: m[1] as string, hint: m[2] as string } : { path: join(base), problem: issue.message });
    }
  }
  return out;
}
