// data/<label_hash>/label_row.json (spec 1.5, 3.6): data units, their objects per frame and classification answers.
import type {
  ClassificationAnswer,
  DataType,
  DataUnit,
  FrameLabels,
  LabelClassification,
  LabelObject,
  LabelRow,
} from '../model.ts';
import { parseGeometry, shapeFromKeys } from './geometry.ts';
import type { LabelRowMeta } from './meta.ts';
import { classificationName, type OntologyIndex } from './ontology.ts';
import type { ProblemLog } from './problems.ts';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const int = (v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) ? n : NaN;
};

const DATA_TYPES: readonly string[] = ['image', 'img_group', 'video'];

export interface LabelRowContext {
  /** Project-relative path of the label_row.json, for messages. */
  file: string;
  labelHash: string;
  meta?: LabelRowMeta;
  ontology: OntologyIndex;
  log: ProblemLog;
}

/**
 * Reads one parsed label_row.json. Returns undefined when the whole row is skipped (the reason is logged).
 * Data units come back with no image paths; read.ts attaches them from the folder listing.
 */
export function parseLabelRow(raw: unknown, ctx: LabelRowContext): LabelRow | undefined {
  const { file, log } = ctx;
  if (!isRecord(raw) || !isRecord(raw.data_units)) {
    log.add(
      {
        file,
        code: 'bad_label_row',
        reason: 'not a label row: "data_units" must be an object keyed by data hash; skipped',
      },
      'bad_label_row',
    );
    return undefined;
  }
  const dataType = (str(raw.data_type) || str(ctx.meta?.data_type)).toLowerCase();
  if (!DATA_TYPES.includes(dataType)) {
    log.add(
      {
        file,
        record: 'data_type',
        code: 'unsupported_data_type',
        reason: `data_type "${dataType}" is not image, img_group or video; skipped as Encord Active does`,
      },
      'unsupported_data_type',
    );
    return undefined;
  }
  const answers = isRecord(raw.classification_answers) ? raw.classification_answers : {};
  const units: DataUnit[] = [];
  for (const [key, du] of Object.entries(raw.data_units)) {
    if (!isRecord(du)) {
      log.add(
        { file, record: `data_units.${key}`, code: 'bad_data_unit', reason: 'the data unit is not an object; skipped' },
        'bad_data_unit',
      );
      continue;
    }
    units.push(parseDataUnit(du, key, dataType as DataType, answers, ctx));
  }
  units.sort((a, b) => a.sequence - b.sequence);
  const single = units.length === 1 ? units[0].dataHash : '';
  return {
    labelHash: ctx.labelHash,
    dataHash: str(ctx.meta?.data_hash) || single,
    dataTitle: str(raw.data_title) || str(ctx.meta?.data_title),
    dataType: dataType as DataType,
    datasetHash: str(raw.dataset_hash) || str(ctx.meta?.dataset_hash) || undefined,
    labelStatus: str(raw.label_status) || str(ctx.meta?.label_status) || undefined,
    dataUnits: units,
  };
}

function parseDataUnit(du: Json, key: string, dataType: DataType, answers: Json, ctx: LabelRowContext): DataUnit {
  const { file, log } = ctx;
  const dataHash = str(du.data_hash) || key;
  const record = `data_units.${key}`;
  const sequenceRaw = int(du.data_sequence ?? 0);
  const sequence = Number.isNaN(sequenceRaw) || sequenceRaw < 0 ? 0 : sequenceRaw;
  if (sequence !== sequenceRaw) {
    ctx.log.add({
      file,
      record: `${record}.data_sequence`,
      code: 'bad_sequence',
      reason: `data_sequence ${JSON.stringify(du.data_sequence)} is not a whole number >= 0; read as 0`,
    });
  }
  // A size must be a whole pixel count: 1e999 parses to Infinity, and a 1e12-pixel side is not an image.
  const usable = (v: number) => Number.isSafeInteger(v) && v > 0 && v <= 1_000_000;
  const width = usable(Number(du.width)) ? Number(du.width) : 0;
  const height = usable(Number(du.height)) ? Number(du.height) : 0;
  if (!(width > 0 && height > 0)) {
    log.add({
      file,
      record,
      code: 'missing_size',
      reason: `width/height missing or not a positive whole number of pixels (${String(du.width)}x${String(du.height)}); the image decides`,
    });
  }
  const frames: FrameLabels[] = [];
  if (du.labels !== undefined && !isRecord(du.labels)) {
    log.add({
      file,
      record: `${record}.labels`,
      code: 'bad_labels',
      reason: `labels must be an object, not ${Array.isArray(du.labels) ? 'a list' : JSON.stringify(du.labels)}; the unit has no labels`,
    });
  }
  const labels = isRecord(du.labels) ? du.labels : {};
  if (dataType === 'video') {
    for (const [frameKey, frameLabels] of Object.entries(labels)) {
      const frame = int(frameKey);
      if (Number.isNaN(frame) || frame < 0 || !isRecord(frameLabels)) {
        log.add(
          {
            file,
            record: `${record}.labels.${frameKey}`,
            code: 'bad_frame',
            reason: 'video labels must be keyed by frame number; skipped',
          },
          'bad_frame',
        );
        continue;
      }
      frames.push(parseFrame(frameLabels, frame, `${record}.labels.${frameKey}`, answers, ctx));
    }
    frames.sort((a, b) => a.frame - b.frame);
  } else {
    frames.push(parseFrame(labels, sequence, `${record}.labels`, answers, ctx));
  }
  const fps = Number(du.data_fps);
  return {
    dataHash,
    labelHash: ctx.labelHash,
    title: str(du.data_title),
    dataType,
    mime: str(du.data_type),
    width: width > 0 ? width : 0,
    height: height > 0 ? height : 0,
    sequence,
    ...(dataType === 'video' && Number.isFinite(fps) && fps > 0 ? { fps } : {}),
    frames,
    images: {},
    frameNumbers: frames.map((f) => f.frame),
  };
}

function parseFrame(labels: Json, frame: number, where: string, answers: Json, ctx: LabelRowContext): FrameLabels {
  const objects: LabelObject[] = [];
  for (const key of ['objects', 'classifications']) {
    if (labels[key] !== undefined && !Array.isArray(labels[key])) {
      ctx.log.add({
        file: ctx.file,
        record: `${where}.${key}`,
        code: 'bad_labels',
        reason: `${key} must be a list, not ${JSON.stringify(labels[key])}; ignored`,
      });
    }
  }
  const rawObjects = Array.isArray(labels.objects) ? labels.objects : [];
  rawObjects.forEach((o, i) => {
    const object = parseObject(o, `${where}.objects[${i}]`, ctx);
    if (object) objects.push(object);
  });
  const classifications: LabelClassification[] = [];
  const rawClassifications = Array.isArray(labels.classifications) ? labels.classifications : [];
  rawClassifications.forEach((c, i) => {
    const classification = parseClassification(c, `${where}.classifications[${i}]`, answers, ctx);
    if (classification) classifications.push(classification);
  });
  return { frame, objects, classifications };
}

function parseObject(o: unknown, record: string, ctx: LabelRowContext): LabelObject | undefined {
  const { file, log } = ctx;
  if (!isRecord(o)) {
    log.add({ file, record, code: 'bad_geometry', reason: 'the object is not a JSON object; skipped' }, 'bad_geometry');
    return undefined;
  }
  const objectHash = str(o.objectHash);
  const featureHash = str(o.featureHash);
  if (!objectHash) {
    log.add(
      { file, record, code: 'missing_object_hash', reason: 'object without objectHash; skipped as Encord Active does' },
      'missing_object_hash',
    );
    return undefined;
  }
  const feature = ctx.ontology.objects.get(featureHash);
  if (!feature) {
    log.add(
      {
        file,
        record,
        code: 'unknown_feature_hash',
        reason: `featureHash "${featureHash}" (object ${objectHash}) is not an object in ontology.json; skipped`,
      },
      'unknown_feature_hash',
    );
    return undefined;
  }
  const shape = str(o.shape) || feature.shape || shapeFromKeys(o) || '';
  const parsed = parseGeometry(o, shape);
  if ('error' in parsed) {
    log.add({ file, record, code: parsed.code, reason: `object ${objectHash}: ${parsed.error}; skipped` }, parsed.code);
    return undefined;
  }
  const confidence = typeof o.confidence === 'number' ? o.confidence : undefined;
  return {
    objectHash,
    featureHash,
    name: str(o.name) || feature.name,
    color: str(o.color) || feature.color,
    shape,
    geometry: parsed.geometry,
    ...(typeof o.createdBy === 'string' ? { createdBy: o.createdBy } : {}),
    ...(typeof o.lastEditedBy === 'string' ? { lastEditedBy: o.lastEditedBy } : {}),
    ...(confidence !== undefined ? { confidence } : {}),
  };
}

function parseClassification(
  c: unknown,
  record: string,
  answers: Json,
  ctx: LabelRowContext,
): LabelClassification | undefined {
  const { file, log } = ctx;
  if (!isRecord(c) || !str(c.classificationHash)) {
    log.add(
      { file, record, code: 'bad_classification', reason: 'classification without classificationHash; skipped' },
      'bad_classification',
    );
    return undefined;
  }
  const classificationHash = str(c.classificationHash);
  const featureHash = str(c.featureHash);
  const feature = ctx.ontology.classifications.get(featureHash);
  if (!feature) {
    log.add(
      {
        file,
        record,
        code: 'unknown_feature_hash',
        reason: `featureHash "${featureHash}" (classification ${classificationHash}) is not a classification in ontology.json; skipped`,
      },
      'unknown_feature_hash',
    );
    return undefined;
  }
  const entry = answers[classificationHash];
  const parsed: ClassificationAnswer[] = [];
  if (!isRecord(entry) || !Array.isArray(entry.classifications)) {
    log.add({
      file,
      record: `classification_answers.${classificationHash}`,
      code: 'missing_answer',
      reason: 'the classification has no answer entry',
    });
  } else {
    entry.classifications.forEach((a, i) => {
      const answer = parseAnswer(a, ctx);
      if (answer) parsed.push(answer);
      else {
        log.add(
          {
            file,
            record: `classification_answers.${classificationHash}.classifications[${i}]`,
            code: 'bad_answer',
            reason: 'answer is not radio/checklist options or text; skipped',
          },
          'bad_answer',
        );
      }
    });
  }
  return { classificationHash, featureHash, name: str(c.name) || classificationName(feature), answers: parsed };
}

function parseAnswer(a: unknown, ctx: LabelRowContext): ClassificationAnswer | undefined {
  if (!isRecord(a)) return undefined;
  const attributeHash = str(a.featureHash);
  const attributeName = str(a.name) || ctx.ontology.attributes.get(attributeHash)?.name || '';
  if (typeof a.answers === 'string') return { attributeHash, attributeName, options: [], text: a.answers };
  if (!Array.isArray(a.answers)) return undefined;
  const options = a.answers.filter(isRecord).map((o) => {
    const featureHash = str(o.featureHash);
    const known = ctx.ontology.options.get(featureHash);
    return { featureHash, name: str(o.name) || known?.label || '', value: str(o.value) || known?.value || '' };
  });
  return { attributeHash, attributeName, options };
}
