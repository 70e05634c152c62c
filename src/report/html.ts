// The monthly record as one self-contained HTML file (inline style, no script, no external assets):
// the Markdown's tables and findings, escaped, for a browser or a PDF printer.
import { renderMarkdown } from './markdown.js';
import type { Report } from './types.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const STYLE =
  'body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top;font-size:.9em}th{background:#eee}.FAIL{color:#b00;font-weight:bold}.PASS{color:#070;font-weight:bold}';

/** Converts the Markdown this module writes (headings, bullets, pipe tables, paragraphs) to HTML. */
export function renderHtml(r: Report): string {
  const out: string[] = [];
  let inTable = false;
  let inList = false;
  const closeBlocks = () => {
    if (inTable) out.push('</table>');
    if (inList) out.push('</ul>');
    inTable = inList = false;
  };
  const md = renderMarkdown(r).split('\n');
  md.forEach((line, i) => {
    if (line.startsWith('| ')) {
      const cells = line
        .slice(2, -2)
        .split(/(?<!\\) \| /)
        .map((c) => c.replace(/\\\|/g, '|'));
      if (cells.every((c) => c === '---')) return;
      const head = !inTable && md[i + 1]?.startsWith('| ---') === true;
      if (!inTable) out.push('<table>');
      inTable = true;
      const tag = head ? 'th' : 'td';
      out.push(`<tr>${cells.map((c) => `<${tag}${c === 'PASS' || c === 'FAIL' ? ` class="${c}"` : ''}>${esc(c)}</${tag}>`).join('')}</tr>`);
      return;
    }
    if (inTable) closeBlocks();
    if (line.startsWith('- ')) {
      if (!inList) out.push('<ul>');
      inList = true;
      out.push(`<li>${esc(line.slice(2))}</li>`);
      return;
    }
    closeBlocks();
    const h = /^(#+) (.*)$/.exec(line);
    if (h) out.push(`<h${(h[1] as string).length}>${esc(h[2] as string)}</h${(h[1] as string).length}>`);
    else if (line.trim() !== '') out.push(`<p>${esc(line.replace(/\*\*/g, ''))}</p>`);
  });
  closeBlocks();
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(`Monthly record ${r.month}`)}</title><style>${STYLE}</style></head><body>\n${out.join('\n')}\n</body></html>`;
}
