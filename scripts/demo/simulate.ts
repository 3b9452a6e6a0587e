// A simulated model run over the demo's ground truth: what a plausible, imperfect detector would output.
// Deterministic (seeded from the scene). Every demo prediction file (scripts/demo/predictions.ts) is this one
// output written in a different format, so the same model can be imported through every reader.
//
// The model is worse where a real one would be:
//   - difficulty grows for small objects, dusk and night frames, and blurred frames;
//   - difficult objects are missed more often, their boxes and outlines jitter more, their confidences are lower;
//   - a few detections take a neighbouring class (Car <-> Pedestrian, Dog <-> Road sign: same ontology shape);
//   - some objects are detected twice (a lower-scored duplicate) and some frames get false positives;
//   - the time-of-day classifier is surest by day and confuses dusk most.
import type { DemoClass, DemoFrame, DemoLabel, DemoLabelRow, DemoScene, DemoUnit, TimeOfDay } from './scene.ts';
import { Rng } from './prng.ts';

export type SimShape =
  | { kind: 'box'; box: { x: number; y: number; w: number; h: number } }
  | { kind: 'polygon'; points: [number, number][] };

export interface SimDetection {
  row: DemoLabelRow;
  unit: DemoUnit;
  frame: number;
  cls: DemoClass;
  confidence: number;
  shape: SimShape;
  /** Why the model output it: a hit (possibly with the wrong class), a duplicate, or nothing there at all. */
  origin: 'hit' | 'confused' | 'duplicate' | 'false_positive';
  /** The label it came from (hits, confusions, duplicates). */
  label?: DemoLabel;
  trackId?: string;
}

export interface SimClassification {
  row: DemoLabelRow;
  unit: DemoUnit;
  frame: number;
  value: TimeOfDay;
  optionHash: string;
  confidence: number;
}

export interface SimulatedModel {
  detections: SimDetection[];
  classifications: SimClassification[];
  missed: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
/** Scores carry 4 decimals, like most exporters print them. */
const score = (v: number) => Math.round(clamp(v, 0.01, 0.99) * 10000) / 10000;

function gaussian(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

function labelBox(label: DemoLabel): { x: number; y: number; w: number; h: number } {
  if (label.box) return label.box;
  const xs = label.polygon!.map((p) => p[0]);
  const ys = label.polygon!.map((p) => p[1]);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y };
}

/** 0 (easy) .. ~1 (hard). */
function difficulty(label: DemoLabel, frame: DemoFrame): number {
  const { w, h } = labelBox(label);
  const area = w * h;
  let d = area < 0.003 ? 0.4 : area < 0.012 ? 0.2 : area < 0.04 ? 0.08 : 0;
  d += frame.look.timeOfDay === 'night' ? 0.3 : frame.look.timeOfDay === 'dusk' ? 0.12 : 0;
  d += frame.look.blur > 0 ? 0.12 + 0.05 * frame.look.blur : 0;
  return clamp(d, 0, 1);
}

function jitterBox(box: { x: number; y: number; w: number; h: number }, sigma: number, rng: Rng) {
  const w = clamp(box.w * Math.exp(gaussian(rng) * sigma), 0.002, 1);
  const h = clamp(box.h * Math.exp(gaussian(rng) * sigma), 0.002, 1);
  const cx = box.x + box.w / 2 + gaussian(rng) * sigma * box.w * 0.6;
  const cy = box.y + box.h / 2 + gaussian(rng) * sigma * box.h * 0.6;
  const x = clamp(cx - w / 2, 0, 1 - 0.002);
  const y = clamp(cy - h / 2, 0, 1 - 0.002);
  return { x, y, w: Math.min(w, 1 - x), h: Math.min(h, 1 - y) };
}

function jitterPolygon(points: [number, number][], sigma: number, rng: Rng): [number, number][] {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const size = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
  const dx = gaussian(rng) * sigma * size * 0.5;
  const dy = gaussian(rng) * sigma * size * 0.5;
  return points.map(([x, y]) => [
    clamp(x + dx + gaussian(rng) * sigma * size * 0.15, 0, 1),
    clamp(y + dy + gaussian(rng) * sigma * size * 0.15, 0, 1),
  ]);
}

/** A blob where nothing is: an irregular 8-gon below the horizon. */
function randomPolygon(rng: Rng): [number, number][] {
  const cx = rng.range(0.1, 0.9);
  const cy = rng.range(0.55, 0.9);
  const r = rng.range(0.02, 0.07);
  return Array.from({ length: 8 }, (_, i) => {
    const a = (i / 8) * 2 * Math.PI;
    const k = rng.range(0.7, 1.2);
    return [clamp(cx + Math.cos(a) * r * k, 0, 1), clamp(cy + Math.sin(a) * r * k * 1.3, 0, 1)] as [number, number];
  });
}

const CONFUSED_WITH: Record<string, string> = {
  Car: 'Pedestrian',
  Pedestrian: 'Car',
  Dog: 'Road sign',
  'Road sign': 'Dog',
};
const TIME_ACCURACY: Record<TimeOfDay, number> = { day: 0.92, dusk: 0.6, night: 0.82 };

export function simulateModel(scene: DemoScene, seed = scene.seed ^ 0x5eed): SimulatedModel {
  const rng = new Rng(seed);
  const byName = new Map(scene.classes.map((c) => [c.name as string, c]));
  const detections: SimDetection[] = [];
  const classifications: SimClassification[] = [];
  let missed = 0;

  for (const row of scene.labelRows) {
    for (const unit of row.units) {
      for (const frame of unit.frames) {
        const at = { row, unit, frame: frame.frame };
        for (const label of frame.labels) {
          const d = difficulty(label, frame);
          if (rng.chance(clamp(0.04 + 0.75 * d ** 1.4, 0, 0.9))) {
            missed++;
            continue;
          }
          const confused = rng.chance(0.04 + 0.12 * d);
          const cls = byName.get(confused ? CONFUSED_WITH[label.className] : label.className)!;
          const sigma = 0.04 + 0.18 * d;
          const confidence = score(0.97 - 0.55 * d - (confused ? 0.2 : 0) + gaussian(rng) * 0.07);
          const trackId = row.dataType === 'video' ? label.objectHash : undefined;
          const shapeOf = (s: number): SimShape =>
            label.polygon
              ? { kind: 'polygon', points: jitterPolygon(label.polygon, s, rng) }
              : { kind: 'box', box: jitterBox(label.box!, s, rng) };
          detections.push({
            ...at,
            cls,
            confidence,
            shape: shapeOf(sigma),
            origin: confused ? 'confused' : 'hit',
            label,
            trackId,
          });
          if (rng.chance(0.06)) {
            const dup = score(confidence * rng.range(0.3, 0.7));
            detections.push({
              ...at,
              cls,
              confidence: dup,
              shape: shapeOf(sigma * 2.5),
              origin: 'duplicate',
              label,
              trackId,
            });
          }
        }
        const falsePositives = (rng.chance(0.35) ? 1 : 0) + (rng.chance(0.1) ? 1 : 0);
        for (let i = 0; i < falsePositives; i++) {
          const cls = rng.pick(scene.classes);
          const confidence = score(rng.range(0.05, 0.5));
          const shape: SimShape =
            cls.shape === 'polygon'
              ? { kind: 'polygon', points: randomPolygon(rng) }
              : {
                  kind: 'box',
                  box: jitterBox(
                    {
                      x: rng.range(0, 0.85),
                      y: rng.range(0.4, 0.8),
                      w: rng.range(0.03, 0.15),
                      h: rng.range(0.04, 0.2),
                    },
                    0,
                    rng,
                  ),
                };
          detections.push({ ...at, cls, confidence, shape, origin: 'false_positive' });
        }
        const truth = frame.look.timeOfDay;
        const right = rng.chance(TIME_ACCURACY[truth]);
        const others = scene.timeOfDay.options.filter((o) => o.value !== truth);
        const option = right ? scene.timeOfDay.options.find((o) => o.value === truth)! : rng.pick(others);
        classifications.push({
          ...at,
          value: option.value,
          optionHash: option.featureNodeHash,
          confidence: score(right ? rng.range(0.6, 0.98) : rng.range(0.35, 0.7)),
        });
      }
    }
  }
  return { detections, classifications, missed };
}
