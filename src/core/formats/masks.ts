// Class-index PNG masks -> polygon predictions, as Encord Active's mask importer means them (spec §4.2), without
// its failures (16-bit and 1-bit masks, unmapped values, forced confidences, a live Encord project).
//
// Files: every .png under the chosen folder, recursively. File -> (data unit, frame) by data-unit-match.ts: file
// stem = data hash, data title (with or without extension), or options.namePattern.
// Pixels: palette indices, 8-bit or 16-bit grey values (decodeClassMask); 0 is background.
// Value -> class: options.classMap {"<pixel value>": featureNodeHash}; default the ontology's polygon objects
// numbered 1..N in ontology order (EA's default). options.ignoreValue (e.g. 255, VOC's void) is background for
// every class and yields nothing. A value without a class is rejected (file + value), not a crash.
// Size: the mask must be exactly the data unit's width x height; otherwise the file is rejected, naming both.
//
// Regions (EA's semantics by default): each external contour of a value (8-connected, OpenCV findContours with
// RETR_EXTERNAL + CHAIN_APPROX_SIMPLE) is one prediction, holes filled; contours with fewer than 3 points or
// contourArea below 4 are dropped (counted in the warnings). options.keepHoles: RETR_CCOMP instead — each outer
// contour (islands inside holes included) keeps its holes as polygon holes; holes with fewer than 3 points are
// degenerate and dropped (counted).
//
// Coordinates: a contour point is a pixel index (px, py) — the boundary pixel, as OpenCV returns it. It is
// stored as px / W, py / H, which is what EA's own iterator stores and what EA-style evaluation rasterises back by
// truncating x * W. Because (px / W) * W is px - 1ulp for ~4% of (px, W) pairs, which truncation would turn into
// px - 1, the stored value is the smallest double >= px / W whose product with W is >= px (at most a few ulps
// above px / W): the polygon then rasterises onto exactly the pixels EA's importer filled.
//
// Confidence: an optional sidecar JSON next to the mask, `<stem>.json` (mask `a/b.png` -> `a/b.json`):
//   {"confidence": 0.8}                              every region of the file
//   {"classes": {"3": 0.9, "7": 0.4}}                every region of pixel value 3, of value 7
//   {"regions": {"3": [0.9, 0.2], "7": [0.4]}}       per region of a value, in the order the regions come out
//                                                    (OpenCV's contour order, after the EA filter)
// The three may be combined; a region takes the first of regions -> classes -> confidence that names it, else
// 1.0 (counted in the warnings). A regions list whose length differs from the number of regions of that value
// rejects that value (the order would be a guess). Values outside [0, 1] make the sidecar invalid (file rejected).
// Without any sidecar every confidence is 1.0, and the warnings say that AP then depends on order.

import type { Kernels } from '../../kernels/wasm.ts';
import { keptByEa, traceContours, type Contour } from '../../kernels/contours.ts';
import type { FileTree } from '../file-tree.ts';
import { decodeClassMask } from '../png.ts';
import type { Points, Prediction, Project } from '../model.ts';
import { classMapFor, defaultClassMap } from './class-map.ts';
import { fileStem, previewMatches, DataUnitMatcher, type MatchPreview } from './data-unit-match.ts';
import { emptyResult, type FormatReadResult, type PredictionFormat, previewOrPatternError } from './format.ts';
import { parseJsonFile } from './json-file.ts';
import { classRows } from './mapping-rows.ts';
import { usableSize } from './numbers.ts';
import type { ImportOptions } from './options.ts';

const PNG = /\.png$/i;
/** Masks decoded to find pixel values for the mapping step: enough to see the classes without decoding them all. */
const MASK_SAMPLE = 24;

/** The sidecar of a mask: its confidences (see the header). */
export interface MaskSidecar {
  confidence?: number;
  classes?: Record<string, number>;
  regions?: Record<string, number[]>;
}

export function sidecarPath(maskPath: string): string {
  const slash = maskPath.lastIndexOf('/');
  return `${maskPath.slice(0, slash + 1)}${fileStem(maskPath)}.json`;
}

/** Checks a parsed sidecar; returns the reason it is unusable, or undefined. */
export function sidecarProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a sidecar must be a JSON object';
  const s = value as Record<string, unknown>;
  const isScore = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 1;
  const known = ['confidence', 'classes', 'regions'];
  const extra = Object.keys(s).filter((k) => !known.includes(k));
  if (extra.length > 0) return `unknown key(s) ${extra.join(', ')}; use confidence, classes, regions`;
  if (s.confidence !== undefined && !isScore(s.confidence))
    return `confidence ${JSON.stringify(s.confidence)} is not in [0, 1]`;
  for (const key of ['classes', 'regions'] as const) {
    const table = s[key];
    if (table === undefined) continue;
    if (typeof table !== 'object' || table === null || Array.isArray(table))
      return `"${key}" must be an object keyed by pixel value`;
    for (const [v, c] of Object.entries(table)) {
      const ok = key === 'classes' ? isScore(c) : Array.isArray(c) && c.every(isScore);
      if (!ok) return `${key}["${v}"] must be ${key === 'classes' ? 'a number' : 'a list of numbers'} in [0, 1]`;
    }
  }
  return undefined;
}

const scratch = new Float64Array(1);
const bits = new BigUint64Array(scratch.buffer);

/** px / size, nudged up by ulps until Math.trunc(value * size) === px (see the header). */
export function pixelToUnit(px: number, size: number): number {
  let v = px / size;
  while (v * size < px) {
    scratch[0] = v;
    bits[0] += 1n; // v >= 0, so the next double up
    v = scratch[0];
  }
  return v;
}

function toPoints(contour: Contour, W: number, H: number): Points {
  const p = contour.points;
  const points: Points = [];
  for (let i = 0; i < p.length; i += 2) points.push([pixelToUnit(p[i], W), pixelToUnit(p[i + 1], H)]);
  return points;
}

/** Which files would be read as masks and which data unit each goes to (the UI's live preview). */
export function previewMaskMatches(
  project: Project,
  paths: string[],
  options: Pick<ImportOptions, 'namePattern'> = {},
): MatchPreview[] {
  const masks = paths.filter((p) => PNG.test(p));
  const byPath = new Map(previewMatches(project, masks, options.namePattern).map((m) => [m.path, m]));
  const sidecars = new Set(masks.map(sidecarPath));
  return paths.map(
    (path) =>
      byPath.get(path) ??
      (sidecars.has(path)
        ? { path, code: 'sidecar', reason: 'confidences for the mask beside it' }
        : { path, code: 'not_png', reason: 'not a .png mask; not read' }),
  );
}

export const masksReader: PredictionFormat = {
  id: 'masks',
  label: 'Class-index PNG masks (one per image)',
  short: 'Masks',
  detectReason: 'PNG files only: class-index masks',
  defaults:
    'one <image>.png per image; pixel value i = polygon object i from 1, 0 = background; confidences from <stem>.json, else 1.0',
  options: ['classMap', 'namePattern', 'keepHoles', 'ignoreValue'],

  async detect(tree) {
    const files = await tree.list();
    return files.length > 0 && files.some((p) => PNG.test(p)) && files.every((p) => PNG.test(p) || p.endsWith('.json'));
  },

  async classKeys(project, tree, options) {
    const pngs = (await tree.list()).filter((p) => PNG.test(p));
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
    const defaults = defaultClassMap(project.ontology, 'masks');
    return {
      mapsClasses: true,
      keyLabel: 'Pixel value',
      classes: classRows(seen, (k) => defaults.map.get(k)),
      note:
        `Default: ${defaults.describe}.` +
        (pngs.length > MASK_SAMPLE
          ? ` Values found in the first ${MASK_SAMPLE} of ${pngs.length} masks (count = masks using the value).`
          : ' Count = masks using the value.'),
    };
  },

  async preview(project, tree, options) {
    const paths = await tree.list();
    return {
      matchesFiles: true,
      ...previewOrPatternError(() => previewMaskMatches(project, paths, { namePattern: options.namePattern })),
      note: 'Each PNG is one image (or <data hash>_<frame>.png for a video frame); <name>.json beside it holds confidences.',
    };
  },

  async read(kernels: Kernels, project: Project, tree: FileTree, options: ImportOptions): Promise<FormatReadResult> {
    const result = emptyResult();
    const { predictions, origins, report } = result;
    const classMap = classMapFor(project.ontology, 'masks', options.classMap, report.warnings);
    const matcher = new DataUnitMatcher(project, options.namePattern);
    const all = await tree.list();
    const files = all.filter((p) => PNG.test(p));
    const present = new Set(all);
    const sidecars = new Set(files.map(sidecarPath));
    const unread = all.filter((p) => !PNG.test(p) && !sidecars.has(p));
    let filesWithSidecar = 0;
    let defaulted = 0;
    let droppedSmall = 0;
    let droppedHoles = 0;

    for (const [index, file] of files.entries()) {
      options.signal?.throwIfAborted();
      options.onProgress?.({ done: index, total: files.length, current: file });
      const reject = (code: string, reason: string, record?: string) =>
        report.rejected.push({ file, record, code, reason });
      const match = matcher.match(file);
      if (!match.ok) {
        reject(match.code, match.reason);
        continue;
      }
      const du = match.dataUnit;
      if (!usableSize(du.width, du.height)) {
        reject('bad_image_size', `data unit ${du.dataHash} has no usable size (${du.width}x${du.height})`);
        continue;
      }
      let sidecar: MaskSidecar | undefined;
      const sidecarFile = sidecarPath(file);
      if (present.has(sidecarFile)) {
        let parsed: unknown;
        try {
          parsed = parseJsonFile(await tree.readText(sidecarFile), sidecarFile);
        } catch (e) {
          reject('bad_sidecar', (e as Error).message);
          continue;
        }
        const problem = sidecarProblem(parsed);
        if (problem) {
          reject('bad_sidecar', `${sidecarFile}: ${problem}`);
          continue;
        }
        sidecar = parsed as MaskSidecar;
        filesWithSidecar++;
      }
      let mask;
      try {
        mask = decodeClassMask(await tree.readBytes(file), file);
      } catch (e) {
        reject('bad_png', (e as Error).message);
        continue;
      }
      if (mask.width !== du.width || mask.height !== du.height) {
        reject(
          'size_mismatch',
          `the mask is ${mask.width}x${mask.height} but data unit ${du.dataHash} (${du.title}) is ${du.width}x${du.height}`,
        );
        continue;
      }
      const { classes } = traceContours(kernels, mask.values, mask.width, mask.height, {
        ignore: options.ignoreValue,
        holes: options.keepHoles,
      });
      for (const [value, contours] of classes) {
        const key = String(value);
        const featureHash = classMap.get(key);
        if (featureHash === undefined) {
          reject(
            'unknown_class',
            `pixel value ${value} has no class (${contours.length} region(s) not imported); add it to the class map` +
              (value === 255 && options.ignoreValue === undefined ? ' or ignore it (ignore value 255)' : ''),
            `value ${value}`,
          );
          continue;
        }
        const kept = contours.filter(keptByEa);
        droppedSmall += contours.length - kept.length;
        const perRegion = sidecar?.regions?.[key];
        if (perRegion && perRegion.length !== kept.length) {
          reject(
            'sidecar_mismatch',
            `${sidecarFile} lists ${perRegion.length} region confidence(s) for value ${value} but the mask has ${kept.length} region(s)`,
            `value ${value}`,
          );
          continue;
        }
        kept.forEach((contour, i) => {
          const confidence = perRegion?.[i] ?? sidecar?.classes?.[key] ?? sidecar?.confidence;
          if (confidence === undefined) defaulted++;
          const points = toPoints(contour, du.width, du.height);
          let shape: Prediction['shape'] = { kind: 'polygon', points };
          if (options.keepHoles) {
            const holes = (contour.holes ?? []).filter((h) => h.points.length >= 6);
            droppedHoles += (contour.holes?.length ?? 0) - holes.length;
            shape = { kind: 'polygon', points, holes: holes.map((h) => toPoints(h, du.width, du.height)) };
          }
          predictions.push({
            dataHash: du.dataHash,
            frame: match.frame,
            confidence: confidence ?? 1,
            featureHash,
            shape,
          });
          origins.push({ file, record: `value ${value} region ${i}` });
        });
      }
    }
    options.onProgress?.({ done: files.length, total: files.length });

    if (filesWithSidecar === 0 && predictions.length > 0) {
      report.warnings.push(
        'no confidence sidecars (<mask stem>.json): every confidence is 1.0, so AP depends on the order of the regions',
      );
    } else if (defaulted > 0) {
      report.warnings.push(`${defaulted} region(s) had no confidence in a sidecar and were given 1.0`);
    }
    if (droppedSmall > 0) {
      report.warnings.push(
        `${droppedSmall} region(s) with fewer than 3 contour points or area below 4 px were dropped, as EA does`,
      );
    }
    if (droppedHoles > 0)
      report.warnings.push(`${droppedHoles} hole(s) of 1 or 2 pixels were too small to be polygon holes`);
    if (unread.length > 0) {
      report.warnings.push(
        `${unread.length} file(s) that are neither .png masks nor their sidecars were not read (e.g. ${unread.slice(0, 3).join(', ')})`,
      );
    }
    report.imported = predictions.length;
    return result;
  },
};
