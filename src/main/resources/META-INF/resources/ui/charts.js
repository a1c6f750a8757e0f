// Small SVG charts drawn by hand (no library: nothing to fetch, nothing to bundle). Each chart has a
// <title> for screen readers; the numbers are always also in a table beside it.
const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function svg(width, height, title) {
  const s = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title });
  s.appendChild(el('title', {}, title));
  const defs = el('defs', {});
  const hatch = el('pattern', { id: 'masked-hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse',
    patternTransform: 'rotate(45)' });
  hatch.appendChild(el('rect', { width: 6, height: 6, fill: '#eee' }));
  hatch.appendChild(el('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#666', 'stroke-width': 2 }));
  defs.appendChild(hatch);
  s.appendChild(defs);
  return s;
}

/**
 * Horizontal bars, one per item {label, value}; a value of null is a masked cell, drawn as a
 * hatched full-length bar labelled "masked" so it cannot be read as zero.
 */
export function barChart(title, items) {
  const rowH = 26, labelW = 170, width = 560, chartW = width - labelW - 70;
  const height = items.length * rowH + 10;
  const s = svg(width, height, title);
  const max = Math.max(1, ...items.map(i => i.value ?? 0));
  items.forEach((item, n) => {
    const y = 5 + n * rowH;
    s.appendChild(el('text', { x: labelW - 6, y: y + 16, 'text-anchor': 'end', class: 'axis' }, item.label));
    if (item.value === null) {
      s.appendChild(el('rect', { x: labelW, y: y + 3, width: chartW, height: rowH - 8, fill: 'url(#masked-hatch)',
        class: 'bar masked', 'data-label': item.label }));
      s.appendChild(el('text', { x: labelW + chartW + 6, y: y + 16, class: 'value' }, 'masked'));
    } else {
      const w = Math.max(1, chartW * item.value / max);
      s.appendChild(el('rect', { x: labelW, y: y + 3, width: w, height: rowH - 8, class: 'bar',
        'data-label': item.label, 'data-value': item.value }));
      s.appendChild(el('text', { x: labelW + w + 6, y: y + 16, class: 'value' }, String(item.value)));
    }
  });
  return s;
}

/** A line through points {label, value} in order (value null: a gap, e.g. a masked score). */
export function trendChart(title, points) {
  const width = 560, height = 220, left = 50, bottom = 40, top = 15, right = 20;
  const s = svg(width, height, title);
  const values = points.map(p => p.value).filter(v => v !== null);
  const min = Math.min(0, ...values);
  const max = values.length && Math.max(...values) > min ? Math.max(...values) : min + 1;
  const x = i => left + (points.length === 1 ? 0.5 : i / (points.length - 1)) * (width - left - right);
  const y = v => top + (1 - (v - min) / (max - min)) * (height - top - bottom);
  s.appendChild(el('line', { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, class: 'axis-line' }));
  s.appendChild(el('line', { x1: left, y1: top, x2: left, y2: height - bottom, class: 'axis-line' }));
  s.appendChild(el('text', { x: left - 4, y: top + 4, 'text-anchor': 'end', class: 'axis' }, fmt(max)));
  s.appendChild(el('text', { x: left - 4, y: height - bottom, 'text-anchor': 'end', class: 'axis' }, fmt(min)));
  let path = '', pen = false;
  points.forEach((p, i) => {
    s.appendChild(el('text', { x: x(i), y: height - bottom + 16, 'text-anchor': 'middle', class: 'axis' }, p.label));
    if (p.value === null) { pen = false; return; }
    path += (pen ? 'L' : 'M') + x(i) + ',' + y(p.value) + ' ';
    pen = true;
  });
  s.appendChild(el('path', { d: path.trim(), class: 'trend' }));
  points.forEach((p, i) => {
    if (p.value !== null) {
      s.appendChild(el('circle', { cx: x(i), cy: y(p.value), r: 4, class: 'point', 'data-value': p.value }));
    } else {
      // a masked score: a hollow marker on the axis, labelled, so the period is visibly there but unknown
      s.appendChild(el('rect', { x: x(i) - 5, y: height - bottom - 5, width: 10, height: 10, class: 'point masked' }));
      s.appendChild(el('text', { x: x(i), y: height - bottom - 10, 'text-anchor': 'middle', class: 'axis' }, 'masked'));
    }
  });
  return s;
}

export function fmt(v) {
  if (v === null) return 'masked';
  if (v === undefined || v === '') return '—';
  if (typeof v !== 'number') return String(v);
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}
