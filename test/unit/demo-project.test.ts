// The built-in demo: generated into a temporary folder through the generator's API, read back with readProject,
// checked against the scene it was drawn from, pixel by pixel where labels must fit, and byte-identical on re-runs.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import UPNG from 'upng-js';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeTree } from '../../src/files/node-fs.ts';
import { readProject } from '../../src/core/project/read.ts';
import { summariseProject } from '../../src/core/project/summary.ts';
import { formatOntologyPrintout } from '../../src/core/project/print-ontology.ts';
import { makeDemo } from '../../scripts/make-demo.ts';
import { demoProjectFiles, MANIFEST } from '../../scripts/demo/project-files.ts';
import { buildDemoScene, DEMO_SEED, type DemoFrame, type DemoLabel } from '../../scripts/demo/scene.ts';
import { encodePng } from '../../scripts/demo/png.ts';

const dir = mkdtempSync(join(tmpdir(), 'predlens-demo-'));
const { scene, files } = await makeDemo(dir, DEMO_SEED, []); // the project alone, without generators added later
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const project = await readProject(new NodeTree(dir));
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('the demo project as readProject sees it', () => {
  it('opens with no problems and the expected layout', () => {
    expect(project.problems).toEqual([]);
    expect(project.skipped).toEqual({});
    expect(project.meta).toMatchObject({
      project_title: 'predlens demo',
      project_hash: scene.projectHash,
      has_remote: false,
    });
    const s = summariseProject(project);
    expect(s.dataUnitsByType).toEqual({ image: 30, img_group: 4, video: 1 });
    expect([s.labelRows, s.images, s.videoFrames, s.frames]).toEqual([32, 34, 12, 46]);
    expect(s.objectsByClass.map((c) => [c.name, c.shape])).toEqual([
      ['Car', 'bounding_box'],
      ['Pedestrian', 'bounding_box'],
      ['Dog', 'polygon'],
      ['Road sign', 'polygon'],
    ]);
    for (const c of s.objectsByClass) expect(c.count).toBeGreaterThanOrEqual(10);
  });

  it('writes project_meta.yaml with sorted keys and a manifest of every file', () => {
    const yaml = readFileSync(join(dir, 'project_meta.yaml'), 'utf8');
    expect(
      yaml
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(':')[0]),
    ).toEqual(['has_remote', 'project_description', 'project_hash', 'project_title']);
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
    expect(manifest.files).toEqual([...files].sort());
    expect(manifest.files).toContain('label_row_meta.json');
    expect(manifest.files.filter((f: string) => f.endsWith('.png'))).toHaveLength(46);
  });

  it('keeps every label of the scene, with exact coordinates', () => {
    for (const row of scene.labelRows) {
      for (const unit of row.units) {
        const read = project.byDataHash.get(unit.dataHash)!;
        expect([read.width, read.height, read.title]).toEqual([unit.width, unit.height, unit.title]);
        expect(read.frames.map((f) => f.frame)).toEqual(unit.frames.map((f) => f.frame));
        unit.frames.forEach((frame, i) => {
          const objects = read.frames[i].objects;
          expect(objects.map((o) => [o.objectHash, o.featureHash, o.name])).toEqual(
            frame.labels.map((l) => [l.objectHash, l.featureHash, l.className]),
          );
          expect(objects.map((o) => o.geometry)).toEqual(
            frame.labels.map((l) => (l.box ? { kind: 'box', box: l.box } : { kind: 'polygon', points: l.polygon })),
          );
        });
      }
    }
  });

  it('has one image group of four members in order', () => {
    const group = project.labelRows.filter((r) => r.dataType === 'img_group');
    expect(group).toHaveLength(1);
    expect(group[0].dataUnits.map((u) => [u.sequence, u.title])).toEqual(
      [0, 1, 2, 3].map((k) => [k, `crossing_cam_${k + 1}.png`]),
    );
    for (const u of group[0].dataUnits)
      expect(u.images).toEqual({ [u.sequence]: `data/${group[0].labelHash}/images/${u.dataHash}.png` });
  });

  it('has a 12-frame video with a frame image and labels for every frame, tracks keeping their objectHash', () => {
    const video = project.dataUnits.find((u) => u.dataType === 'video')!;
    expect(video.frameNumbers).toEqual([...Array(12).keys()]);
    expect(video.images[10]).toBe(`data/${video.labelHash}/images/${video.dataHash}_10.png`);
    expect(Object.keys(video.images)).toHaveLength(12);
    const carTrack = video.frames.map((f) => f.objects.find((o) => o.name === 'Car')!);
    expect(new Set(carTrack.map((o) => o.objectHash)).size).toBe(1);
    const xs = carTrack.map((o) => (o.geometry.kind === 'box' ? o.geometry.box.x : NaN));
    expect(xs.every((x, i) => i === 0 || x > xs[i - 1])).toBe(true); // it drives to the right
    expect(video.frames.map((f) => f.objects.some((o) => o.name === 'Dog'))).toEqual(
      [...Array(12).keys()].map((f) => f >= 4),
    );
  });

  it('answers the time-of-day question on most images, with the option the picture shows', () => {
    const answered = project.dataUnits.flatMap((u) => u.frames).filter((f) => f.classifications.length > 0);
    expect(answered).toHaveLength(26 + 4 + 12);
    const looks = new Map(
      scene.labelRows.flatMap((r) =>
        r.units.flatMap((u) => u.frames.map((f) => [`${u.dataHash}/${f.frame}`, f.look.timeOfDay])),
      ),
    );
    for (const u of project.dataUnits) {
      for (const f of u.frames) {
        for (const c of f.classifications) {
          expect(c.name).toBe('Time of day');
          expect(c.answers).toHaveLength(1);
          expect(c.answers[0].attributeName).toBe('Time of day');
          expect(c.answers[0].options.map((o) => o.value)).toEqual([looks.get(`${u.dataHash}/${f.frame}`)]);
        }
      }
    }
    const printout = JSON.parse(formatOntologyPrintout(project.ontology));
    expect(Object.keys(printout.classifications)).toEqual(['day', 'dusk', 'night']);
    expect(Object.keys(printout.objects)).toEqual(['car', 'pedestrian', 'dog', 'road sign']);
  });
});

describe('the demo images', () => {
  const frames = scene.labelRows.flatMap((r) =>
    r.units.flatMap((u) => u.frames.map((f) => ({ row: r, unit: u, frame: f }))),
  );

  it('come in three sizes, with small and large objects, dark and blurred pictures', () => {
    expect(new Set(frames.map((f) => `${f.unit.width}x${f.unit.height}`))).toEqual(
      new Set(['640x480', '800x600', '512x384']),
    );
    const labels = frames.flatMap((f) => f.frame.labels);
    const side = (l: DemoLabel) => Math.max(l.pixelBox[2] - l.pixelBox[0], l.pixelBox[3] - l.pixelBox[1]);
    expect(labels.filter((l) => side(l) < 32).length).toBeGreaterThanOrEqual(8);
    expect(labels.filter((l) => side(l) > 200).length).toBeGreaterThanOrEqual(8);
    expect(frames.filter((f) => f.frame.look.timeOfDay === 'night')).toHaveLength(6);
    expect(frames.filter((f) => f.frame.look.blur > 0).length).toBeGreaterThanOrEqual(6);
  });

  it('decode to what was drawn; night pictures are dark', () => {
    const night = frames.find((f) => f.frame.look.timeOfDay === 'night')!;
    const day = frames.find((f) => f.frame.look.timeOfDay === 'day')!;
    const mean = (f: (typeof frames)[number]) => {
      const png = UPNG.decode(readFileSync(join(dir, imageOf(f))).buffer as ArrayBuffer);
      expect([png.width, png.height, png.ctype, png.depth]).toEqual([f.unit.width, f.unit.height, 2, 8]);
      const data = new Uint8Array(png.data as unknown as ArrayBuffer).subarray(0, f.unit.width * f.unit.height * 3);
      expect(sha(data)).toBe(sha(f.frame.render()));
      return data.reduce((a, b) => a + b, 0) / data.length;
    };
    expect(mean(night)).toBeLessThan(40);
    expect(mean(day)).toBeGreaterThan(100);
  });

  it('put every box exactly around the pixels its object changed, and every polygon around its object', () => {
    const sharp = frames.filter((f) => f.frame.look.blur === 0 && f.frame.look.timeOfDay === 'day').slice(0, 8);
    let checked = 0;
    for (const f of sharp) {
      const drawn = f.frame.render();
      const background = f.frame.renderBackground();
      const w = f.unit.width;
      const h = f.unit.height;
      const changed = (x: number, y: number) => {
        const i = (y * w + x) * 3;
        return drawn[i] !== background[i] || drawn[i + 1] !== background[i + 1] || drawn[i + 2] !== background[i + 2];
      };
      for (const label of alone(f.frame)) {
        const [x0, y0, x1, y1] = label.pixelBox;
        const near: [number, number][] = [];
        for (let y = Math.max(0, y0 - 4); y < Math.min(h, y1 + 4); y++) {
          for (let x = Math.max(0, x0 - 4); x < Math.min(w, x1 + 4); x++) if (changed(x, y)) near.push([x, y]);
        }
        if (label.shape === 'bounding_box') {
          // The changed pixels around the label span exactly its box.
          const xs = near.map((p) => p[0]);
          const ys = near.map((p) => p[1]);
          expect([Math.min(...xs), Math.min(...ys), Math.max(...xs) + 1, Math.max(...ys) + 1]).toEqual([
            x0,
            y0,
            x1,
            y1,
          ]);
          const b = label.box!;
          expect([b.x * w, b.y * h, (b.x + b.w) * w, (b.y + b.h) * h].map(Math.round)).toEqual([x0, y0, x1, y1]);
        } else {
          // Every changed pixel's centre is inside the outline, and nearly every pixel inside it changed.
          const outline = label.polygon!.map(([x, y]) => [x * w, y * h] as [number, number]);
          expect(near.filter(([x, y]) => !inside(outline, x + 0.5, y + 0.5))).toEqual([]);
          let insideCount = 0;
          for (let y = Math.max(0, y0 - 1); y < Math.min(h, y1 + 1); y++) {
            for (let x = Math.max(0, x0 - 1); x < Math.min(w, x1 + 1); x++)
              if (inside(outline, x + 0.5, y + 0.5)) insideCount++;
          }
          expect(near.length).toBeGreaterThan(0.95 * insideCount);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });
});

describe('the demo generator', () => {
  it('is deterministic: a second run gives identical bytes for every file', () => {
    const again = demoProjectFiles(buildDemoScene(DEMO_SEED));
    expect([...again.keys()].sort()).toEqual(files);
    for (const [path, bytes] of again) expect(sha(bytes), path).toBe(sha(readFileSync(join(dir, path))));
  });

  it('gives a different project for another seed', () => {
    const other = buildDemoScene(DEMO_SEED + 1);
    expect(other.projectHash).not.toBe(scene.projectHash);
    expect(other.classes.map((c) => c.name)).toEqual(scene.classes.map((c) => c.name));
  });

  it('stays small', () => {
    const bytes = files.reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    expect(bytes).toBeLessThan(8 * 1024 * 1024);
  });

  it('writes PNGs other decoders accept', () => {
    const rgb = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9, 200, 100, 50, 1, 2, 3]);
    const decoded = UPNG.decode(encodePng(rgb, 3, 2).buffer as ArrayBuffer);
    // UPNG pads its buffer; the pixels are the first w*h*3 bytes.
    expect(new Uint8Array(decoded.data as unknown as ArrayBuffer).subarray(0, rgb.length)).toEqual(rgb);
  });
});

function imageOf(f: { row: { dataType: string; labelHash: string }; unit: { dataHash: string }; frame: DemoFrame }) {
  return f.row.dataType === 'video'
    ? `data/${f.row.labelHash}/images/${f.unit.dataHash}_${f.frame.frame}.png`
    : `data/${f.row.labelHash}/images/${f.unit.dataHash}.png`;
}

/** Even-odd test with the demo rasteriser's rule: a centre on a left edge is in, on a right edge out. */
function inside(points: [number, number][], px: number, py: number): boolean {
  let crossings = 0;
  for (let i = 0; i < points.length; i++) {
    const [ax, ay] = points[i];
    const [bx, by] = points[(i + 1) % points.length];
    if ((ay <= py && by > py) || (by <= py && ay > py)) {
      if (ax + ((py - ay) / (by - ay)) * (bx - ax) <= px) crossings++;
    }
  }
  return crossings % 2 === 1;
}

/** Labels whose surroundings (4 px) no other label reaches, so the changed pixels there are theirs alone. */
function alone(frame: DemoFrame): DemoLabel[] {
  const grow = (l: DemoLabel, m: number) => [
    l.pixelBox[0] - m,
    l.pixelBox[1] - m,
    l.pixelBox[2] + m,
    l.pixelBox[3] + m,
  ];
  const hit = (a: number[], b: number[]) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  // Road signs stand on poles that are not part of their label: keep clear of them too.
  const reach = (l: DemoLabel) =>
    l.className === 'Road sign' ? [l.pixelBox[0] - 4, l.pixelBox[1] - 4, l.pixelBox[2] + 4, 1e9] : grow(l, 4);
  return frame.labels.filter(
    (l) => l.className !== 'Road sign' && frame.labels.every((o) => o === l || !hit(grow(l, 4), reach(o))),
  );
}
