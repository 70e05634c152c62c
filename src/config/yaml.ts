// Reading YAML files into plain data; syntax and read errors become ConfigInvalid with line and column.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { ConfigInvalid } from './errors.js';

/** Parses YAML text into plain data, reporting syntax errors with line and column. */
export function parseYaml(text: string, source: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigInvalid(
      doc.errors.map((e) => ({
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '',
        problem: e.message.split('\n')[0] ?? 'YAML syntax error',
        hint: 'fix the YAML syntax',
      })),
      source,
    );
  }
  return doc.toJS() ?? {};
}

export function readYamlFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigInvalid([{ path: '', problem: `cannot read file (${code})`, hint: 'check the path and permissions' }], path);
  }
  return parseYaml(text, path);
}
