import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../fixtures.ts';
import { loadKernels } from '../../src/kernels/node.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { readProject } from '../../src/core/project/read.ts';
import { PredictionRejectedError, PredictionWriter } from '../../src/core/formats/writer.ts';
import { readNativeText, writerReader } from '../../src/core/formats/native.ts';
import { formatProblem } from '../../src/core/formats/format.ts';
import { writeNative } from '../../src/cli/native-file.ts';
import { makeProject, PKL_ONTOLOGY, PKL_UNITS } from './pkl-project.ts';

const kernels = await loadKernels();
const eaMini = await readProject(new NodeTree(fixture('ea-mini')));
const IMG_A = '668c6d1a-0217-4097-b930-8dfc03db62b4';
const CAR = 'XO9aOmE8';
const CAT = 'd9qhuTio';

describe('PredictionWriter.add', () => {
  it('keeps valid predictions and records invalid ones with the call index and reason', () => {
    const w = new PredictionWriter(eaMini);
    const box = { kind: 'box' as const, box: { x: 0.1, y: 0.1, w: 0.3, h: 0.3 } };
    expect(w.add({ dataHash: IMG_A, frame: 0, confidence: 0.9, featureHash: CAR, shape: box })).toBe(true);
    expect(
      w.add({
        dataHash: IMG_A,
        frame: 0,
        confidence: 0.8,
        featureHash: CAR,
        shape: { kind: 'box', box: { x: 0.9, y: 0, w: 0.3, h: 0.1 } },
      }),
    ).toBe(false);
    expect(w.add({ dataHash: 'no-such-hash', frame: 0, confidence: 0.8, featureHash: CAR, shape: box })).toBe(false);
    expect(w.add({ dataHash: IMG_A, frame: 0, confidence: 0.7, featureHash: CAT, shape: box })).toBe(false);
    const { predictions, report } = w.result();
    expect(predictions).toHaveLength(1);
    expect(report.imported).toBe(1);
    expect(report.rejected.map(formatProblem)).toEqual([
      'PredictionWriter, record 1 (0-based): bounding box x+w = 1.2 > 1',
      'PredictionWriter, record 2 (0-based): data hash no-such-hash is not a data unit of the project',
      `PredictionWriter, record 3 (0-based): a box was given for class ${CAT}, which is a polygon`,
    ]);
  });

  it('strict mode throws at the first invalid prediction', () => {
    const w = new PredictionWriter(eaMini, { strict: true });
    expect(() =>
      w.add({
        dataHash: IMG_A,
        frame: 0,
        confidence: Infinity,
        featureHash: CAR,
        shape: { kind: 'box', box: { x: 0, y: 0, w: 0.1, h: 0.1 } },
      }),
    ).toThrowError(
      new PredictionRejectedError({
        file: 'PredictionWriter',
        record: 0,
        code: 'bad_confidence',
        reason: 'confidence Infinity is not a finite number',
      }),
    );
  });

  it('honours frames on videos (EA v0.1.40 reset them to 0)', () => {
    const project = makeProject(PKL_ONTOLOGY, PKL_UNITS);
    const w = new PredictionWriter(project);
    w.addPrediction({
      dataHash: PKL_UNITS[1].dataHash,
      classUid: '64OcrdpD',
      confidence: 0.5,
      bbox: [0, 0, 0.5, 0.5],
      frame: 7,
    });
    w.addPrediction({
      dataHash: PKL_UNITS[1].dataHash,
      classUid: '64OcrdpD',
      confidence: 0.5,
      bbox: [0, 0, 0.5, 0.5],
      frame: 12,
    });
    const { predictions, report } = w.result();
    expect(predictions.map((p) => p.frame)).toEqual([7]);
    expect(report.rejected[0].reason).toBe('frame 12 is beyond the last frame (9) of video unit1.png');
  });
});

describe('PredictionWriter.addPrediction (the older documented call)', () => {
  it('takes class uids through the class map or as featureNodeHashes, boxes as objects or lists, polygons', () => {
    const w = new PredictionWriter(eaMini, { classMap: { car: CAR, cat: CAT } });
    expect(w.addPrediction({ dataHash: IMG_A, classUid: 'car', confidence: 0.9, bbox: [0.1, 0.2, 0.3, 0.4] })).toBe(
      true,
    );
    expect(
      w.addPrediction({
        dataHash: IMG_A,
        classUid: CAR,
        confidenceScore: 0.8,
        bbox: { x: 0.5, y: 0.5, w: 0.1, h: 0.1 },
      }),
    ).toBe(true);
    expect(
      w.addPrediction({
        dataHash: IMG_A,
        classUid: 'cat',
        confidence: 0.7,
        polygon: [
          [0.5, 0.1],
          [0.9, 0.1],
          [0.9, 0.4],
        ],
        trackId: 'a',
      }),
    ).toBe(true);
    expect(w.addPrediction({ dataHash: IMG_A, classUid: 'dog', confidence: 0.7, bbox: [0, 0, 0.1, 0.1] })).toBe(false);
    expect(w.addPrediction({ dataHash: IMG_A, classUid: 'car', confidence: 0.7 })).toBe(false);
    const { predictions, report } = w.result();
    expect(predictions).toEqual([
      {
        dataHash: IMG_A,
        frame: 0,
        confidence: 0.9,
        featureHash: CAR,
        shape: { kind: 'box', box: { x: 0.1, y: 0.2, w: 0.3, h: 0.4 } },
      },
      {
        dataHash: IMG_A,
        frame: 0,
        confidence: 0.8,
        featureHash: CAR,
        shape: { kind: 'box', box: { x: 0.5, y: 0.5, w: 0.1, h: 0.1 } },
      },
      {
        dataHash: IMG_A,
        frame: 0,
        confidence: 0.7,
        featureHash: CAT,
        trackId: 'a',
        shape: {
          kind: 'polygon',
          points: [
            [0.5, 0.1],
            [0.9, 0.1],
            [0.9, 0.4],
          ],
        },
      },
    ]);
    expect(report.rejected.map(formatProblem)).toEqual([
      'PredictionWriter, record 3 (0-based): classUid "dog" is neither a key of the class map nor a featureNodeHash of the ontology',
      'PredictionWriter, record 4 (0-based): give exactly one of bbox and polygon',
    ]);
  });

  it('refuses a class map that points outside the ontology', () => {
    expect(() => new PredictionWriter(eaMini, { classMap: { car: 'Car' } })).toThrowError(
      'PredictionWriter classMap: "car" -> "Car" is not a featureNodeHash of the ontology',
    );
  });
});

describe('saving', () => {
  const w = new PredictionWriter(eaMini);
  w.addPrediction({ dataHash: IMG_A, classUid: CAR, confidence: 0.9, bbox: [0.1, 0.2, 0.3, 0.4] });
  w.addPrediction({
    dataHash: IMG_A,
    classUid: CAT,
    confidence: 0.6,
    polygon: [
      [0.5, 0.1],
      [0.9, 0.1],
      [0.9, 0.4],
    ],
  });

  it('toJson and toNdjson read back as the same predictions', () => {
    const { predictions } = w.result();
    expect(readNativeText(eaMini, w.toJson(), 'w.json').predictions).toEqual(predictions);
    expect(readNativeText(eaMini, w.toNdjson(), 'w.ndjson').predictions).toEqual(predictions);
  });

  it('writeNative (Node) writes a file the "writer" format reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'predlens-writer-'));
    expect(await writeNative(join(dir, 'run.ndjson'), w)).toBe(2);
    expect(readFileSync(join(dir, 'run.ndjson'), 'utf8').trim().split('\n')).toHaveLength(2);
    const result = await writerReader.read(kernels, eaMini, new NodeTree(dir), {});
    expect(result.predictions).toEqual(w.result().predictions);
  });
});
