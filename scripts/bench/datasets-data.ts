// Generated COCO datasets the size of COCO's val2017 (5,000 images, ~36,800 annotations, ~20 MB of JSON) and
// train2017 (118,287 images, ~860,000 annotations, ~450 MB), deterministic from a seed: polygon annotations of
// 12-42 vertices with 2-decimal coordinates (COCO's own length per record), about 1 % crowd regions as
// uncompressed RLE, 80 categories with COCO's ids 1-90, and an empty file per image (opening reads the sizes from
// the JSON, so the bytes are never read). Written once into bench-results/datasets/ and reused (a stamp file).
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Rng } from '../demo/prng.ts';

export interface BenchDataset {
  name: string;
  split: string;
  /** The dataset folder (annotations/instances_<split>.json, <split>/...). */
  dir: string;
  annotationFile: string;
  images: number;
  annotations: number;
  jsonBytes: number;
  imageFiles: string[];
}

// COCO's 80 category ids.
const COCO_IDS = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 27, 28, 31, 32, 33, 34, 35, 36,
  37, 38, 39, 40, 41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 67,
  70, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 84, 85, 86, 87, 88, 89, 90,
];
const SIZES: [number, number][] = [
  [640, 480],
  [640, 427],
  [480, 640],
  [500, 375],
];

const r2 = (v: number) => Math.round(v * 100) / 100;

/** Column-major runs of an ellipse inside the box (an uncompressed crowd RLE). */
function crowdCounts(W: number, H: number, x: number, y: number, w: number, h: number): number[] {
  const counts: number[] = [];
  let value = 0;
  let run = 0;
  for (let c = 0; c < W; c++) {
    const dx = (c + 0.5 - (x + w / 2)) / (w / 2);
    const half = Math.abs(dx) <= 1 ? (h / 2) * Math.sqrt(1 - dx * dx) : -1;
    const top = Math.ceil(y + h / 2 - half - 0.5);
    const bottom = Math.floor(y + h / 2 + half - 0.5);
    for (let r = 0; r < H; r++) {
      const inside = half >= 0 && r >= top && r <= bottom ? 1 : 0;
      if (inside === value) run++;
      else {
        counts.push(run);
        value = inside;
        run = 1;
      }
    }
  }
  counts.push(run);
  return counts;
}

export async function benchDataset(
  root: string,
  name: string,
  split: string,
  nImages: number,
  nAnnotations: number,
  seed: number,
): Promise<BenchDataset> {
  const dir = join(root, name);
  const annotationFile = `annotations/instances_${split}.json`;
  const stampFile = join(dir, 'stamp.json');
  const want = JSON.stringify({ nImages, nAnnotations, seed, v: 1 });
  const imageFiles: string[] = [];
  const rng = new Rng(seed);
  const ids: number[] = [];
  const used = new Set<number>();
  while (ids.length < nImages) {
    const id = rng.int(1, 600000);
    if (!used.has(id)) {
      used.add(id);
      ids.push(id);
    }
  }
  for (const id of ids) imageFiles.push(`${split}/${String(id).padStart(12, '0')}.jpg`);
  if (existsSync(stampFile) && (await readFile(stampFile, 'utf8')) === want) {
    const stamp = JSON.parse(await readFile(join(dir, 'sizes.json'), 'utf8'));
    return { name, split, dir, annotationFile, images: nImages, imageFiles, ...stamp };
  }
  const started = performance.now();
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'annotations'), { recursive: true });
  await mkdir(join(dir, split), { recursive: true });
  const file = await open(join(dir, annotationFile), 'w');
  let buffer = '';
  let bytes = 0;
  const put = async (text: string) => {
    buffer += text;
    if (buffer.length > 1 << 23) {
      bytes += Buffer.byteLength(buffer);
      await file.write(buffer);
      buffer = '';
    }
  };
  const sizes = ids.map(() => SIZES[rng.int(0, SIZES.length - 1)]);
  await put('{"info":{"description":"predlens bench dataset","version":"1.0"},"licenses":[],"images":[');
  for (let i = 0; i < nImages; i++) {
    const [W, H] = sizes[i];
    await put(
      `${i ? ',' : ''}{"license":1,"file_name":"${imageFiles[i].slice(split.length + 1)}","coco_url":"","height":${H},"width":${W},"date_captured":"2013-11-14 17:02:52","id":${ids[i]}}`,
    );
  }
  await put('],"annotations":[');
  let annotationId = 100000;
  let written = 0;
  for (let i = 0; i < nImages; i++) {
    // Spread the annotations over the images, a varying number each.
    const remainingImages = nImages - i;
    const mean = (nAnnotations - written) / remainingImages;
    const count = i === nImages - 1 ? nAnnotations - written : Math.max(0, Math.round(mean * rng.range(0, 2)));
    const [W, H] = sizes[i];
    for (let k = 0; k < count; k++) {
      const w = r2(rng.range(4, W * 0.6));
      const h = r2(rng.range(4, H * 0.6));
      const x = r2(rng.range(0, W - w));
      const y = r2(rng.range(0, H - h));
      const category = COCO_IDS[rng.int(0, COCO_IDS.length - 1)];
      const id = annotationId++;
      let segmentation: string;
      let area: number;
      let iscrowd = 0;
      if (rng.chance(0.009)) {
        const counts = crowdCounts(W, H, x, y, w, h);
        segmentation = `{"counts":[${counts.join(',')}],"size":[${H},${W}]}`;
        area = counts.reduce((s, c, j) => (j % 2 ? s + c : s), 0);
        iscrowd = 1;
      } else {
        const n = rng.int(12, 42);
        const xy: number[] = [];
        for (let j = 0; j < n; j++) {
          const a = (2 * Math.PI * j) / n;
          const r = rng.range(0.55, 1);
          xy.push(r2(x + w / 2 + (Math.cos(a) * r * w) / 2), r2(y + h / 2 + (Math.sin(a) * r * h) / 2));
        }
        segmentation = `[[${xy.join(',')}]]`;
        area = r2(w * h * 0.6);
      }
      await put(
        `${written ? ',' : ''}{"segmentation":${segmentation},"area":${area},"iscrowd":${iscrowd},"image_id":${ids[i]},"bbox":[${x},${y},${w},${h}],"category_id":${category},"id":${id}}`,
      );
      written++;
    }
  }
  await put(
    '],"categories":[' +
      COCO_IDS.map((id) => `{"supercategory":"thing","id":${id},"name":"class ${id}"}`).join(',') +
      ']}\n',
  );
  bytes += Buffer.byteLength(buffer);
  await file.write(buffer);
  await file.close();
  for (const f of imageFiles) await writeFile(join(dir, f), '');
  const sizesInfo = { annotations: written, jsonBytes: bytes };
  await writeFile(join(dir, 'sizes.json'), JSON.stringify(sizesInfo));
  await writeFile(stampFile, want);
  console.log(
    `generated ${name}: ${nImages.toLocaleString()} images, ${written.toLocaleString()} annotations, ` +
      `${(bytes / 1e6).toFixed(1)} MB of JSON in ${((performance.now() - started) / 1000).toFixed(1)} s -> ${dir}`,
  );
  return { name, split, dir, annotationFile, images: nImages, imageFiles, ...sizesInfo };
}
