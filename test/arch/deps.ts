// The folder dependency picture of src/ and sim/: which layer imports which, read from the import
// specifiers of every .ts file (static, type-only, re-exports and dynamic imports alike).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** One import of one file into another layer. */
export interface LayerEdge {
  readonly from: string;
  readonly to: string;
  /** A file that makes the edge (repository-relative), for the failure message. */
  readonly file: string;
  readonly specifier: string;
}

const SPECIFIER = /\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

/** Every module specifier in a TypeScript source text. */
export function importSpecifiers(text: string): string[] {
  return [...text.matchAll(SPECIFIER)].map((m) => (m[1] ?? m[2] ?? m[3]) as string);
}

/** The layer of a repository-relative path: `src/<folder>` or `sim`; undefined outside them. */
export function layerOf(path: string): string | undefined {
  const parts = path.split(sep).join('/').split('/');
  if (parts[0] === 'sim') return 'sim';
  if (parts[0] === 'src' && parts.length > 2) return `src/${parts[1] as string}`;
  return undefined;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The imports that cross from one layer into another, under `root` (the repository). */
export function layerEdges(root: string): LayerEdge[] {
  const out: LayerEdge[] = [];
  for (const abs of [...tsFiles(join(root, 'src')), ...tsFiles(join(root, 'sim'))]) {
    const file = relative(root, abs);
    const from = layerOf(file);
    for (const specifier of importSpecifiers(readFileSync(abs, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const to = layerOf(relative(root, resolve(dirname(abs), specifier)));
      if (from !== undefined && to !== undefined && to !== from) out.push({ from, to, file, specifier });
    }
  }
  return out;
}

/** A cycle in a directed graph (as the list of its nodes, first repeated last), or undefined. */
export function findCycle(edges: readonly { from: string; to: string }[]): string[] | undefined {
  const next = new Map<string, Set<string>>();
  for (const e of edges) next.set(e.from, (next.get(e.from) ?? new Set()).add(e.to));
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (n: string): string[] | undefined => {
    const at = path.indexOf(n);
    if (at >= 0) return [...path.slice(at), n];
    if (done.has(n)) return undefined;
    path.push(n);
    for (const m of next.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    path.pop();
    done.add(n);
    return undefined;
  };
  for (const n of next.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}
