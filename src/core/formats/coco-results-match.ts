// How a COCO result names its data unit and its class (the COCO results format's matching rules; see the header
// of coco-results.ts): image_data_unit.json, dataset files beside the results, the ontology ids of projects EA
// made from COCO, and a dataset project's own image and category ids.
import type { FileTree } from '../file-tree.ts';
import type { DataUnit, Ontology, OntologyObject, Project } from '../model.ts';
import { DataUnitMatcher } from './data-unit-match.ts';
import { DatasetIndex, isDatasetProject } from './dataset.ts';
import { isJsonObject, jsonType, parseJsonFile } from './json-file.ts';
import { objectByName } from './names.ts';
import type { ImportOptions } from './options.ts';

export const IMAGE_DATA_UNIT = 'image_data_unit.json';

/** image_data_unit.json: coco image id or data title -> data unit (spec §1.7). */
export type ImageDataUnits = Record<string, { data_hash: string; height?: number; width?: number }>;

export interface CocoResultsOptions extends ImportOptions {
  /** image_id -> data hash or data title. */
  imageMap?: Record<string, string>;
  /** The project's image_data_unit.json, parsed (see readImageDataUnits). */
  imageDataUnits?: ImageDataUnits;
}

/** Checks a parsed image_data_unit.json: an object of {"data_hash": string, ...} entries. */
export function checkImageDataUnits(value: unknown, file = IMAGE_DATA_UNIT): ImageDataUnits {
  if (!isJsonObject(value)) {
    throw new Error(`${file}: must be a JSON object {"<image id>": {"data_hash": ...}}, not ${jsonType(value)}`);
  }
  for (const [key, entry] of Object.entries(value)) {
    if (!isJsonObject(entry)) throw new Error(`${file}: entry "${key}" must be an object, not ${jsonType(entry)}`);
    if (typeof entry.data_hash !== 'string') {
      throw new Error(`${file}: entry "${key}": data_hash must be a string, not ${jsonType(entry.data_hash)}`);
    }
  }
  return value as ImageDataUnits;
}

/** Reads a project's image_data_unit.json if it has one (for options.imageDataUnits). */
export async function readImageDataUnits(projectTree: FileTree): Promise<ImageDataUnits | undefined> {
  if (!(await projectTree.exists(IMAGE_DATA_UNIT))) return undefined;
  return checkImageDataUnits(parseJsonFile(await projectTree.readText(IMAGE_DATA_UNIT), IMAGE_DATA_UNIT));
}

export interface CocoResult {
  image_id?: unknown;
  category_id?: unknown;
  bbox?: unknown;
  score?: unknown;
  segmentation?: unknown;
}

export interface Dataset {
  fileNames: Map<string, string>;
  categoryNames: Map<string, string>;
}

export type Kind = 'box' | 'polygon' | 'mask';

/** Resolves category ids to ontology objects by the rules in the header (2 and 3). */
export class CategoryResolver {
  readonly #ontology: Ontology;
  readonly #names: Map<string, string>;
  readonly numbering: 'plain' | 'coco-import';

  constructor(ontology: Ontology, names: Map<string, string>, categoryIds: string[]) {
    this.#ontology = ontology;
    this.#names = names;
    const plain = categoryIds.filter((c) => this.#plain(c)).length;
    const coco = categoryIds.filter((c) => this.#cocoImport(c, 'box')).length;
    this.numbering = coco > plain ? 'coco-import' : 'plain';
  }

  #plain(c: string): OntologyObject | undefined {
    return this.#ontology.objects.find((o) => o.id === c);
  }

  #cocoImport(c: string, kind: Kind): OntologyObject | undefined {
    const n = Number(c);
    if (!Number.isInteger(n) || n < 0) return undefined;
    const family = this.#ontology.objects.filter((o) => Math.floor(Number(o.id) / 10) === n && Number(o.id) >= 10);
    return family.find((o) => o.shape === shapeFor(kind)) ?? family[0];
  }

  resolve(c: string, kind: Kind): OntologyObject | undefined {
    const byId = this.numbering === 'plain' ? this.#plain(c) : this.#cocoImport(c, kind);
    if (byId) return byId;
    const name = this.#names.get(c);
    return name === undefined ? undefined : objectByName(this.#ontology, name, shapeFor(kind));
  }
}

export function shapeFor(kind: Kind): string {
  return kind === 'box' ? 'bounding_box' : 'polygon';
}

/** The image a result names, or why none: the rules of the header, built once per import. */
export function imageResolver(
  project: Project,
  options: CocoResultsOptions,
  dataset: Dataset,
  imageDataUnits: ImageDataUnits | undefined,
): (imageId: unknown) => DataUnit | string {
  const units = new Map<string, DataUnit | string>(); // image id -> unit, or why none
  if (isDatasetProject(project) && !options.imageMap) {
    const index = new DatasetIndex(project);
    return (imageId) => {
      const key = `${typeof imageId}:${String(imageId)}`;
      let answer = units.get(key);
      if (answer === undefined) units.set(key, (answer = index.image(imageId)));
      return answer;
    };
  }
  const matcher = new DataUnitMatcher(project, options.namePattern);
  return (imageId) => {
    const key = String(imageId);
    const cached = units.get(key);
    if (cached !== undefined) return cached;
    let answer: DataUnit | string = `image_id ${JSON.stringify(imageId)} matches no data unit`;
    const byHashOrTitle = (v: string) => matcher.byHash(v) ?? matcher.byTitle(v).unit;
    if (options.imageMap) {
      const target = options.imageMap[key];
      answer =
        target === undefined
          ? `image_id ${key} is not in the image map`
          : (byHashOrTitle(target) ?? `image map: ${JSON.stringify(target)} is neither a data hash nor a data title`);
    } else {
      const fileName = dataset.fileNames.get(key);
      const viaIdu = (k: string | undefined) =>
        k !== undefined && imageDataUnits && Object.hasOwn(imageDataUnits, k)
          ? matcher.byHash(imageDataUnits[k].data_hash)
          : undefined;
      const viaName = (name: string | undefined) => {
        if (name === undefined) return undefined;
        const m = matcher.match(name);
        return m.ok ? m.dataUnit : undefined;
      };
      const hit =
        viaIdu(key) ??
        viaIdu(fileName) ??
        viaName(fileName) ??
        (typeof imageId === 'string' ? viaName(imageId) : undefined);
      if (hit) answer = hit;
    }
    units.set(key, answer);
    return answer;
  };
}
