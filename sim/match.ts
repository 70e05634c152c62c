// Expectation matching: exact values, arrays as sets, objects partially, and the range/contains
// operators `{min, max}`, `{includes: [...]}`, `{excludes: [...]}` for figures that may vary.

const OPS = new Set(['min', 'max', 'includes', 'excludes']);

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x) => b.some((y) => sameValue(x, y)));
  if (isPlain(a) && isPlain(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => sameValue(a[k], b[k]));
  }
  return a === b;
}

/** Does `actual` satisfy `expected`? Returns null when it does, else why not. */
export function mismatch(expected: unknown, actual: unknown): string | null {
  if (isPlain(expected) && Object.keys(expected).length > 0 && Object.keys(expected).every((k) => OPS.has(k))) {
    const { min, max, includes, excludes } = expected as { min?: number; max?: number; includes?: unknown[]; excludes?: unknown[] };
    if (min !== undefined && !(typeof actual === 'number' && actual >= min)) return `expected ≥ ${min}, got ${JSON.stringify(actual)}`;
    if (max !== undefined && !(typeof actual === 'number' && actual <= max)) return `expected ≤ ${max}, got ${JSON.stringify(actual)}`;
    const arr = Array.isArray(actual) ? actual : [];
    for (const x of includes ?? []) if (!arr.some((y) => sameValue(x, y))) return `expected to include ${JSON.stringify(x)}, got ${JSON.stringify(actual)}`;
    for (const x of excludes ?? []) if (arr.some((y) => sameValue(x, y))) return `expected not to include ${JSON.stringify(x)}, got ${JSON.stringify(actual)}`;
    return null;
  }
  if (isPlain(expected)) {
    if (!isPlain(actual)) return `expected an object, got ${JSON.stringify(actual)}`;
    for (const [k, v] of Object.entries(expected)) {
      const m = mismatch(v, actual[k] ?? (typeof v === 'number' ? 0 : undefined));
      if (m) return `${k}: ${m}`;
    }
    return null;
  }
  return sameValue(expected, actual) ? null : `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

/** Walks a dotted path (status fields such as `uplink.fiber.up`); `found` tells a missing field from `undefined`. */
function walk(obj: unknown, path: string): { found: boolean; value: unknown } {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (!isPlain(cur) || !(part in cur)) return { found: false, value: undefined };
    cur = cur[part];
  }
  return { found: true, value: cur };
}

export const getPath = (obj: unknown, path: string): unknown => walk(obj, path).value;
export const hasPath = (obj: unknown, path: string): boolean => walk(obj, path).found;
