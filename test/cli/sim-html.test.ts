// `twinfeed sim --html`: one self-contained HTML file with a plot per scenario and each expectation's
// pass or fail (in-process, the same runSim the CLI calls).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EX_FAILED } from '../../src/config/exit-codes.js';
import { runSim } from '../../src/cli/sim.js';

const dir = mkdtempSync(join(tmpdir(), 'twinfeed-html-'));
const OUTAGE = join(import.meta.dirname, '..', '..', 'sim', 'scenarios', 'utility-outage-auto-return.yaml');
const FAILING = join(dir, 'failing.yaml');
writeFileSync(FAILING, 'name: wrong expectation\nduration: 20s\nconfig: { uplinks: { enabled: false } }\nexpect:\n  - at: 10s\n    status: { source: B }\n');

describe('twinfeed sim --html', () => {
  it('writes one self-contained file: a timeline per scenario, events as markers, each expectation passed or failed', async () => {
    const out = join(dir, 'report.html');
    const lines: string[] = [];
    const code = await runSim({ files: [OUTAGE, FAILING], json: false, html: out }, { out: (l) => lines.push(l), err: (l) => lines.push(l) });
    expect(code).toBe(EX_FAILED);
    expect(lines.at(-1)).toBe(`wrote ${out} (2 scenario(s) plotted)`);
    const html = readFileSync(out, 'utf8');
    // Nothing to fetch and nothing to run: it opens anywhere, offline.
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
    expect(html).toContain('1 of 2 scenario(s) ok');
    expect(html).toContain('Utility outage, generator carries the load, automatic return: ok');
    expect(html).toContain('wrong expectation: FAILED');
    expect(html).toMatch(/<td>FAIL<\/td><td>status source at 10000 ms: [^<]+<\/td>/);
    expect(html.match(/<td>PASS<\/td>/g)?.length).toBe(11);
    for (const lane of ['K A command', 'K A feedback', 'K B command', 'K B feedback', 'generator', 'UPS charge (%)', 'feed voltage (V)'])
      expect(html).toContain(`>${lane}<`);
    // The transfer to B and back are markers with their details.
    expect(html).toMatch(/<title>[\d.]+ s transfer\.begin [^<]*&#34;to&#34;:&#34;B&#34;/);
    expect(html).toMatch(/<title>[\d.]+ s transfer\.begin [^<]*&#34;to&#34;:&#34;A&#34;/);
  });
});
