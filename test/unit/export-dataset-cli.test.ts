// `predlens export` and `predlens report` on dataset folders (COCO, YOLO, Pascal VOC; test/fixtures/datasets), as a
// user runs them: the run written out as COCO results, as predlens NDJSON and inside a COCO subset of every image
// reads back to pycocotools' own numbers on the dataset (references/, pycocotools 2.0.11); a YOLO folder reads back
// onto the same categories; the matches table names images by id and path with one row per prediction and missed
// label; the report's COCO table is pycocotools'.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { command as cocoEvalCommand } from '../../src/cli/commands/coco-eval.ts';
import { command as evalCommand } from '../../src/cli/commands/eval.ts';
import { command as exportCommand } from '../../src/cli/commands/export.ts';
import { command as importCommand } from '../../src/cli/commands/import.ts';
import { command as reportCommand } from '../../src/cli/commands/report.ts';
import { REPO_ROOT } from '../fixtures.ts';
import { stdoutOf } from './cli-stdout.ts';

const DATASETS = resolve(REPO_ROOT, 'test/fixtures/datasets');
const out = await mkdtemp(join(tmpdir(), 'predlens-export-datasets-'));
afterAll(() => rm(out, { recursive: true, force: true }));

interface Case {
  name: string;
  folder: string;
  split?: string;
  reference: string;
  predictions: string;
  iouType: 'bbox' | 'segm';
}

const CASES: Case[] = [
  {
    name: 'COCO (official layout, split val2017), boxes',
    folder: 'coco-official',
    split: 'val2017',
    reference: 'coco-official.val2017',
    predictions: 'coco-official-val2017.bbox.json',
    iouType: 'bbox',
  },
  {
    name: 'COCO (official layout, split val2017), RLE masks',
    folder: 'coco-official',
    split: 'val2017',
    reference: 'coco-official.val2017',
    predictions: 'coco-official-val2017.segm.json',
    iouType: 'segm',
  },
  {
    name: 'YOLO (Ultralytics data.yaml)',
    folder: 'yolo-ultralytics',
    reference: 'yolo-ultralytics',
    predictions: 'yolo-ultralytics.bbox.json',
    iouType: 'bbox',
  },
  { name: 'Pascal VOC', folder: 'voc', reference: 'voc', predictions: 'voc.bbox.json', iouType: 'bbox' },
];

const run = (command: typeof exportCommand, args: string[]) => stdoutOf((a) => command.run(a), args);

for (const c of CASES) {
  const folder = join(DATASETS, c.folder);
  const split = c.split ? ['--split', c.split] : [];
  const predictions = join(DATASETS, 'predictions', c.predictions);
  const reference = JSON.parse(readFileSync(join(DATASETS, 'references', `${c.reference}.json`), 'utf8')).eval.find(
    (e: { iouType: string; predictions: string }) => e.iouType === c.iouType && e.predictions === c.predictions,
  ).stats as number[];
  const cocoStats = async (input: string) =>
    JSON.parse(await run(evalCommand, [folder, input, ...split, '--mode', 'coco', '--iou-type', c.iouType, '--json']))
      .stats as number[];
  const stem = join(out, `${c.folder}-${c.iouType}`);

  describe(`predlens export on a dataset: ${c.name}`, () => {
    it('the run as COCO results and as predlens NDJSON reads back to pycocotools’ numbers', async () => {
      expect(await cocoStats(predictions)).toEqual(reference);
      await run(exportCommand, [folder, predictions, ...split, '--predictions', 'coco', '-o', `${stem}.json`]);
      expect(await cocoStats(`${stem}.json`)).toEqual(reference);
      await run(exportCommand, [folder, predictions, ...split, '--predictions', 'native', '-o', `${stem}.ndjson`]);
      expect(await cocoStats(`${stem}.ndjson`)).toEqual(reference);
    });

    it('a COCO subset of every image, with the predictions, is evaluated by pycocotools as the dataset is', async () => {
      const subset = `${stem}-subset.json`;
      await run(exportCommand, [
        folder,
        predictions,
        ...split,
        '--subset',
        'all',
        '--as',
        'coco',
        '--with-predictions',
        '-o',
        subset,
      ]);
      const args = [subset, subset.replace(/\.json$/, '.predictions.json'), '--iou-type', c.iouType, '--json'];
      expect(JSON.parse(await run(cocoEvalCommand, args)).stats).toEqual(reference);
    });

    it('the matches table: one row per prediction and missed label, images by id and path', async () => {
      const rows = JSON.parse(
        await run(exportCommand, [folder, predictions, ...split, '--table', 'matches', '--json']),
      );
      const counts = JSON.parse(await run(evalCommand, [folder, predictions, ...split, '--json']));
      expect(rows.length).toBe(counts.tp + counts.fp + counts.fn);
      expect(rows.every((r: { dataHash: string; imageId: number; file: string }) => r.dataHash === '')).toBe(true);
      expect(rows.every((r: { imageId: number; file: string }) => Number.isInteger(r.imageId) && r.file)).toBe(true);
    });

    if (c.iouType === 'bbox') {
      it('a YOLO folder of the run reads back onto the same images and categories', async () => {
        const yolo = `${stem}-yolo`;
        await run(exportCommand, [folder, predictions, ...split, '--predictions', 'yolo', '-o', yolo]);
        const read = async (input: string) =>
          JSON.parse(await run(importCommand, [folder, input, ...split, '--json'])) as {
            predictions: { dataHash: string; featureHash: string; confidence: number }[];
            report: { rejected: unknown[] };
          };
        const [given, back] = [await read(predictions), await read(join(yolo, 'labels'))];
        expect(back.report.rejected).toEqual([]);
        const key = (p: { dataHash: string; featureHash: string; confidence: number }) =>
          `${p.dataHash}|${p.featureHash}|${p.confidence}`;
        expect(back.predictions.map(key).sort()).toEqual(given.predictions.map(key).sort());
      });
    }
  });
}

describe('predlens report on a dataset', () => {
  it('its COCO table and embedded numbers are pycocotools’ on the dataset’s own JSON', async () => {
    const c = CASES[0];
    const folder = join(DATASETS, c.folder);
    const reference = JSON.parse(readFileSync(join(DATASETS, 'references', `${c.reference}.json`), 'utf8')).eval[0];
    const file = join(out, 'report.html');
    await reportCommand.run([folder, join(DATASETS, 'predictions', c.predictions), '--split', 'val2017', '-o', file]);
    const html = await readFile(file, 'utf8');
    const numbers = JSON.parse(/<script type="application\/json" id="predlens-report">(.*?)<\/script>/s.exec(html)![1]);
    expect(numbers.coco.stats).toEqual(reference.stats);
    const shown = [...html.matchAll(/<tr data-stat="\d+">.*?<td class="num" data-value="([^"]*)">/g)].map((m) =>
      Number(m[1]),
    );
    expect(shown).toEqual(reference.stats);
  });
});
