// A tiny hyperscript helper: elements are built with DOM APIs only (no innerHTML), so server data
// can never become markup, and the strict CSP needs no 'unsafe-inline'.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'number' ? String(child) : child);
  }
}

const SVG = 'http://www.w3.org/2000/svg';

/** A sparkline of values between 0 and 1 (error rates), as an inline SVG with a text alternative. */
export function sparkline(values: number[], label: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  const width = 80;
  const height = 20;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'spark');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const title = document.createElementNS(SVG, 'title');
  title.textContent = label;
  svg.append(title);
  if (values.length > 0) {
    const step = values.length > 1 ? width / (values.length - 1) : 0;
    const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 1 - v * (height - 2)).toFixed(1)}`);
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute(
      'points',
      values.length > 1 ? points.join(' ') : `0,${points[0]!.split(',')[1]} ${width},${points[0]!.split(',')[1]}`,
    );
    line.setAttribute('class', values.some((v) => v > 0) ? 'spark-bad' : 'spark-ok');
    svg.append(line);
  }
  return svg;
}
