// The report's charts as inline SVG strings (no script, no fonts fetched): precision–recall curves, horizontal bars,
// and a card's crop with its shapes drawn over the thumbnail.
import { RECALL_THRESHOLDS } from '../eval/active/numeric.ts';
import type { ReportCurve, ReportItem, ReportShape } from './data.ts';

/** Text and attribute values escaped for HTML and SVG. */
export function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));

/** Recall on x, precision on y, 0..1 each, one polyline per curve, with a legend beside. */
export function prChart(curves: readonly ReportCurve[], label: string): string {
  const W = 420;
  const H = 300;
  const left = 42;
  const top = 12;
  const right = 12;
  const bottom = 36;
  const pw = W - left - right;
  const ph = H - top - bottom;
  const x = (r: number) => left + r * pw;
  const y = (p: number) => top + (1 - p) * ph;
  const grid = [0, 0.2, 0.4, 0.6, 0.8, 1]
    .map(
      (t) =>
        `<line x1="${num(x(0))}" x2="${num(x(1))}" y1="${num(y(t))}" y2="${num(y(t))}" class="grid"/>` +
        `<text x="${left - 6}" y="${num(y(t) + 4)}" text-anchor="end">${t.toFixed(1)}</text>` +
        `<text x="${num(x(t))}" y="${H - bottom + 16}" text-anchor="middle">${t.toFixed(1)}</text>`,
    )
    .join('');
  const lines = curves
    .map((c) => {
      const points = c.precision.map((p, k) => `${num(x(RECALL_THRESHOLDS[k]))},${num(y(Math.max(0, p)))}`).join(' ');
      return `<polyline points="${points}" fill="none" stroke="${esc(c.color)}" stroke-width="2"><title>${esc(c.name)}</title></polyline>`;
    })
    .join('');
  const legend = curves
    .map((c) => `<li><span class="swatch" style="background:${esc(c.color)}"></span>${esc(c.name)}</li>`)
    .join('');
  return (
    `<figure class="chart"><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(label)}">` +
    `${grid}${lines}` +
    `<text x="${left + pw / 2}" y="${H - 4}" text-anchor="middle" class="axis">Recall</text>` +
    `<text x="12" y="${top + ph / 2}" text-anchor="middle" class="axis" transform="rotate(-90 12 ${top + ph / 2})">Precision</text>` +
    `</svg><ul class="legend">${legend}</ul></figure>`
  );
}

/** Horizontal bars, one per row, scaled to the largest value (at least `max`). */
export function barChart(
  rows: readonly { label: string; value: number; color?: string }[],
  label: string,
  unit = '',
): string {
  const rowH = 22;
  const W = 420;
  const left = 120;
  const right = 56;
  const H = rows.length * rowH + 8;
  const max = Math.max(1e-12, ...rows.map((r) => Math.abs(r.value)));
  const bars = rows
    .map((r, i) => {
      const w = (Math.abs(r.value) / max) * (W - left - right);
      const yy = 4 + i * rowH;
      return (
        `<text x="${left - 8}" y="${yy + 15}" text-anchor="end">${esc(r.label)}</text>` +
        `<rect x="${left}" y="${yy + 3}" width="${num(w)}" height="${rowH - 8}" rx="2" fill="${esc(r.color ?? '#5658dd')}"/>` +
        `<text x="${num(left + w + 6)}" y="${yy + 15}">${esc(r.value.toFixed(2))}${esc(unit)}</text>`
      );
    })
    .join('');
  return `<figure class="chart"><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(label)}">${bars}</svg></figure>`;
}

function shapeSvg(shape: ReportShape): string {
  const dash = shape.role === 'prediction' ? ' stroke-dasharray="4 3"' : '';
  const width = shape.role === 'label' || shape.role === 'prediction' ? 1.5 : 3;
  const common = `fill="none" stroke="${esc(shape.color)}" stroke-width="${width}" vector-effect="non-scaling-stroke"${dash} class="${shape.role}"`;
  if (shape.kind === 'box')
    return `<rect x="${num(shape.x)}" y="${num(shape.y)}" width="${num(shape.w)}" height="${num(shape.h)}" ${common}/>`;
  return `<polygon points="${shape.points.map(([px, py]) => `${num(px)},${num(py)}`).join(' ')}" ${common}/>`;
}

/** A card's picture: the thumbnail under the crop's view box, the shapes on top; a placeholder without pixels. */
export function itemSvg(item: ReportItem): string {
  const { crop } = item;
  const image = item.thumbnail
    ? `<image href="${esc(item.thumbnail)}" x="${num(crop.x)}" y="${num(crop.y)}" width="${num(crop.w)}" height="${num(crop.h)}" preserveAspectRatio="none"/>`
    : `<rect x="${num(crop.x)}" y="${num(crop.y)}" width="${num(crop.w)}" height="${num(crop.h)}" class="no-image"/>` +
      `<text x="${num(crop.x + crop.w / 2)}" y="${num(crop.y + crop.h / 2)}" text-anchor="middle" class="no-image-text" font-size="${num(crop.h / 10)}">No image</text>`;
  return (
    `<svg viewBox="${num(crop.x)} ${num(crop.y)} ${num(crop.w)} ${num(crop.h)}" width="${item.thumbWidth}" height="${item.thumbHeight}" role="img" aria-label="${esc(item.title)}">` +
    `${image}${item.shapes.map(shapeSvg).join('')}</svg>`
  );
}
