// WCAG 2 contrast of every visible text on the page against what is behind it, computed in the page
// (no axe, no network): a string for page.evaluate, since the tests are compiled without the DOM lib.

/** One text that fails: its text, colours, ratio and the ratio it needs. */
export interface ContrastFailure {
  readonly text: string;
  readonly fg: string;
  readonly bg: string;
  readonly ratio: number;
  readonly need: number;
}

/**
 * Returns the failures. Text colour: `color` (HTML) or `fill` (SVG). Background: for SVG text the
 * topmost filled shape under its centre, else the first ancestor with an opaque-ish background,
 * composited over white. Large text (24 px, or 18.66 px bold) needs 3:1, the rest 4.5:1.
 */
export const CONTRAST_SCRIPT = `(() => {
  const parse = (c) => {
    const m = /rgba?\\(([\\d.]+),\\s*([\\d.]+),\\s*([\\d.]+)(?:,\\s*([\\d.]+))?\\)/.exec(c || '');
    return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])] : null;
  };
  const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const htmlBg = (el) => {
    const layers = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] === 1) break; }
    }
    return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255, 1]);
  };
  const svgBg = (el) => {
    const r = el.getBoundingClientRect();
    const hits = document.elementsFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    for (const h of hits) {
      if (h === el || !(h instanceof SVGGeometryElement)) continue;
      const f = parse(getComputedStyle(h).fill);
      if (f && f[3] > 0 && getComputedStyle(h).fill !== 'none') return over(f, htmlBg(h.ownerSVGElement));
    }
    return htmlBg(el.ownerSVGElement || el.parentElement);
  };
  const visible = (el) => {
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none' || Number(s.opacity) === 0) return false;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return false;
    for (let e = el; e; e = e.parentElement) if (e.hidden || getComputedStyle(e).display === 'none') return false;
    return true;
  };
  const fails = [];
  const all = document.querySelectorAll('body *');
  for (const el of all) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
    if (!own || !visible(el)) continue;
    const s = getComputedStyle(el);
    const isSvg = el instanceof SVGElement;
    const fg = parse(isSvg ? s.fill : s.color);
    if (!fg) continue;
    const bg = isSvg ? svgBg(el) : htmlBg(el);
    const px = parseFloat(s.fontSize);
    const large = px >= 24 || (px >= 18.66 && Number(s.fontWeight) >= 700);
    const need = large ? 3 : 4.5;
    const r = ratio(over(fg, bg), bg);
    if (r < need) fails.push({ text: el.textContent.trim().slice(0, 60), fg: s.color + ' / ' + s.fill, bg: 'rgb(' + bg.slice(0, 3).join(',') + ')', ratio: Math.round(r * 100) / 100, need });
  }
  return fails;
})()`;
