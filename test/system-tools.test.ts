// The system tools the tests need are there (in CI they must be: a missing one fails here, by name,
// with its Debian package), and `.ci/run` and the README name every package the tests use.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allPackages, CI, missingTool, TOOLS, type ToolName } from './system-tools.js';

const root = join(import.meta.dirname, '..');

describe('system tools for the tests', () => {
  for (const name of Object.keys(TOOLS) as ToolName[]) {
    it(`${name}: ${TOOLS[name].why}`, () => {
      const missing = missingTool(name);
      if (missing && !CI) return console.warn(`SKIP tests needing ${name}: ${missing}`);
      expect(missing, `${missing ?? ''} — .ci/run installs it; on another machine install it by hand`).toBeUndefined();
    });
  }

  it('.ci/run installs every Debian package the tests use', () => {
    const script = readFileSync(join(root, '.ci', 'run'), 'utf8');
    const line = /^pkgs="([^"]*)"/m.exec(script)?.[1] ?? '';
    const installed = new Set(line.split(/\s+/));
    expect(allPackages().filter((p) => !installed.has(p))).toEqual([]);
    // Recommends are not installed there, so a package needed only as a Recommends must be named.
    expect(script).toContain('--no-install-recommends');
  });

  it('the README names every Debian package the tests use', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(allPackages().filter((p) => !readme.includes(`\`${p}\``))).toEqual([]);
  });
});
