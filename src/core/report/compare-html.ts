// The report's A/B section as HTML: the Compare page's numbers in one card. Every number cell carries the full
// double (data-value; intervals data-lo / data-hi), so the file can be checked against `predlens compare --json`.
import { ciCell, count, deltaCell, fixed, numCell } from './cells.ts';
import type { ReportCompare, ReportCompareClass, ReportCompareStat, ReportCoverage } from './compare.ts';
import type { BootstrapInfo } from '../eval/compare/bootstrap.ts';
import type { ReportData } from './data.ts';
import { esc } from './svg.ts';

const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

const HEAD =
  '<th class="num">A</th><th class="num">B</th><th class="num">B − A</th><th class="num">95% interval</th>' +
  '<th class="num">P(B > A)</th>';

const cells = (r: ReportCompareStat | ReportCompareClass) =>
  `${numCell(r.a, 3, 'a')}${numCell(r.b, 3, 'b')}${deltaCell(r.delta)}${ciCell(r.ci)}${numCell(r.pBetter, 2, 'p')}`;

/** What each statistic is, in pycocotools' summary terms (Encord Active's: at the section's IoU). */
const ABOUT: Record<string, string> = {
  AP: 'IoU .50:.95',
  AP50: 'IoU .50',
  AP75: 'IoU .75',
  APs: 'small',
  APm: 'medium',
  APl: 'large',
  AR1: '1 detection',
  AR10: '10 detections',
  AR100: '100 detections',
  ARs: 'small',
  ARm: 'medium',
  ARl: 'large',
};

function statTable(id: string, rows: readonly ReportCompareStat[]): string {
  const body = rows
    .map((r) => {
      const about = ABOUT[r.statistic];
      return (
        `<tr data-statistic="${esc(r.statistic)}"><td>${esc(r.statistic)}` +
        (about ? ` <span class="muted small">${esc(about)}</span>` : '') +
        `</td>${cells(r)}</tr>`
      );
    })
    .join('');
  return `<table class="table ab" data-table="${id}"><thead><tr><th>Statistic</th>${HEAD}</tr></thead><tbody>${body}</tbody></table>`;
}

function classTable(id: string, rows: readonly ReportCompareClass[]): string {
  const body = rows
    .map(
      (r) =>
        `<tr data-id="${esc(r.id)}" data-class="${esc(r.name)}"><td>${esc(r.name)}` +
        (r.onlyIn ? ` <span class="tag">only ${r.onlyIn.toUpperCase()} predicts it</span>` : '') +
        `</td>${cells(r)}</tr>`,
    )
    .join('');
  return `<table class="table ab" data-table="${id}"><thead><tr><th>Class</th>${HEAD}</tr></thead><tbody>${body}</tbody></table>`;
}

/** "Compared on 48 of 50 images; left out: ...", and the bootstrap it ran, with the numbers in data attributes. */
function coverageLine(part: string, c: ReportCoverage, bootstrap?: BootstrapInfo): string {
  let text = `Compared on ${count(c.compared)} of ${plural(c.total, c.unit)}`;
  if (c.onlyA || c.onlyB) {
    text +=
      ` (${c.all ? 'kept' : 'left out'}: ${plural(c.onlyA, c.unit)} only A has predictions on, ` +
      `${count(c.onlyB)} only B has)`;
  }
  text += '.';
  if (bootstrap) {
    text +=
      ` 95% intervals: paired bootstrap, ${count(bootstrap.resamples)} resamples of the ` +
      `${plural(bootstrap.units, c.unit)}, seed ${bootstrap.seed}.`;
  }
  const attrs =
    `data-coverage="${part}" data-compared="${c.compared}" data-total="${c.total}" data-only-a="${c.onlyA}" ` +
    `data-only-b="${c.onlyB}"` +
    (bootstrap ? ` data-resamples="${bootstrap.resamples}" data-seed="${bootstrap.seed}"` : '');
  return `<p class="muted small" ${attrs}>${esc(text)}</p>`;
}

export function compareSection(d: ReportData): string {
  const c: ReportCompare | undefined = d.compare;
  if (!c) return '';
  const parts: string[] = [];
  const { active, coco, changes } = c;
  if (active) {
    parts.push(
      `<div><h3>Encord Active at IoU ${active.iouThreshold.toFixed(2)}` +
        `${active.ignoreFramesWithoutPredictions ? ', frames without predictions ignored' : ''}</h3>` +
        coverageLine('active', active.coverage, active.bootstrap) +
        statTable('compare-active', active.stats) +
        '</div>',
    );
  }
  if (changes) {
    parts.push(
      `<div><h3>Labels that changed</h3>` +
        `<p data-changes data-iou="${changes.iou}" data-fixed="${changes.fixed}" data-broken="${changes.broken}" data-images="${changes.images}">` +
        `<strong class="up">${esc(plural(changes.fixed, 'label'))} fixed</strong> (B matches them, A misses them) · ` +
        `<strong class="down">${esc(plural(changes.broken, 'label'))} broken</strong> (the reverse) · ` +
        `${esc(plural(changes.images, 'image'))} changed.</p>` +
        `<p class="muted small">COCO’s greedy matching at IoU ${fixed(changes.iou, 2)}, area all, 100 detections per image and class; crowd labels never count.</p>` +
        coverageLine('changes', changes.coverage) +
        '</div>',
    );
  }
  const top = parts.length > 0 ? `<div class="two">${parts.join('')}</div>` : '';
  let cocoPart = '';
  if (coco) {
    const differs = coco.coverage.onlyA > 0 || coco.coverage.onlyB > 0;
    cocoPart =
      `<h3>COCO: pycocotools’ 12 stats (${esc(coco.iouType)})</h3>` +
      coverageLine('coco', coco.coverage, coco.bootstrap) +
      statTable('compare-coco', coco.stats) +
      (differs
        ? `<p class="muted small" data-alone-a="${coco.alone.a[0] ?? ''}" data-alone-b="${coco.alone.b[0] ?? ''}">` +
          `Each run alone, on every image: AP ${fixed(coco.alone.a[0] ?? NaN)} (A), ${fixed(coco.alone.b[0] ?? NaN)} (B).</p>`
        : '');
  }
  const classes: string[] = [];
  if (coco && coco.perClass.length > 0) {
    classes.push(
      `<div><h3>Per class: COCO AP @[.50:.95]</h3>${classTable('compare-coco-per-class', coco.perClass)}</div>`,
    );
  }
  if (active && active.perClass.length > 0) {
    classes.push(
      `<div><h3>Per class: Encord Active AP at IoU ${active.iouThreshold.toFixed(2)}</h3>` +
        `${classTable('compare-active-per-class', active.perClass)}</div>`,
    );
  }
  return (
    `<section class="card" id="compare"><h2>A/B: ${esc(c.nameA)} vs ${esc(c.nameB)}</h2>` +
    `<p class="muted">A is this report’s run (<strong data-testid="run-a">${esc(c.nameA)}</strong>), B the run it is compared with ` +
    `(<strong data-testid="run-b">${esc(c.nameB)}</strong>). Both are measured on the same images; B − A with its 95% interval and ` +
    `P(B > A), the share of bootstrap resamples on which B is ahead. Per-class tables are sorted by B − A.</p>` +
    top +
    cocoPart +
    (classes.length > 0 ? `<div class="two">${classes.join('')}</div>` : '') +
    '</section>'
  );
}
