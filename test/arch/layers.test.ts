// Dependencies point one way (design §2): no cycle between the folders of src/ and sim/, and no
// lower layer reaches up into the runtime or the CLI.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCycle, importSpecifiers, layerEdges, layerOf } from './deps.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const edges = layerEdges(ROOT);
const show = (es: typeof edges) => es.map((e) => `${e.file} imports ${e.specifier}`);

/** What each layer may import. A new arrow is a design decision: add it here, never a cycle. */
const ALLOWED: Record<string, readonly string[]> = {
  'src/config': [],
  'src/core': ['src/config'],
  'src/io': ['src/config', 'src/core'],
  'src/drivers': ['src/config', 'src/core', 'src/io'],
  'src/scada': ['src/config', 'src/core', 'src/io'],
  sim: ['src/config', 'src/core', 'src/io'],
  /** The Sparkplug B edge node: follows the published status like SCADA does. */
  'src/sparkplug': ['src/config', 'src/core', 'src/io'],
  'src/runtime': ['src/config', 'src/core', 'src/io', 'src/drivers', 'src/scada', 'sim', 'src/sparkplug'],
  /** The monthly record: a pure fold over journal records (their shape is declared there). */
  'src/report': [],
  'src/cli': ['src/config', 'src/core', 'src/io', 'src/drivers', 'src/scada', 'src/runtime', 'sim', 'src/report'],
};

describe('layers', () => {
  it('reads the picture: the arrows the code is known to have are found', () => {
    const pairs = new Set(edges.map((e) => `${e.from} -> ${e.to}`));
    for (const known of ['src/cli -> src/runtime', 'src/runtime -> src/scada', 'src/scada -> src/io', 'sim -> src/core']) {
      expect(pairs).toContain(known);
    }
  });

  it('has no cycle between layers', () => {
    expect(findCycle(edges)).toBeUndefined();
  });

  it('no lower layer imports the runtime or the CLI', () => {
    const up = edges.filter((e) => (e.to === 'src/runtime' || e.to === 'src/cli') && e.from !== 'src/cli');
    expect(show(up)).toEqual([]);
  });

  it('every arrow is one the layer table allows', () => {
    const unknown = edges.filter((e) => !(e.from in ALLOWED) || !(ALLOWED[e.from] ?? []).includes(e.to));
    expect(show(unknown)).toEqual([]);
  });
});

describe('the dependency reader', () => {
  it('finds static, type-only, re-export, side-effect and dynamic imports, across lines', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b/b.js';",
      "export { c } from './c.js';",
      "import './side.js';",
      'import {',
      '  d,',
      "} from './d.js';",
      "const e = await import('../e.js');",
    ].join('\n');
    expect(importSpecifiers(text)).toEqual(['./a.js', '../b/b.js', './c.js', './side.js', './d.js', '../e.js']);
  });

  it('names a layer by its top folder under src/, or sim', () => {
    expect(layerOf('src/scada/server.ts')).toBe('src/scada');
    expect(layerOf('src/drivers/uplink/index.ts')).toBe('src/drivers');
    expect(layerOf('sim/plant/cabinet.ts')).toBe('sim');
    expect(layerOf('test/scada/fakes.ts')).toBeUndefined();
  });

  it('finds a cycle, and none in a graph without one', () => {
    expect(
      findCycle([
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'c', to: 'a' },
      ]),
    ).toEqual(['a', 'b', 'c', 'a']);
    expect(
      findCycle([
        { from: 'a', to: 'b' },
        { from: 'a', to: 'c' },
        { from: 'b', to: 'c' },
      ]),
    ).toBeUndefined();
  });
});
