// The dashboard's files, every one shipped in the package (a cabinet has no internet): read once at
// start, gzipped once, served from memory with a Content-Security-Policy that allows only 'self'.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The page's folder, src/runtime/dashboard/web/ (from dist/src/runtime/dashboard: up to the root, then
 * into src/, since tsc does not copy the browser's files; deploy/install.sh installs that folder). */
function webDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  if (!here.includes(`${join('dist', 'src')}`)) return join(here, 'web');
  return resolve(here, '..', '..', '..', '..', 'src', 'runtime', 'dashboard', 'web');
}

export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

interface Asset {
  readonly type: string;
  readonly body: Buffer;
  readonly gz: Buffer;
}

/** URL path → file: the page's own files and uPlot from node_modules. */
function sources(): Record<string, string> {
  const web = webDir();
  const uplot = dirname(createRequire(import.meta.url).resolve('uplot/package.json'));
  return {
    '/': join(web, 'index.html'),
    '/app.js': join(web, 'app.js'),
    '/diagram.js': join(web, 'diagram.js'),
    '/panels.js': join(web, 'panels.js'),
    '/dom.js': join(web, 'dom.js'),
    '/trends.js': join(web, 'trends.js'),
    '/app.css': join(web, 'app.css'),
    '/uplot.js': join(uplot, 'dist', 'uPlot.iife.min.js'),
    '/uplot.css': join(uplot, 'dist', 'uPlot.min.css'),
  };
}

let cache: Map<string, Asset> | undefined;

export function assets(): ReadonlyMap<string, Asset> {
  if (cache) return cache;
  cache = new Map();
  for (const [path, file] of Object.entries(sources())) {
    const body = readFileSync(file);
    const ext = file.split('.').pop() ?? '';
    cache.set(path, { type: TYPES[ext] ?? 'application/octet-stream', body, gz: gzipSync(body, { level: 9 }) });
  }
  return cache;
}

/** The page's weight as a browser on the network gets it (every file gzipped), in bytes. */
export const pageWeightGzBytes = (): number => [...assets().values()].reduce((n, a) => n + a.gz.length, 0);

export function serveAsset(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  const a = assets().get(path);
  if (!a) return false;
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  res.writeHead(200, {
    'content-type': a.type,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
    vary: 'accept-encoding',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(gzip ? a.gz : a.body);
  return true;
}
