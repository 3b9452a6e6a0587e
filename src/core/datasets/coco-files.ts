// Where a COCO dataset's annotation files and images are, for its three layouts (spec "COCO"):
//   official:  annotations/instances_<split>.json, images in <split>/ or images/<split>/;
//   Roboflow:  <split>/_annotations.coco.json beside that split's images;
//   FiftyOne:  labels.json, images in data/ (one unnamed split).
// Only instances_*.json hold labels: captions_* and person_keypoints_* beside them are not read.

export interface CocoSplitFile {
  /** The split's name; undefined for FiftyOne's single unnamed split. */
  split?: string;
  /** The annotation file. */
  file: string;
  /** The folder file names are relative to ('' = the top). */
  imageDir: string;
}

export interface CocoFiles {
  variant: 'official' | 'roboflow' | 'fiftyone';
  files: CocoSplitFile[];
}

const OFFICIAL = /^annotations\/instances_([^/]+)\.json$/;
const ROBOFLOW = /^(?:([^/]+)\/)?_annotations\.coco\.json$/;

/** The COCO layout of a folder listing, or undefined. `name` names the folder (a top-level Roboflow split). */
export function cocoFiles(paths: readonly string[], name = ''): CocoFiles | undefined {
  const official: CocoSplitFile[] = [];
  const roboflow: CocoSplitFile[] = [];
  let fiftyone = false;
  for (const p of paths) {
    let m = OFFICIAL.exec(p);
    if (m) official.push({ split: m[1], file: p, imageDir: '' });
    else if ((m = ROBOFLOW.exec(p))) roboflow.push({ split: m[1] ?? name, file: p, imageDir: m[1] ?? '' });
    else if (p === 'labels.json') fiftyone = true;
  }
  if (official.length > 0) {
    const dirs = topFolders(paths);
    for (const f of official) {
      const nested = `images/${f.split}`;
      f.imageDir = dirs.has(f.split!) || !hasFolder(paths, nested) ? f.split! : nested;
    }
    return { variant: 'official', files: official };
  }
  if (roboflow.length > 0) return { variant: 'roboflow', files: roboflow };
  if (fiftyone) return { variant: 'fiftyone', files: [{ file: 'labels.json', imageDir: 'data' }] };
  return undefined;
}

function topFolders(paths: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const p of paths) {
    const cut = p.indexOf('/');
    if (cut > 0) out.add(p.slice(0, cut));
  }
  return out;
}

function hasFolder(paths: readonly string[], dir: string): boolean {
  const prefix = dir + '/';
  return paths.some((p) => p.startsWith(prefix));
}
