// The format registry's contract: every registered module provides detection (with its reason), defaults, the
// class-key mapping, the data-unit preview and reading; the CLI's --format and --help list exactly the registry;
// the mapping step and the import run read the same module.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../fixtures.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { MemoryTree } from '../../src/core/file-tree.ts';
import { detectFormat, importPredictions } from '../../src/core/formats/index.ts';
import { computeMapping } from '../../src/core/formats/mapping.ts';
import { FORMAT_IDS, formatById, formatChoices, PREDICTION_FORMATS } from '../../src/core/formats/registry.ts';
import type { FormatId } from '../../src/core/model.ts';
import {
  CAR,
  CAT,
  COCO_RESULT,
  EA_BOX_ROW,
  EA_CLASS_IDX,
  EA_HEADER,
  eaMini,
  KITTI_FILE,
  KITTI_ROW,
  localFixture,
  maskPng,
  NATIVE_RECORD,
  YOLO_FILE,
  YOLO_ROW,
  type Files,
} from '../malformed/samples.ts';

const kernels = await loadKernels();
const run = promisify(execFile);

/** One valid input of every registered format, and how many predictions it holds. */
const SAMPLES: Record<FormatId, { files: Files; predictions: number; classKeys: string[] }> = {
  pkl: { files: { 'p.pkl': localFixture('pkl/ea_mini_p4.pkl') }, predictions: 6, classKeys: [] },
  'ea-predictions': {
    files: {
      'predictions/predictions.csv': `${EA_HEADER}\n${EA_BOX_ROW}\n`,
      'predictions/class_idx.json': EA_CLASS_IDX,
    },
    predictions: 1,
    classKeys: [],
  },
  kitti: { files: { [KITTI_FILE]: `${KITTI_ROW}\n` }, predictions: 1, classKeys: ['Car'] },
  json: { files: { 'run.ndjson': `${JSON.stringify(NATIVE_RECORD)}\n` }, predictions: 1, classKeys: [] },
  coco: { files: { 'results.json': JSON.stringify([COCO_RESULT]) }, predictions: 1, classKeys: ['1'] },
  masks: { files: { 'street_a.png': maskPng(1) }, predictions: 1, classKeys: ['1'] },
  yolo: { files: { [YOLO_FILE]: `${YOLO_ROW}\n` }, predictions: 1, classKeys: ['0'] },
  writer: { files: { 'run.json': JSON.stringify({ predictions: [NATIVE_RECORD] }) }, predictions: 1, classKeys: [] },
};

describe('the format registry', () => {
  it('holds each format once, with its names, reason, defaults and options', () => {
    expect(new Set(FORMAT_IDS).size).toBe(PREDICTION_FORMATS.length);
    expect(Object.keys(SAMPLES).sort()).toEqual([...FORMAT_IDS].sort());
    for (const f of PREDICTION_FORMATS) {
      for (const text of [f.label, f.short, f.detectReason, f.defaults]) expect(text.length).toBeGreaterThan(3);
      for (const o of f.options) expect(['classMap', 'namePattern', 'keepHoles', 'ignoreValue']).toContain(o);
      for (const fn of [f.detect, f.classKeys, f.preview, f.read]) expect(typeof fn).toBe('function');
      expect(formatById(f.id)).toBe(f);
    }
    expect(formatChoices().map((c) => c.id)).toEqual(FORMAT_IDS);
  });

  describe.each(PREDICTION_FORMATS.map((f) => [f.id, f] as const))('%s', (id, format) => {
    const sample = SAMPLES[id];
    const tree = () => new MemoryTree('chosen', sample.files);

    it('is detected from its files with its own reason (writer output is detected as json)', async () => {
      const detected = await detectFormat(tree());
      expect(detected.format).toBe(id === 'writer' ? 'json' : id);
      if (id !== 'writer') expect(detected.reason).toBe(format.detectReason);
    });

    it('reads its sample; every prediction has its origin; the shared validation keeps them all', async () => {
      const read = await format.read(kernels, eaMini, tree(), {});
      expect(read.predictions).toHaveLength(sample.predictions);
      expect(read.origins).toHaveLength(read.predictions.length);
      for (const o of read.origins) expect(Object.keys(sample.files)).toContain(o.file);
      const imported = await importPredictions(kernels, eaMini, tree(), id);
      expect(imported.report.rejected).toEqual([]);
      expect(imported.predictions).toHaveLength(sample.predictions);
    });

    it('gives the mapping step its class keys (with default targets) and its data-unit preview', async () => {
      const keys = await format.classKeys(eaMini, tree(), {});
      expect(keys.classes.map((r) => r.key)).toEqual(sample.classKeys);
      expect(keys.mapsClasses).toBe(sample.classKeys.length > 0);
      expect(keys.note.length).toBeGreaterThan(3);
      // The default target of every key the sample uses is the class its reader gives the prediction.
      const imported = await importPredictions(kernels, eaMini, tree(), id);
      for (const row of keys.classes) expect(imported.predictions.map((p) => p.featureHash)).toContain(row.target);
      const preview = await format.preview(eaMini, tree(), {});
      expect(preview.note.length).toBeGreaterThan(3);
      if (preview.matchesFiles) expect(preview.matches.every((m) => m.dataHash !== undefined)).toBe(true);
      const mapping = await computeMapping(eaMini, tree(), id);
      expect(mapping).toMatchObject({ format: id, classes: keys.classes, matchesNote: preview.note });
    });
  });

  it('a bad name pattern is reported by the preview, not thrown', async () => {
    const mapping = await computeMapping(eaMini, new MemoryTree('c', SAMPLES.yolo.files), 'yolo', {
      namePattern: '(?<nope>x)',
    });
    expect(mapping.patternError).toMatch(/unknown group\(s\) nope/);
    expect(mapping.matchesNote).toMatch(/Each \.txt file is one image/);
  });

  it('the mapped classes are those of the sample data (Car, Cat)', () => {
    expect([CAR, CAT]).toEqual(eaMini.ontology.objects.map((o) => o.featureNodeHash));
  });
});

describe('the CLI reads the registry', () => {
  const help = async (command: string) =>
    (await run('node', ['bin/predlens.js', command, '--help'], { cwd: REPO_ROOT })).stdout;

  it.each(['import', 'eval'])('%s --help lists exactly the registered formats, in registry order', async (command) => {
    const text = await help(command);
    expect(text).toContain(`[--format ${FORMAT_IDS.join('|')}]`);
    const listed = text
      .slice(text.indexOf('Formats (--format'))
      .split('\n')
      .map((l) => /^ {2}(\S+) {2,}/.exec(l)?.[1])
      .filter((x): x is string => x !== undefined);
    expect(listed).toEqual(FORMAT_IDS);
    for (const f of PREDICTION_FORMATS) expect(text).toContain(f.defaults);
  });

  it('an unknown --format names the registered ones', async () => {
    const failed = await run('node', ['bin/predlens.js', 'import', 'x', 'y', '--format', 'tiff'], {
      cwd: REPO_ROOT,
    }).catch((e: { stderr: string; code: number }) => e);
    expect((failed as { code: number }).code).toBe(2);
    expect((failed as { stderr: string }).stderr).toContain(`--format must be one of ${FORMAT_IDS.join(', ')}`);
  });
});
