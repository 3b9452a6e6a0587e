// The eval bench's scale case (BENCH_SCALE=1): 1.5 million box detections, 300 per image over the large case's
// 5,000 images, as DETR-style models emit them. Generated deterministically (seed 300) into bench-results/, next to
// the large case it reuses the ground truth of. predlens runs as a whole process (peak memory from GNU time);
// pycocotools runs beside it with a 10-minute limit.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPredlens } from './predlens-run.ts';
import { runPeer, type Peer } from './peers.ts';
import { printTable } from './util.ts';

const PER_IMAGE = 300;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** 300 detections per image: jittered copies of its ground truths (a tenth with another class), the rest background. */
export function generateScaleCase(gtPath: string, outPath: string): number {
  const gt = JSON.parse(readFileSync(gtPath, 'utf8')) as {
    images: { id: number; width: number; height: number }[];
    annotations: { image_id: number; category_id: number; bbox: number[] }[];
    categories: { id: number }[];
  };
  const byImage = new Map<number, { category_id: number; bbox: number[] }[]>();
  for (const a of gt.annotations) {
    const list = byImage.get(a.image_id) ?? [];
    list.push(a);
    byImage.set(a.image_id, list);
  }
  const rand = mulberry32(300);
  const cats = gt.categories.map((c) => c.id);
  const parts: string[] = [];
  let n = 0;
  for (const img of gt.images) {
    const own = byImage.get(img.id) ?? [];
    for (let j = 0; j < PER_IMAGE; j++) {
      let cat: number;
      let box: number[];
      if (own.length > 0 && j < 6 * own.length) {
        const g = own[j % own.length];
        const [x, y, w, h] = g.bbox;
        const s = 0.05 + 0.25 * rand();
        box = [
          x + (rand() - 0.5) * s * w,
          y + (rand() - 0.5) * s * h,
          w * (1 + (rand() - 0.5) * s),
          h * (1 + (rand() - 0.5) * s),
        ];
        cat = rand() < 0.1 ? cats[Math.floor(rand() * cats.length)] : g.category_id;
      } else {
        const w = 4 + rand() * 200;
        const h = 4 + rand() * 200;
        box = [rand() * (img.width - w), rand() * (img.height - h), w, h];
        cat = cats[Math.floor(rand() * cats.length)];
      }
      const score = Math.round(rand() * 10000) / 10000;
      parts.push(`{"image_id":${img.id},"category_id":${cat},"bbox":[${box.map(round2).join(',')}],"score":${score}}`);
      n++;
    }
  }
  writeFileSync(outPath, `[${parts.join(',')}]`);
  return n;
}

export async function runScale(cache: string, py: Peer | undefined): Promise<void> {
  const gtPath = join(cache, 'gt.json');
  const dtPath = join(cache, 'dt_bbox_300.json');
  if (!existsSync(dtPath)) {
    const n = generateScaleCase(gtPath, dtPath);
    console.log(`\nscale case: generated ${n.toLocaleString('en')} detections into ${dtPath}`);
  }
  const ours = runPredlens(gtPath, dtPath, 'bbox');
  const rows: (string | number)[][] = [['program', 'seconds', 'CPU s', 'max RSS MB', 'stats']];
  rows.push([
    'predlens',
    ours.seconds.toFixed(2),
    (ours.cpuSeconds ?? NaN).toFixed(2),
    ((ours.maxRssKb ?? 0) / 1024).toFixed(0),
    ours.stats.map((v) => v.toFixed(4)).join(' '),
  ]);
  if (py) {
    try {
      const theirs = runPeer(py, gtPath, dtPath, 'bbox', 600_000);
      const same = theirs.stats.every((v, j) => v === ours.stats[j]);
      rows.push([
        'pycocotools',
        theirs.seconds.toFixed(2),
        (theirs.cpuSeconds ?? NaN).toFixed(2),
        ((theirs.maxRssKb ?? 0) / 1024).toFixed(0),
        same ? 'identical' : 'DIFFER',
      ]);
      if (!same) process.exitCode = 1;
    } catch (err) {
      rows.push(['pycocotools', 'did not finish in 10 min', '-', '-', String(err).split('\n')[0]]);
    }
  }
  console.log('\nscale case, 1.5 million box detections (300 per image), whole processes:');
  printTable(rows);
}
