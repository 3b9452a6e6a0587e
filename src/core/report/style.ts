// The report's stylesheet, inlined into the file: system fonts only (nothing to fetch), and print rules that keep
// cards, rows and pictures whole on A4 and Letter paper.
export const REPORT_CSS = `
:root { --text: #1f2430; --muted: #5b6474; --border: #dde1e8; --surface: #fff; --page: #f5f6f8; --accent: #5658dd; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--page); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 20px 48px; display: grid; gap: 16px; }
main > *, .two > * { min-width: 0; }
h1 { margin: 0; font-size: 26px; } h2 { margin: 0 0 6px; font-size: 18px; } h3 { margin: 8px 0; font-size: 14px; }
.eyebrow { margin: 0; text-transform: uppercase; letter-spacing: .08em; font-size: 11px; color: var(--accent); font-weight: 600; }
.run { margin: 4px 0; font-size: 15px; }
.muted { color: var(--muted); margin: 2px 0 10px; } .small { font-size: 12px; }
.card { background: var(--surface); border: 1px solid var(--border); border-radius: 10px; padding: 16px 18px; }
.headline { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
.stat { background: var(--surface); border: 1px solid var(--border); border-radius: 10px; padding: 12px 14px; }
.stat .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.stat .value { font-size: 28px; font-weight: 650; font-variant-numeric: tabular-nums; }
.stat .sub { color: var(--muted); font-size: 12px; }
.two { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 18px; align-items: start; }
.table { border-collapse: collapse; width: 100%; font-size: 13px; }
.table th, .table td { padding: 4px 8px; border-bottom: 1px solid var(--border); text-align: left; }
.table th { font-weight: 600; color: var(--muted); font-size: 12px; }
.num { text-align: right !important; font-variant-numeric: tabular-nums; }
.mean td { font-weight: 650; }
.ab .num, .ab th { white-space: nowrap; }
.up { color: #0d7a6e; } .down { color: #b3203a; }
.tag { display: inline-block; padding: 0 6px; border-radius: 8px; background: #eef0f4; color: var(--muted); font-size: 11px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.chart { margin: 0; } .chart svg { width: 100%; height: auto; font-size: 11px; fill: var(--muted); }
.chart .grid { stroke: var(--border); } .chart .axis { fill: var(--text); font-size: 12px; }
.legend { list-style: none; margin: 6px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 12px; }
.scroll { overflow-x: auto; }
.matrix { border-collapse: collapse; font-size: 12px; }
.matrix th { font-weight: 600; color: var(--muted); padding: 3px 6px; text-align: left; white-space: nowrap; }
.matrix td { width: 34px; height: 26px; border: 1px solid var(--border); text-align: center; }
.matrix td.diag { background: rgba(86, 88, 221, var(--a)); } .matrix td.off { background: rgba(253, 10, 90, var(--a)); }
.matrix td.void { background: repeating-linear-gradient(45deg, #f2f3f6, #f2f3f6 4px, #fff 4px, #fff 8px); }
.matrix th.rot { height: 90px; vertical-align: bottom; } .matrix th.rot span { writing-mode: vertical-rl; transform: rotate(180deg); }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 12px; }
.item { margin: 0; border: 1px solid var(--border); border-radius: 8px; overflow: hidden; background: #fafbfc; }
.item svg { display: block; width: 100%; height: auto; background: #e9ecf1; }
.item figcaption { display: grid; gap: 2px; padding: 6px 8px; font-size: 12px; }
.item figcaption strong { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.item figcaption span { color: var(--muted); }
.no-image { fill: #e9ecf1; } .no-image-text { fill: #8a93a3; }
@media (max-width: 820px) { .two { grid-template-columns: minmax(0, 1fr); } }
@media print {
  @page { margin: 14mm; }
  body { background: #fff; font-size: 11px; }
  main { max-width: none; padding: 0; gap: 10px; }
  .card, .stat { border-color: #c9ced8; break-inside: avoid; page-break-inside: avoid; }
  .card { padding: 10px 12px; }
  #false-positives, #missed, #confusion { break-inside: auto; page-break-inside: auto; }
  .item, tr { break-inside: avoid; page-break-inside: avoid; }
  .gallery { grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 8px; }
  .scroll { overflow: visible; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
