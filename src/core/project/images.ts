// Where a data unit's pixels are (spec 1.6), found from one listing of data/ rather than a lookup per file.
import type { DataUnit } from '../model.ts';

const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'bmp', 'webp', 'tif', 'tiff', 'avif']);

/** The files of one label row's folder, grouped by file stem (lower case). */
export interface LabelRowFiles {
  /** The folder name as spelled on disk. */
  labelHash: string;
  hasLabelRow: boolean;
  /** stem (file name without its last extension, lower case) -> paths, sorted. */
  images: Map<string, string[]>;
}

/** label hash (lower case) -> its files, from the paths under data/. */
export function indexDataFolder(paths: readonly string[]): Map<string, LabelRowFiles> {
  const index = new Map<string, LabelRowFiles>();
  const entry = (labelHash: string) => {
    const key = labelHash.toLowerCase();
    let e = index.get(key);
    if (!e) index.set(key, (e = { labelHash, hasLabelRow: false, images: new Map() }));
    return e;
  };
  for (const path of paths) {
    const parts = path.split('/');
    if (parts[0] !== 'data' || parts.length < 3) continue;
    if (parts.length === 3 && parts[2] === 'label_row.json') entry(parts[1]).hasLabelRow = true;
    else if (parts.length === 4 && parts[2] === 'images') {
      const name = parts[3];
      const dot = name.lastIndexOf('.');
      const stem = (dot > 0 ? name.slice(0, dot) : name).toLowerCase();
      const images = entry(parts[1]).images;
      const list = images.get(stem);
      if (list) list.push(path);
      else images.set(stem, [path]);
    }
  }
  return index;
}

const extension = (path: string) => path.slice(path.lastIndexOf('.') + 1).toLowerCase();

/** Of several files with one stem, an image a browser can show beats anything else (a video file, a sidecar). */
function pickImage(paths: string[] | undefined): string | undefined {
  if (!paths || paths.length === 0) return undefined;
  return paths.find((p) => IMAGE_EXTENSIONS.has(extension(p))) ?? paths[0];
}

/**
 * Fills unit.images and unit.frameNumbers from the label row's files. Images and image-group members look up
 * `<du>_<frame>.*` first, then `<du>.*`, as EA's UI does; videos take every `<du>_<n>.*` decoded frame.
 * Returns false when no pixels were found for the unit.
 */
export function attachImages(unit: DataUnit, files: LabelRowFiles | undefined): boolean {
  const du = unit.dataHash.toLowerCase();
  const images: Record<number, string> = {};
  if (files) {
    if (unit.dataType === 'video') {
      const prefix = du + '_';
      for (const [stem, paths] of files.images) {
        if (!stem.startsWith(prefix)) continue;
        const tail = stem.slice(prefix.length);
        if (!/^\d+$/.test(tail)) continue;
        const path = pickImage(paths.filter((p) => IMAGE_EXTENSIONS.has(extension(p))));
        if (path) images[Number(tail)] = path;
      }
    } else {
      const frame = unit.frames[0]?.frame ?? unit.sequence;
      const path = pickImage(files.images.get(`${du}_${frame}`)) ?? pickImage(files.images.get(du));
      if (path) images[frame] = path;
    }
  }
  unit.images = images;
  const frames = new Set<number>(unit.frames.map((f) => f.frame));
  for (const k of Object.keys(images)) frames.add(Number(k));
  unit.frameNumbers = [...frames].sort((a, b) => a - b);
  return Object.keys(images).length > 0;
}

/** The video file itself (`images/<du>.<ext>`), for videos whose frames were never decoded. */
export function videoFile(unit: DataUnit, files: LabelRowFiles | undefined): string | undefined {
  return files?.images.get(unit.dataHash.toLowerCase())?.[0];
}

/** The image to show for a frame of a unit: that frame's image, else the unit's only image. */
export function imagePathFor(unit: DataUnit, frame?: number): string | undefined {
  if (frame !== undefined && unit.images[frame] !== undefined) return unit.images[frame];
  if (unit.dataType !== 'video') {
    const all = Object.values(unit.images);
    if (all.length > 0) return all[0];
  }
  return undefined;
}
