// A project sent from a worker to the page in parts. One structured clone of a whole project (a COCO val2017-sized
// dataset: 5,000 images, 36,800 polygons, its ground-truth JSON) is one long task on the receiving thread, which
// blocks the page for hundreds of milliseconds; parts of bounded size are received one message, one short task,
// at a time. The head holds everything small; parts hold label rows (with their data units), in order.
//
// A dataset's labels are not sent as objects at all: its parts carry the COCO annotation records in file order,
// with each polygon's coordinates packed in one Float64Array (a typed array clones as one copy, where a JS array
// clones number by number), and the page rebuilds the records and their label objects with the builder the reader
// used (datasets/build.ts datasetLabel), so the project that comes out is the same.
import type { CocoDatasetJson, DataUnit, LabelRow, OntologyObject, Project } from '../model.ts';
import { datasetLabel, labelPlacesOf, type LabelPlaces } from '../datasets/build.ts';
import { labelGeometry } from '../datasets/segmentation.ts';
import { attachPackedPolygons, drawnPolygons, packedPolygons } from '../datasets/packed-polygons.ts';

type Images = CocoDatasetJson['images'];
type Annotations = CocoDatasetJson['annotations'];

/** The project without its label rows, data units and COCO images and annotations. */
export interface ProjectHead extends Omit<Project, 'labelRows' | 'dataUnits' | 'byDataHash' | 'dataset'> {
  dataset?: Omit<NonNullable<Project['dataset']>, 'coco'> & { categories: CocoDatasetJson['categories'] };
}

/** A slice of a dataset's annotations (file order) and, for each, where its label goes. */
export interface PackedAnnotations {
  /** The records; a polygon record's `segmentation` is rebuilt from `coords`. */
  records: Annotations;
  /** Per record: the index of its data unit in the project, or -1 when it is not a label. */
  unit: Int32Array;
  objectHash: string[];
  /** Per record: 1 difficult, 0 not, 2 no flag (not a VOC dataset). */
  difficult: Uint8Array;
  /** Per record: how many polygon parts were packed (0: the segmentation stayed in the record). */
  polygonParts: Int32Array;
  /** Per packed polygon part: its number of coordinates. */
  partLengths: Int32Array;
  coords: Float64Array;
}

export interface ProjectPart {
  labelRows: LabelRow[];
  images: Images;
  annotations?: PackedAnnotations;
}

/** How much goes into one part, in "cloned values" (an object, an array or a number counts about one each). */
export const PART_BUDGET = 12_000;

function rowWeight(row: LabelRow): number {
  let w = 4;
  for (const unit of row.dataUnits) {
    w += 12;
    for (const frame of unit.frames) {
      for (const o of frame.objects) {
        const g = o.geometry;
        w += 10 + 3 * (('points' in g ? g.points.length : 0) + ('parts' in g && g.parts ? g.parts.flat().length : 0));
      }
    }
  }
  return w;
}

/** Cloning a record costs its fields; building its label costs about a value per vertex (the packed numbers are free). */
function annotationWeight(a: Annotations[number]): number {
  const packed = packedPolygons(a);
  if (packed) return 16 + (packed.cuts[packed.cuts.length - 1] - packed.cuts[0]) / 2;
  const seg = a.segmentation;
  if (isPolygons(seg)) return 16 + seg.reduce((n, p) => n + p.length, 0) / 2;
  if (seg && typeof seg === 'object' && Array.isArray((seg as { counts?: unknown }).counts)) {
    return 16 + (seg as { counts: unknown[] }).counts.length;
  }
  return 16;
}

const isPolygons = (seg: unknown): seg is number[][] =>
  Array.isArray(seg) && seg.length > 0 && seg.every((p) => Array.isArray(p) && p.every((v) => typeof v === 'number'));

/** Cuts `items` into runs whose weights stay within the budget (at least one item a run). */
function runs<T>(items: readonly T[], weight: (item: T) => number, budget: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  let sum = 0;
  for (let i = 0; i < items.length; i++) {
    const w = weight(items[i]);
    if (i > start && sum + w > budget) {
      out.push([start, i]);
      start = i;
      sum = 0;
    }
    sum += w;
  }
  if (start < items.length) out.push([start, items.length]);
  return out;
}

/** A unit as its row part carries it for a dataset: without its labels (they come with the annotations). */
function withoutLabels(row: LabelRow): LabelRow {
  const dataUnits = row.dataUnits.map((u) => ({ ...u, frames: u.frames.map((f) => ({ ...f, objects: [] })) }));
  return { ...row, dataUnits };
}

/** Where each annotation record's label is: as the builder recorded it, else found by each label's bbox array. */
function labelPlaces(project: Project): LabelPlaces {
  const built = labelPlacesOf(project);
  if (built) return built;
  const coco = project.dataset!.coco;
  const n = coco.annotations.length;
  const unit = new Int32Array(n).fill(-1);
  const objectHash: string[] = new Array(n).fill('');
  const difficult = new Uint8Array(n).fill(2);
  // A label keeps its record's bbox array itself, which finds the record without an index of its own.
  const byBbox = new Map<unknown, number>();
  coco.annotations.forEach((a, i) => byBbox.set(a.bbox, i));
  project.dataUnits.forEach((u, ui) => {
    for (const o of u.frames[0]?.objects ?? []) {
      const i = byBbox.get(o.dataset?.bbox);
      if (i === undefined) continue;
      unit[i] = ui;
      objectHash[i] = o.objectHash;
      if (o.dataset?.difficult !== undefined) difficult[i] = o.dataset.difficult ? 1 : 0;
    }
  });
  return { unit, objectHash, difficult };
}

function packAnnotations(records: Annotations, from: number, places: LabelPlaces): PackedAnnotations {
  const polygonParts = new Int32Array(records.length);
  const partLengths: number[] = [];
  let total = 0;
  for (const r of records) {
    const packed = packedPolygons(r);
    if (packed) total += packed.cuts[packed.cuts.length - 1] - packed.cuts[0];
    else if (isPolygons(r.segmentation)) for (const p of r.segmentation) total += p.length;
  }
  const coords = new Float64Array(total);
  let at = 0;
  const out = records.map((r, i) => {
    const packed = packedPolygons(r);
    if (packed) {
      // Already packed (a record the page received before): copied number block by block, never built.
      const { cuts } = packed;
      polygonParts[i] = cuts.length / 2;
      for (let k = 0; k < cuts.length; k += 2) {
        partLengths.push(cuts[k + 1] - cuts[k]);
        coords.set(packed.coords.subarray(cuts[k], cuts[k + 1]), at);
        at += cuts[k + 1] - cuts[k];
      }
    } else {
      const seg = r.segmentation;
      if (!isPolygons(seg)) return r;
      polygonParts[i] = seg.length;
      for (const p of seg) {
        partLengths.push(p.length);
        coords.set(p, at);
        at += p.length;
      }
    }
    const rest: Record<string, unknown> = {};
    for (const key of Object.keys(r)) if (key !== 'segmentation') rest[key] = (r as Record<string, unknown>)[key];
    return rest as Annotations[number];
  });
  const to = from + records.length;
  return {
    records: out,
    unit: places.unit.slice(from, to),
    objectHash: places.objectHash.slice(from, to),
    difficult: places.difficult.slice(from, to),
    polygonParts,
    partLengths: Int32Array.from(partLengths),
    coords,
  };
}

/**
 * Splits a project into its head and parts; `part(i)` makes each on demand. With `release`, what a part has taken
 * is let go in the source (the worker's copy shrinks while the page's grows, rather than both being whole at once):
 * the project must not be used afterwards.
 */
export function splitProject(project: Project, budget = PART_BUDGET, release = false) {
  const { labelRows, dataUnits: _units, byDataHash: _index, dataset, ...rest } = project;
  const head: ProjectHead = { ...rest };
  if (dataset) {
    const { coco, ...info } = dataset;
    head.dataset = { ...info, categories: coco.categories };
  }
  const rowRuns = runs(labelRows, (r) => (dataset ? 16 : rowWeight(r)), budget);
  const imageRuns = dataset ? runs(dataset.coco.images, () => 8, budget) : [];
  const annotationRuns = dataset ? runs(dataset.coco.annotations, annotationWeight, budget) : [];
  const places = dataset ? labelPlaces(project) : undefined;
  // Rows (and images) first, so every unit is on the page before the annotations that label it.
  const rowParts = Math.max(1, rowRuns.length, imageRuns.length);
  const slice = <T>(items: T[], cuts: [number, number][], i: number): T[] => {
    if (i >= cuts.length) return [];
    const out = items.slice(cuts[i][0], cuts[i][1]);
    if (release) items.fill(undefined as T, cuts[i][0], cuts[i][1]);
    return out;
  };
  return {
    head,
    count: rowParts + annotationRuns.length,
    part(i: number): ProjectPart {
      if (i < rowParts) {
        const rows = slice(labelRows, rowRuns, i);
        return {
          labelRows: dataset ? rows.map(withoutLabels) : rows,
          images: dataset ? slice(dataset.coco.images, imageRuns, i) : [],
        };
      }
      const [from, to] = annotationRuns[i - rowParts];
      const annotations = packAnnotations(dataset!.coco.annotations.slice(from, to), from, places!);
      if (release) dataset!.coco.annotations.fill(undefined as never, from, to);
      return { labelRows: [], images: [], annotations };
    },
  };
}

/** The typed arrays of a part, to transfer rather than copy. */
export function partBuffers(part: ProjectPart): ArrayBuffer[] {
  const a = part.annotations;
  if (!a) return [];
  return [a.unit, a.difficult, a.polygonParts, a.partLengths, a.coords].map((t) => t.buffer as ArrayBuffer);
}

/** Puts a project back together from its head and parts, received in order. */
export class ProjectAssembly {
  readonly #head: ProjectHead;
  readonly #rows: LabelRow[] = [];
  readonly #units: DataUnit[] = [];
  readonly #byDataHash = new Map<string, DataUnit>();
  readonly #images: Images = [];
  readonly #annotations: Annotations = [];
  readonly #classOf = new Map<number, OntologyObject>();

  constructor(head: ProjectHead) {
    this.#head = head;
    for (const o of head.ontology.objects) if (o.categoryId !== undefined) this.#classOf.set(o.categoryId, o);
  }

  add(part: ProjectPart): void {
    for (const row of part.labelRows) {
      this.#rows.push(row);
      for (const unit of row.dataUnits) {
        this.#units.push(unit);
        const key = unit.dataHash.toLowerCase();
        // The reader reported repeated data hashes; the first one is used for lookups, as there.
        if (!this.#byDataHash.has(key)) this.#byDataHash.set(key, unit);
      }
    }
    for (const image of part.images) this.#images.push(image);
    if (part.annotations) this.#addAnnotations(part.annotations);
  }

  #addAnnotations(p: PackedAnnotations) {
    let part = 0;
    let at = 0;
    p.records.forEach((record, i) => {
      const u = p.unit[i];
      const unit = u >= 0 ? this.#units[u] : undefined;
      let drawn: number | undefined;
      if (p.polygonParts[i] > 0) {
        const cuts = new Int32Array(2 * p.polygonParts[i]);
        for (let k = 0; k < p.polygonParts[i]; k++) {
          const length = p.partLengths[part++];
          cuts[2 * k] = at;
          cuts[2 * k + 1] = at + length;
          at += length;
        }
        attachPackedPolygons(record, p.coords, cuts);
        drawn = drawnPolygons(cuts);
      }
      this.#annotations.push(record);
      if (!unit) return;
      const klass = this.#classOf.get(record.category_id)!;
      const difficult = p.difficult[i] === 2 ? undefined : p.difficult[i] === 1;
      // The label's points, like the record's polygons, are made when something draws or scores it.
      const geometry = labelGeometry(record, unit.width, unit.height, drawn);
      unit.frames[0].objects.push(datasetLabel(record, klass, unit, p.objectHash[i], difficult, geometry));
    });
  }

  project(): Project {
    const { dataset, ...rest } = this.#head;
    const project: Project = { ...rest, labelRows: this.#rows, dataUnits: this.#units, byDataHash: this.#byDataHash };
    if (dataset) {
      const { categories, ...info } = dataset;
      project.dataset = { ...info, coco: { images: this.#images, annotations: this.#annotations, categories } };
    }
    return project;
  }
}
