// An Encord Active `predictions/` folder for the demo (spec section 1.10), as EA v0.1.40's PredictionWriter leaves
// it after `encord-active import predictions`: predictions.csv (sorted by confidence, with EA's iou column),
// labels.csv, ground_truths_matched.json and class_idx.json. The matching is predlens' EA-exact prepareActive,
// so the folder says what EA would have said about the same predictions. Object predictions only: at v0.1.40
// radio-classification ids collide with object ids (spec 3.4), so EA leaves the options out of class_idx.json.
import type { Prediction, Project } from '../../src/core/model.ts';
import { prepareActive } from '../../src/core/eval/active/index.ts';
import type { Kernels } from '../../src/kernels/wasm.ts';
import { eaRasterizePolygon, eaRleEncode, eaRleToPython } from '../../src/kernels/raster.ts';
import { Rng } from './prng.ts';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** base64 of 6 random bytes: EA's 8-character prediction hash (may hold + and /, never _). */
function predictionHash(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += BASE64[rng.int(0, 63)];
  return s;
}

/** A stable stand-in for EA's img_id (Python's salted hash % 10,000,000): FNV-1a of "<du>_<frame>". */
function imgId(dataHash: string, frame: number): number {
  let h = 0x811c9dc5;
  for (const c of `${dataHash}_${frame}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h % 10_000_000;
}

/** pandas writes floats with repr; NaN as an empty field. */
const num = (v: number) => (Number.isNaN(v) ? '' : Number.isInteger(v) ? `${v}.0` : String(v));
const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function eaPredictionsFolder(
  kernels: Kernels,
  project: Project,
  predictions: readonly Prediction[],
  seed: number,
): Map<string, string> {
  const prepared = prepareActive(kernels, project, predictions, { classSpace: 'objects', confusionPairs: false });
  if (prepared.excluded.length > 0) {
    throw new Error(
      `demo EA folder: ${prepared.excluded.length} predictions excluded, e.g. ${prepared.excluded[0].reason}`,
    );
  }
  const rng = new Rng(seed);
  const metaHash = new Map(
    project.labelRows.flatMap((r) => r.dataUnits.map((du) => [du.dataHash, r.dataHash] as const)),
  );
  const frameKey = (f: number) => {
    const frame = prepared.frames[f];
    const du = project.dataUnits[frame.dataUnitIndex];
    return { du, frame: frame.frame, img: imgId(du.dataHash, frame.frame) };
  };
  const identifier = (f: number, tail: string) => {
    const { du, frame } = frameKey(f);
    return `${du.labelHash}_${du.dataHash}_${String(frame).padStart(5, '0')}_${tail}`;
  };
  const url = (f: number) => {
    const { du, frame } = frameKey(f);
    return `https://app.encord.com/label_editor/${metaHash.get(du.dataHash)}&${project.meta.project_hash}/${frame}`;
  };
  const rle = (points: [number, number][], f: number) => {
    const { du } = frameKey(f);
    return eaRleToPython(eaRleEncode(eaRasterizePolygon(kernels, points, du.width, du.height), du.height, du.width));
  };

  const predRows = [',identifier,url,img_id,class_id,x1,y1,x2,y2,rle,theta,confidence,iou'];
  for (let p = 0; p < prepared.nPredictions; p++) {
    const source = predictions[prepared.predSource[p]];
    const f = prepared.predFrame[p];
    const box = prepared.predBoxPx.subarray(4 * p, 4 * p + 4);
    const mask = source.shape.kind === 'polygon' ? rle(source.shape.points, f) : '';
    predRows.push(
      [
        p,
        identifier(f, predictionHash(rng)),
        url(f),
        frameKey(f).img,
        prepared.classes[prepared.predClass[p]].eaClassId,
        ...Array.from(box, num),
        csvField(mask),
        '',
        num(prepared.confidence[p]),
        num(prepared.iou[p]),
      ].join(','),
    );
  }

  const labelRows = [',identifier,url,img_id,class_id,x1,y1,x2,y2,rle,theta'];
  const matched: Record<string, Record<string, { lidx: number; pidxs: number[] }[]>> = {};
  for (let l = 0; l < prepared.nLabels; l++) {
    const label = prepared.labels[l];
    if (label.kind !== 'object') continue;
    const f = prepared.labelFrame[l];
    const box = prepared.labelBoxPx.subarray(4 * l, 4 * l + 4);
    const geometry = label.object.geometry;
    const mask = geometry.kind === 'polygon' ? rle(geometry.points, f) : '';
    const classId = prepared.classes[prepared.labelClass[l]].eaClassId;
    labelRows.push(
      [
        l,
        identifier(f, label.object.objectHash),
        url(f),
        frameKey(f).img,
        classId,
        ...Array.from(box, num),
        csvField(mask),
        '',
      ].join(','),
    );
    const pidxs = Array.from(
      prepared.labelMatchPidx.subarray(prepared.labelMatchStart[l], prepared.labelMatchStart[l + 1]),
    );
    ((matched[classId] ??= {})[frameKey(f).img] ??= []).push({ lidx: l, pidxs });
  }

  const classIdx: Record<string, { featureHash: string; name: string; color: string }> = {};
  project.ontology.objects.forEach(
    (o, i) => (classIdx[i] = { featureHash: o.featureNodeHash, name: o.name, color: o.color }),
  );

  return new Map([
    ['predictions.csv', predRows.join('\n') + '\n'],
    ['labels.csv', labelRows.join('\n') + '\n'],
    ['ground_truths_matched.json', JSON.stringify(matched)],
    ['class_idx.json', JSON.stringify(classIdx)],
  ]);
}
