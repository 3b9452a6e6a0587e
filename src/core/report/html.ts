// One self-contained HTML file from a ReportData: CSS inline, charts as inline SVG, thumbnails as data: URIs, no
// script to run and nothing to fetch, so it opens from disk in any browser, offline, and prints cleanly. The numbers
// it shows are also embedded as JSON (`<script type="application/json" id="predlens-report">`, in eval --json's
// names) so a script can read them back.
import { reportNumbers, type ReportData, type ReportItem } from './data.ts';
import { REPORT_CSS } from './style.ts';
import { count, fixed, intCell, numCell } from './cells.ts';
import { compareSection } from './compare-html.ts';
import { barChart, esc, itemSvg, prChart } from './svg.ts';

function headline(d: ReportData): string {
  const card = (id: string, title: string, value: string, full: number | undefined, sub: string) =>
    `<div class="stat" data-stat="${id}"><div class="label">${esc(title)}</div>` +
    `<div class="value"${full === undefined ? '' : ` data-value="${Number.isFinite(full) ? full : ''}"`}>${esc(value)}</div>` +
    `<div class="sub">${esc(sub)}</div></div>`;
  const at = `IoU ${d.settings.iouThreshold.toFixed(2)}`;
  const cards = [
    card('mAP', 'mAP', fixed(d.headline.mAP), d.headline.mAP, `Encord Active, ${at}`),
    card('mAR', 'mAR', fixed(d.headline.mAR), d.headline.mAR, `Encord Active, ${at}`),
    card('tp', 'True positives', count(d.headline.tp), d.headline.tp, at),
    card('fp', 'False positives', count(d.headline.fp), d.headline.fp, at),
    card('fn', 'Missed labels', count(d.headline.fn), d.headline.fn, at),
  ];
  if (d.coco) {
    const ap = d.coco.stats[0]?.value ?? NaN;
    cards.push(card('coco-ap', 'COCO AP', fixed(ap), ap, `@[.50:.95], ${d.coco.iouType}`));
  }
  return `<section class="headline">${cards.join('')}</section>`;
}

function cocoTable(d: ReportData): string {
  if (!d.coco) return '';
  const rows = d.coco.stats
    .map(
      (s) =>
        `<tr data-stat="${s.stat}"><td>${s.metric === 'AP' ? 'Average Precision' : 'Average Recall'} (${s.metric})</td>` +
        `<td><code>IoU=${esc(s.iou)}</code></td><td>${esc(s.area)}</td>${intCell(s.maxDets)}${numCell(s.value)}</tr>`,
    )
    .join('');
  const perClass = d.coco.perClass
    .filter((c) => c.groundTruth > 0)
    .map(
      (c) =>
        `<tr><td>${esc(c.name)}</td>${numCell(c.AP)}${numCell(c.AP50)}${numCell(c.AP75)}${numCell(c.AR)}` +
        `${intCell(c.groundTruth)}${intCell(c.detections)}</tr>`,
    )
    .join('');
  return (
    `<section class="card" id="coco"><h2>COCO evaluation</h2>` +
    `<p class="muted">pycocotools’ COCOeval (iouType <code>${esc(d.coco.iouType)}</code>) of the same labels and predictions: its 12 summary stats, bit for bit.</p>` +
    `<div class="two"><table class="table" data-table="coco-stats"><thead><tr><th>Stat</th><th>IoU</th><th>Area</th><th class="num">Max dets</th><th class="num">Value</th></tr></thead><tbody>${rows}</tbody></table>` +
    `<table class="table" data-table="coco-per-class"><thead><tr><th>Class</th><th class="num">AP</th><th class="num">AP50</th><th class="num">AP75</th><th class="num">AR</th><th class="num">GT</th><th class="num">Dets</th></tr></thead><tbody>${perClass}</tbody></table></div></section>`
  );
}

function perClassSection(d: ReportData): string {
  const rows = d.perClass
    .filter((c) => c.evaluated || c.nPredictions > 0)
    .map(
      (c) =>
        `<tr data-class="${esc(c.name)}"><td><span class="swatch" style="background:${esc(c.color)}"></span>${esc(c.name)}</td>` +
        `${numCell(c.AP)}${numCell(c.AR)}${intCell(c.nLabels)}${intCell(c.nPredictions)}` +
        `${intCell(c.nTruePositives)}${intCell(c.nFalsePositives)}${intCell(c.nFalseNegatives)}</tr>`,
    )
    .join('');
  return (
    `<section class="card" id="per-class"><h2>Per class</h2>` +
    `<p class="muted">Encord Active’s AP (101-point interpolated) and AR at IoU ${d.settings.iouThreshold.toFixed(2)}; a class without labels has none and is not in mAP.</p>` +
    `<div class="two"><table class="table" data-table="per-class"><thead><tr><th>Class</th><th class="num">AP</th><th class="num">AR</th><th class="num">Labels</th><th class="num">Predictions</th><th class="num">TP</th><th class="num">FP</th><th class="num">FN</th></tr></thead>` +
    `<tbody>${rows}<tr class="mean"><td>Mean (mAP, mAR)</td>${numCell(d.headline.mAP)}${numCell(d.headline.mAR)}<td colspan="6"></td></tr></tbody></table>` +
    `<div><h3>Precision–recall curves</h3>${prChart(d.pr, 'Precision–recall curve per class')}</div></div></section>`
  );
}

function confusionSection(d: ReportData): string {
  const m = d.confusion;
  if (!m) return '';
  const n = m.labels.length;
  let max = 1;
  for (let t = 0; t < n; t++)
    for (let p = 0; p < n; p++) if (t !== n - 1 || p !== n - 1) max = Math.max(max, m.counts[t][p]);
  const head = m.labels.map((l) => `<th class="rot"><span>${esc(l)}</span></th>`).join('');
  const body = m.labels
    .map((truth, t) => {
      const cells = m.labels
        .map((_, p) => {
          if (t === n - 1 && p === n - 1) return '<td class="void"></td>';
          const v = m.counts[t][p];
          const shade = v === 0 ? 0 : 0.12 + 0.78 * (v / max);
          const kind = t === p ? 'diag' : 'off';
          return `<td class="num ${kind}" style="--a:${shade.toFixed(3)}">${v === 0 ? '' : count(v)}</td>`;
        })
        .join('');
      return `<tr><th>${esc(truth)}</th>${cells}</tr>`;
    })
    .join('');
  return (
    `<section class="card" id="confusion"><h2>Confusion matrix</h2>` +
    `<p class="muted">Rows: the label’s class; columns: the predicted class, at IoU ${m.iouThreshold.toFixed(2)}, every confidence. ` +
    `The Background row holds predictions that matched no label (false detections); the Background column, labels no prediction matched (missed).</p>` +
    `<div class="scroll"><table class="matrix" data-table="confusion"><thead><tr><th>Label \\ predicted</th>${head}</tr></thead><tbody>${body}</tbody></table></div></section>`
  );
}

function tideSection(d: ReportData): string {
  if (!d.tide) return '';
  const main = Object.entries(d.tide.main).map(([label, value]) => ({ label, value, color: '#c8283f' }));
  const special = Object.entries(d.tide.special).map(([label, value]) => ({ label, value, color: '#8e44ad' }));
  return (
    `<section class="card" id="tide"><h2>What costs AP (TIDE)</h2>` +
    `<p class="muted">The AP (in points) each kind of error costs: fixing it alone would add this much to COCO AP@.50 (tidecv’s dAP).</p>` +
    `<div class="two"><div><h3>Main errors</h3>${barChart(main, 'dAP of each main error type')}</div>` +
    `<div><h3>False positives and negatives</h3>${barChart(special, 'dAP of false positives and false negatives')}</div></div></section>`
  );
}

function gallery(id: string, title: string, about: string, items: readonly ReportItem[]): string {
  if (items.length === 0)
    return `<section class="card" id="${id}"><h2>${esc(title)}</h2><p class="muted">None.</p></section>`;
  const cards = items
    .map(
      (item) =>
        `<figure class="item">${itemSvg(item)}<figcaption><strong title="${esc(item.file)}">${esc(item.title)}</strong>` +
        item.lines.map((l) => `<span>${esc(l)}</span>`).join('') +
        `</figcaption></figure>`,
    )
    .join('');
  return `<section class="card" id="${id}"><h2>${esc(title)}</h2><p class="muted">${esc(about)}</p><div class="gallery">${cards}</div></section>`;
}

/** The whole report as one HTML document. */
export function renderReport(d: ReportData): string {
  const date = d.generatedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
  const settings =
    `IoU threshold ${d.settings.iouThreshold.toFixed(2)}` +
    (d.settings.ignoreFramesWithoutPredictions ? ', frames without predictions ignored' : '') +
    ` · ${count(d.counts.images)} images · ${count(d.counts.labels)} labels · ${count(d.counts.predictions)} predictions`;
  const numbers = JSON.stringify(reportNumbers(d)).replace(/</g, '\\u003c');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing in this file may reach the network, whatever a browser's defaults.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`,
    `<title>${esc(`${d.projectTitle} — ${d.runName} — predlens report`)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    `<script type="application/json" id="predlens-report">${numbers}</script>`,
    '</head><body><main>',
    `<header class="top"><p class="eyebrow">predlens report</p><h1>${esc(d.projectTitle)}</h1>`,
    `<p class="run">Run <strong data-testid="run-name">${esc(d.runName)}</strong>` +
      (d.compare ? `, compared with <a href="#compare">${esc(d.compare.nameB)}</a>` : '') +
      '</p>',
    `<p class="muted">${esc(settings)}</p>`,
    `<p class="muted small">Made ${esc(date)} by predlens ${esc(d.version)}. Everything is in this file: it opens offline and sends nothing anywhere.</p></header>`,
    headline(d),
    compareSection(d),
    tideSection(d),
    cocoTable(d),
    perClassSection(d),
    confusionSection(d),
    gallery(
      'false-positives',
      `The ${d.falsePositives.length} most confident false positives`,
      'The prediction in red, the frame’s labels in their class colours; the line under each says why it did not count.',
      d.falsePositives,
    ),
    gallery(
      'missed',
      `The ${d.missed.length} largest missed labels`,
      'The missed label in purple, the frame’s predictions dashed in their class colours.',
      d.missed,
    ),
    d.notes.length > 0
      ? `<section class="card" id="notes"><h2>Notes</h2><ul>${d.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></section>`
      : '',
    '</main></body></html>',
    '',
  ].join('\n');
}
