// What the Import page's mapping step shows, computed in the import worker from the chosen files: the class keys
// the files use (YOLO indices, mask pixel values, COCO category ids, KITTI names) with the ontology object each
// goes to by the format's default rule, and which data unit (and frame) each file goes to.
// The defaults mirror the readers (class-map.ts, kitti.ts, coco-results.ts); the reader stays the authority: a map
// is only passed to it when the user changed a row.
import type { FileTree } from '../core/file-tree.ts';
import { defaultClassMap } from '../core/formats/class-map.ts';
import type { ImageDataUnits } from '../core/formats/coco-results.ts';
import { previewMatches, type MatchPreview } from '../core/formats/data-unit-match.ts';
import { KITTI_LABEL_MAP, kittiClassLookup, parseKittiRows } from '../core/formats/kitti.ts';
import { previewMaskMatches } from '../core/formats/masks.ts';
import { parseYoloRows, YOLO_CLASS_NAMES } from '../core/formats/yolo.ts';
import type { FormatId, Problem, Project } from '../core/model.ts';
import { decodeClassMask } from '../core/png.ts';

export interface ClassRow {
  /** The file's name for the class. */
  key: string;
  /** How many rows / regions / files use it (what was scanned). */
  count: number;
  /** The ontology object (featureNodeHash) the default rule sends it to, if any. */
  target?: string;
}

export interface MappingInfo {
  format: FormatId;
  /** False for formats whose records name ontology hashes already (pkl, native, EA folders). */
  mapsClasses: boolean;
  /** What a class key is in this format, for the table heading. */
  keyLabel: string;
  classes: ClassRow[];
  /** The default rule in words. */
  classesNote: string;
  /** True when files are matched to data units by name (a name pattern applies). */
  matchesFiles: boolean;
  matches: MatchPreview[];
  matchesNote: string;
  /** Set when the name pattern could not be compiled. */
  patternError?: string;
}

/** Masks decoded to find pixel values: enough to see the classes without decoding a thousand full-HD files. */
const MASK_SAMPLE = 24;
const PREVIEW_ROWS = 500;

const byKey = (a: ClassRow, b: ClassRow) => {
  const na = Number(a.key);
  const nb = Number(b.key);
  return Number.isFinite(na) && Number.isFinite(nb) ? na - nb : a.key.localeCompare(b.key);
};

function tally(keys: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

function rows(counts: Map<string, number>, target: (key: string) => string | undefined): ClassRow[] {
  return [...counts].map(([key, count]) => ({ key, count, target: target(key) })).sort(byKey);
}

export async function computeMapping(
  project: Project,
  tree: FileTree,
  format: FormatId,
  options: { namePattern?: string; imageDataUnits?: ImageDataUnits; ignoreValue?: number } = {},
): Promise<MappingInfo> {
  const files = await tree.list();
  const info: MappingInfo = {
    format,
    mapsClasses: false,
    keyLabel: 'class',
    classes: [],
    classesNote: 'The records name ontology classes by their featureNodeHash: nothing to map.',
    matchesFiles: false,
    matches: [],
    matchesNote: 'Records name their data unit by data hash.',
  };
  const preview = (fn: () => MatchPreview[]) => {
    try {
      info.matches = fn().slice(0, PREVIEW_ROWS);
    } catch (e) {
      info.patternError = e instanceof Error ? e.message : String(e);
    }
  };
  const ontology = project.ontology;
  const nameToHash = (name: string) => {
    const exact = ontology.objects.find((o) => o.name === name);
    if (exact) return exact.featureNodeHash;
    const folded = ontology.objects.filter((o) => o.name.toLowerCase() === name.toLowerCase());
    return folded.length === 1 ? folded[0].featureNodeHash : undefined;
  };

  if (format === 'yolo') {
    const txt = files.filter((p) => p.toLowerCase().endsWith('.txt') && !p.endsWith(YOLO_CLASS_NAMES));
    const ignored: Problem[] = [];
    const keys: string[] = [];
    for (const path of txt)
      for (const row of parseYoloRows(await tree.readText(path), path, ignored)) keys.push(row.classKey);
    const names = (await tree.exists(YOLO_CLASS_NAMES))
      ? (await tree.readText(YOLO_CLASS_NAMES))
          .split(/\r?\n/)
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : undefined;
    const defaults = defaultClassMap(ontology, 'yolo');
    Object.assign(info, {
      mapsClasses: true,
      keyLabel: 'YOLO class index',
      classes: rows(tally(keys), (k) =>
        names ? (names[Number(k)] === undefined ? undefined : nameToHash(names[Number(k)])) : defaults.map.get(k),
      ),
      classesNote: names
        ? `classes.txt names each index; names are matched to ontology objects.`
        : `Default: ${defaults.describe}.`,
      matchesFiles: true,
      matchesNote:
        'Each .txt file is one image: its name is a data hash, a data title, or <data hash>_<frame> for video frames.',
    });
    preview(() => previewMatches(project, txt, options.namePattern));
  } else if (format === 'masks') {
    const pngs = files.filter((p) => p.toLowerCase().endsWith('.png'));
    const seen = new Map<string, number>();
    for (const path of pngs.slice(0, MASK_SAMPLE)) {
      try {
        const { values } = decodeClassMask(await tree.readBytes(path), path);
        const present = new Set<number>();
        for (let i = 0; i < values.length; i++) present.add(values[i]);
        for (const v of present)
          if (v !== 0 && v !== options.ignoreValue) seen.set(String(v), (seen.get(String(v)) ?? 0) + 1);
      } catch {
        // an undecodable mask is reported by the import itself
      }
    }
    const defaults = defaultClassMap(ontology, 'masks');
    Object.assign(info, {
      mapsClasses: true,
      keyLabel: 'Pixel value',
      classes: rows(seen, (k) => defaults.map.get(k)),
      classesNote:
        `Default: ${defaults.describe}.` +
        (pngs.length > MASK_SAMPLE
          ? ` Values found in the first ${MASK_SAMPLE} of ${pngs.length} masks (count = masks using the value).`
          : ' Count = masks using the value.'),
      matchesFiles: true,
      matchesNote:
        'Each PNG is one image (or <data hash>_<frame>.png for a video frame); <name>.json beside it holds confidences.',
    });
    preview(() => previewMaskMatches(project, files, { namePattern: options.namePattern }));
  } else if (format === 'kitti') {
    const labelFiles = files.filter((p) => /\.(txt|csv)$/i.test(p));
    const ignored: Problem[] = [];
    const keys: string[] = [];
    for (const path of labelFiles)
      for (const row of parseKittiRows(await tree.readText(path), path, ignored).rows) keys.push(row.className);
    let target: (k: string) => string | undefined = nameToHash;
    let note = 'No ontology_label_map.json: KITTI class names are matched to ontology object names (ignoring case).';
    if (await tree.exists(KITTI_LABEL_MAP)) {
      try {
        const lookup = kittiClassLookup(ontology, JSON.parse(await tree.readText(KITTI_LABEL_MAP)), KITTI_LABEL_MAP);
        target = (k) => lookup.byName.get(k);
        note = `Default: ${KITTI_LABEL_MAP} in the folder (keyed by ${lookup.keying}).`;
      } catch (e) {
        note = `${KITTI_LABEL_MAP} cannot be used: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    Object.assign(info, {
      mapsClasses: true,
      keyLabel: 'KITTI class',
      classes: rows(tally(keys), target),
      classesNote: note,
      matchesFiles: true,
      matchesNote: 'Each label file is one image: <data hash>__<name>.txt, <data hash>.txt or <data title>.txt.',
    });
    preview(() => previewMatches(project, labelFiles, options.namePattern));
  } else if (format === 'coco') {
    const keys: string[] = [];
    const imageIds = new Set<string>();
    for (const path of files.filter((p) => p.toLowerCase().endsWith('.json'))) {
      let value: unknown;
      try {
        value = JSON.parse(await tree.readText(path));
      } catch {
        continue;
      }
      if (!Array.isArray(value)) continue;
      for (const r of value as { category_id?: unknown; image_id?: unknown }[]) {
        if (r && r.category_id !== undefined) keys.push(String(r.category_id));
        if (r && r.image_id !== undefined) imageIds.add(String(r.image_id));
      }
    }
    Object.assign(info, {
      mapsClasses: true,
      keyLabel: 'COCO category id',
      classes: rows(tally(keys), (k) => ontology.objects.find((o) => o.id === k)?.featureNodeHash),
      classesNote:
        'Default: the ontology object whose id is the category id (or, for projects made from COCO, id = category x 10 + shape; decided by the reader).',
      matchesFiles: false,
      matchesNote: options.imageDataUnits
        ? `Image ids are looked up in the project's image_data_unit.json (${Object.keys(options.imageDataUnits).length} entries).`
        : 'The project has no image_data_unit.json: image ids are matched through a COCO dataset file beside the results, or as data titles.',
    });
    const idu = options.imageDataUnits;
    info.matches = [...imageIds].slice(0, PREVIEW_ROWS).map((id): MatchPreview => {
      const hash = idu?.[id]?.data_hash;
      const du = hash ? project.byDataHash.get(hash.toLowerCase()) : undefined;
      return du
        ? { path: `image_id ${id}`, dataHash: du.dataHash, title: du.title, frame: du.sequence, rule: 'data_hash' }
        : {
            path: `image_id ${id}`,
            code: 'no_match',
            reason: hash ? `data hash ${hash} is not in the project` : 'not in image_data_unit.json',
          };
    });
  }
  return info;
}
