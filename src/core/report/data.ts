// What a report holds, as plain data: the page (its evaluation worker) and the CLI fill it with the same functions
// (activeReportPart here, cocoReportPart), the host adds the thumbnails' pixels, and html.ts turns it into one file.
// Coordinates of shapes are image pixels.
import type { ActivePrepared, ActiveScore } from '../eval/active/types.ts';
import { detectionConfusion } from '../eval/confusion.ts';
import { activeClassRows, type ActiveClassRow, type CocoClassRow, type CocoStatRow } from '../export/scores.ts';
import { outcomeCounts } from '../export/match-input.ts';
import type { ReportCompare } from './compare.ts';

export interface ReportCurve {
  name: string;
  color: string;
  /** Interpolated precision at recall 0, 0.01, ..., 1 (101 values). */
  precision: number[];
}

export type ShapeRole = 'label' | 'fp' | 'missed' | 'prediction';

export type ReportShape =
  | { kind: 'box'; role: ShapeRole; color: string; x: number; y: number; w: number; h: number }
  | { kind: 'polygon'; role: ShapeRole; color: string; points: [number, number][] };

export interface CropRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** One false positive or missed label, as a card: the crop of its image around it, with the shapes drawn over. */
export interface ReportItem {
  /** The image's path in the opened folder ('' when it has none: the card says so). */
  file: string;
  title: string;
  lines: string[];
  /** The image's size in pixels. */
  width: number;
  height: number;
  /** The part of the image the card shows. */
  crop: CropRect;
  /** The thumbnail's size in pixels (the crop scaled down to fit THUMBNAIL_SIZE). */
  thumbWidth: number;
  thumbHeight: number;
  shapes: ReportShape[];
  /** The crop as a data: URI, added by the host (a canvas in the page, the decoders and a JPEG encoder in Node). */
  thumbnail?: string;
}

export interface ReportConfusion {
  /** Class names in matrix order, then "Background". */
  labels: string[];
  /** counts[truth][predicted]. */
  counts: number[][];
  iouThreshold: number;
}

export interface ReportCoco {
  iouType: string;
  stats: CocoStatRow[];
  perClass: CocoClassRow[];
}

/** The failure analysis (TIDE), when it ran: each error type's dAP in AP points. */
export interface ReportTide {
  main: Record<string, number>;
  special: Record<string, number>;
}

export interface ActiveReportPart {
  settings: { iouThreshold: number; ignoreFramesWithoutPredictions: boolean };
  counts: { images: number; labels: number; predictions: number };
  headline: { mAP: number; mAR: number; tp: number; fp: number; fn: number };
  perClass: (ActiveClassRow & { color: string })[];
  pr: ReportCurve[];
  confusion?: ReportConfusion;
  falsePositives: ReportItem[];
  missed: ReportItem[];
  notes: string[];
}

export interface ReportData extends ActiveReportPart {
  projectTitle: string;
  runName: string;
  /** ISO 8601. */
  generatedAt: string;
  version: string;
  coco?: ReportCoco;
  tide?: ReportTide;
  /** With a second run: the A/B section (compare.ts). */
  compare?: ReportCompare;
}

const FALLBACK = ['#5658dd', '#e27300', '#16a394', '#c8283f', '#8e44ad', '#2e86de', '#a86600', '#4b5563'];

/** The ontology colour of a class, or a distinct fallback. */
export function reportColour(color: string | undefined, index: number): string {
  return color && /^#[0-9a-f]{6}$/i.test(color.trim()) ? color.trim() : FALLBACK[index % FALLBACK.length];
}

/** The headline, per-class table, PR curves and confusion matrix of an EA-style evaluation (items added apart). */
export function activeSummaryPart(
  prepared: ActivePrepared,
  score: ActiveScore,
): Omit<ActiveReportPart, 'falsePositives' | 'missed'> {
  const counts = outcomeCounts(score);
  const colour = (i: number) => reportColour(prepared.classes[i]?.color, i);
  const evaluated = score.perClass.filter((c) => c.evaluated);
  const hasObjects = prepared.classes.some((c) => c.space === 'object');
  let confusion: ReportConfusion | undefined;
  if (hasObjects) {
    const m = detectionConfusion(prepared, {
      iouThreshold: score.iouThreshold,
      confidenceThreshold: 0,
      ignoreFramesWithoutPredictions: score.ignoreFramesWithoutPredictions,
    });
    confusion = {
      labels: [...m.classes.map((c) => c.name), 'Background'],
      counts: Array.from({ length: m.size }, (_, t) => Array.from(m.counts.subarray(t * m.size, (t + 1) * m.size))),
      iouThreshold: score.iouThreshold,
    };
  }
  let labels = 0;
  for (let l = 0; l < score.labelCounted.length; l++) labels += score.labelCounted[l];
  return {
    settings: {
      iouThreshold: score.iouThreshold,
      ignoreFramesWithoutPredictions: score.ignoreFramesWithoutPredictions,
    },
    counts: { images: prepared.frames.length, labels, predictions: prepared.nPredictions },
    headline: { mAP: score.mAP, mAR: score.mAR, ...counts },
    perClass: activeClassRows(score.perClass).map((c) => ({ ...c, color: colour(c.index) })),
    pr: evaluated.flatMap((c) => {
      const curve = score.pr[c.index];
      return curve ? [{ name: c.name, color: colour(c.index), precision: Array.from(curve) }] : [];
    }),
    confusion,
    notes: [...prepared.notes],
  };
}

/** The numbers the report carries in its embedded JSON, in `predlens eval --json`'s names. */
export function reportNumbers(data: ReportData) {
  const perClass: Record<string, { AP: number | null; AR: number | null }> = {};
  for (const c of data.perClass) {
    if (!c.evaluated) continue;
    let key = c.name;
    for (let n = 2; key in perClass; n++) key = `${c.name} (${n})`;
    perClass[key] = { AP: finite(c.AP), AR: finite(c.AR) };
  }
  return {
    mode: 'active',
    iouThreshold: data.settings.iouThreshold,
    ignoreFramesWithoutPredictions: data.settings.ignoreFramesWithoutPredictions,
    mAP: finite(data.headline.mAP),
    mAR: finite(data.headline.mAR),
    tp: data.headline.tp,
    fp: data.headline.fp,
    fn: data.headline.fn,
    perClass,
    ...(data.coco ? { coco: { iouType: data.coco.iouType, stats: data.coco.stats.map((s) => s.value) } } : {}),
    ...(data.tide ? { tide: data.tide } : {}),
    // NaN (an undefined statistic) becomes null, as in `predlens compare --json`.
    ...(data.compare ? { compare: data.compare } : {}),
  };
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);
