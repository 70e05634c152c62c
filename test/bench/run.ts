// `npm run bench`: runs every test/bench/*.bench.js and prints one JSON line per figure:
// {"name": "...", "value": N, "unit": "..."}. `npm run bench -- NAME` runs only benches whose file matches.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EX_FAILED, EX_OK } from '../../src/config/exit-codes.js';

type Emit = (name: string, value: number, unit: string) => void;
const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);

const emit: Emit = (name, value, unit) => {
  process.stdout.write(JSON.stringify({ name, value: Number.isFinite(value) ? Number(value.toPrecision(6)) : value, unit }) + '\n');
};

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const f of files) {
  const t0 = performance.now();
  try {
    const mod = (await import(pathToFileURL(join(here, f)).href)) as { bench?: (e: Emit) => Promise<void> };
    if (typeof mod.bench !== 'function') throw new Error('exports no bench(emit)');
    await mod.bench(emit);
  } catch (e) {
    failed++;
    process.stderr.write(`bench ${f} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  }
  process.stderr.write(`bench ${f}: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}
process.exitCode = failed > 0 ? EX_FAILED : EX_OK;
