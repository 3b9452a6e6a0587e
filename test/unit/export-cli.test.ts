// predlens export --table on ea-mini, Encord Active's worked example: every table has the README's columns, the
// matches table has one row per prediction plus one per missed label (tp + fp + fn of `eval --json`) with EA's own
// outcomes and reasons (reference.json, made by EA v0.1.40), and the numbers equal eval's. CSV is read back with
// Python's csv module, the reference RFC 4180 reader here.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { command as exportCommand } from '../../src/cli/commands/export.ts';
import { command as evalCommand } from '../../src/cli/commands/eval.ts';
import { TABLE_SPECS, parseCsv } from '../../src/core/export/index.ts';
import { fixture, REPO_ROOT } from '../fixtures.ts';
import { reference } from './active-ea-mini.ts';
import { stdoutOf } from './cli-stdout.ts';

const EA_MINI = fixture('ea-mini');
const PKL = fixture('ea-mini', 'predictions.pkl');

const exported = (...args: string[]) =>
  stdoutOf((a) => exportCommand.run(a), [EA_MINI, PKL, '--format', 'pkl', ...args]);
const evaluated = async (...args: string[]) =>
  JSON.parse(await stdoutOf((a) => evalCommand.run(a), [EA_MINI, PKL, '--format', 'pkl', '--json', ...args]));
const names = (spec: { columns: readonly { name: string }[] }) => spec.columns.map((c) => c.name);

/** Python's csv.reader over the text: header and rows. */
function pythonCsv(text: string): string[][] {
  const out = execFileSync(
    '/usr/bin/python3',
    ['-c', 'import csv, io, json, sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline="")))))'],
    { input: text },
  );
  return JSON.parse(out.toString());
}

describe('predlens export --table matches', () => {
  for (const result of reference.results.filter((r) => !r.extra_probe || r.iou_threshold === 0.94)) {
    const settings = [
      '--iou',
      String(result.iou_threshold),
      ...(result.ignore_frames_without_predictions ? ['--ignore-frames-without-predictions'] : []),
    ];
    it(`has EA's outcomes and reasons, one row per prediction and missed label (IoU ${result.iou_threshold}${result.ignore_frames_without_predictions ? ', frames ignored' : ''})`, async () => {
      const csv = await exported('--table', 'matches', '--csv', ...settings);
      const [header, ...rows] = pythonCsv(csv);
      expect(header).toEqual(names(TABLE_SPECS.matches));
      const counts = await evaluated(...settings);
      expect(rows.length).toBe(counts.tp + counts.fp + counts.fn);
      const col = (name: string) => header.indexOf(name);
      const predictionRows = rows.filter((r) => r[col('outcome')] !== 'FN');
      expect(predictionRows.length).toBe(reference.predictions.length);
      predictionRows.forEach((row, pidx) => {
        const want = result.predictions[pidx];
        expect(row[col('outcome')]).toBe(want.is_true_positive ? 'TP' : 'FP');
        expect(row[col('reason')]).toBe(want.false_positive_reason);
        expect(Number(row[col('iou')])).toBeCloseTo(want.iou, 12);
        expect(Number(row[col('predictionIndex')])).toBe(reference.predictions[pidx].input_index_in_pkl);
      });
      const missed = rows.filter((r) => r[col('outcome')] === 'FN');
      expect(missed.length).toBe(counts.fn);
      expect(rows.filter((r) => r[col('outcome')] === 'TP').length).toBe(counts.tp);
    });
  }

  it('CSV and JSON carry the same rows', async () => {
    const csv = parseCsv(await exported('--table', 'matches', '--csv'));
    const json = JSON.parse(await exported('--table', 'matches', '--json')) as Record<string, unknown>[];
    expect(json.length).toBe(csv.rows.length);
    json.forEach((o, i) => {
      expect(Object.keys(o)).toEqual(csv.columns);
      csv.columns.forEach((c, j) => expect(o[c] === null ? '' : String(o[c])).toBe(csv.rows[i][j]));
    });
  });
});

describe('TIDE on the matches table and the label-error subset', () => {
  // tidecv 1.0.1's own answer for ea-mini's predictions on the project's COCO translation (test/fixtures/tide).
  const tidecv = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/tide/project_ea_mini.json'), 'utf8')) as {
    detections: { error: string | null }[];
    groundTruth: { miss: boolean }[];
  };

  it('tideType is tidecv’s type of each prediction, and Miss on the labels tidecv calls missed', async () => {
    const [header, ...rows] = pythonCsv(await exported('--table', 'matches', '--csv'));
    const col = (name: string) => header.indexOf(name);
    for (const row of rows.filter((r) => r[col('outcome')] !== 'FN')) {
      expect(row[col('tideType')]).toBe(tidecv.detections[Number(row[col('predictionIndex')])].error ?? '');
    }
    const misses = rows.filter((r) => r[col('outcome')] === 'FN' && r[col('tideType')] === 'Miss').length;
    expect(misses).toBe(tidecv.groundTruth.filter((g) => g.miss).length);
  });

  it('--subset label-errors: the images of TIDE’s confident background false positives', async () => {
    const paths = await exported('--subset', 'label-errors', '--as', 'paths', '--min-confidence', '0.55');
    const matches = JSON.parse(await exported('--table', 'matches', '--json'));
    const bkg = matches.filter(
      (r: { tideType: string; confidence: number }) => r.tideType === 'Bkg' && r.confidence >= 0.55,
    );
    expect(bkg.length).toBeGreaterThan(0);
    expect(paths.trim().split('\n')).toEqual([...new Set(bkg.map((r: { file: string }) => r.file))]);
  });
});

describe('predlens export --table per-class, coco-stats, images, bins', () => {
  it('per-class: EA’s AP and AR per class, the same as eval --json', async () => {
    const rows = JSON.parse(await exported('--table', 'per-class', '--json'));
    const want = await evaluated();
    expect(Object.keys(rows[0])).toEqual(names(TABLE_SPECS['per-class (active)']));
    for (const [name, v] of Object.entries(want.perClass as Record<string, { AP: number; AR: number }>)) {
      const row = rows.find((r: { class: string }) => r.class === name);
      expect(row.AP).toBe(v.AP);
      expect(row.AR).toBe(v.AR);
      expect(row.AP).toBe(reference.results[0].per_class[name].AP);
    }
    const sum = (k: string) => rows.reduce((n: number, r: Record<string, number>) => n + r[k], 0);
    expect([sum('tp'), sum('fp'), sum('fn')]).toEqual([want.tp, want.fp, want.fn]);
  });

  it('per-class --mode coco and coco-stats: the numbers of eval --mode coco', async () => {
    const want = await evaluated('--mode', 'coco');
    const stats = pythonCsv(await exported('--table', 'coco-stats', '--csv'));
    expect(stats[0]).toEqual(names(TABLE_SPECS['coco-stats']));
    expect(stats.slice(1).map((r) => Number(r[stats[0].indexOf('value')]))).toEqual(want.stats);
    expect(stats[1].slice(0, 5)).toEqual(['0', 'AP', '0.50:0.95', 'all', '100']);
    const perClass = JSON.parse(await exported('--table', 'per-class', '--mode', 'coco', '--json'));
    expect(Object.keys(perClass[0])).toEqual(names(TABLE_SPECS['per-class (coco)']));
    for (const row of perClass) expect(row.AP).toBe(want.perClass[row.class].AP);
  });

  it('images: one row per image, counts adding up to eval’s', async () => {
    const want = await evaluated();
    const [header, ...rows] = pythonCsv(await exported('--table', 'images', '--csv'));
    expect(header).toEqual(names(TABLE_SPECS.images));
    expect(rows.length).toBe(reference.project.data_hashes.length);
    const sum = (k: string) => rows.reduce((n, r) => n + Number(r[header.indexOf(k)]), 0);
    expect([sum('tp'), sum('fp'), sum('fn')]).toEqual([want.tp, want.fp, want.fn]);
    expect(sum('labels')).toBe(reference.labels.length);
  });

  it('bins: the TPR bins count every prediction once; the FNR bins every label', async () => {
    const rows = JSON.parse(await exported('--table', 'bins', '--json', '--bins', '5'));
    expect(Object.keys(rows[0])).toEqual(names(TABLE_SPECS.bins));
    const average = (chart: string) =>
      rows.filter((r: { chart: string; class: string }) => r.chart === chart && r.class === 'Average');
    expect(average('TPR').reduce((n: number, r: { count: number }) => n + r.count, 0)).toBe(
      reference.predictions.length,
    );
    expect(average('FNR').reduce((n: number, r: { count: number }) => n + r.count, 0)).toBe(reference.labels.length);
    expect(average('TPR')[0].metric).toBe('Object Area - Relative (P)');
  });

  it('refuses a table it does not know, and a missing --csv/--json', async () => {
    await expect(exportCommand.run([EA_MINI, PKL, '--table', 'nope', '--csv'])).rejects.toThrow(/--table must be/);
    await expect(exportCommand.run([EA_MINI, PKL, '--table', 'matches'])).rejects.toThrow(/--csv or --json/);
  });
});
