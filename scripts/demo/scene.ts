// The demo project's ground truth, built from a seed before anything is written: street scenes with cars,
// pedestrians, dogs and road signs, a time-of-day classification, one image group and one short video.
// Prediction generators take this structure and perturb it (buildDemoScene is their entry point).
import { drawCar, drawDog, drawPedestrian, drawSign, type PixelPoints, type SignKind } from './objects.ts';
import { Rng, shortHash, uuid4 } from './prng.ts';
import { Raster, type Extent, type Rgb } from './raster.ts';

export const DEMO_SEED = 20230307;

export type DemoClassName = 'Car' | 'Pedestrian' | 'Dog' | 'Road sign';
export type TimeOfDay = 'day' | 'dusk' | 'night';

export interface DemoClass {
  id: string;
  name: DemoClassName;
  shape: 'bounding_box' | 'polygon';
  color: string;
  featureNodeHash: string;
}

export interface DemoLabel {
  objectHash: string;
  className: DemoClassName;
  featureHash: string;
  shape: 'bounding_box' | 'polygon';
  /** Normalised box (bounding_box labels): the exact pixel extent of the drawn object divided by W, H. */
  box?: { x: number; y: number; w: number; h: number };
  /** Normalised outline (polygon labels): the vertices the object was filled from, divided by W, H. */
  polygon?: [number, number][];
  /** Pixel extent [x0, y0, x1, y1), x1/y1 exclusive. */
  pixelBox: [number, number, number, number];
  createdBy: string;
  createdAt: string;
}

export interface DemoFrame {
  frame: number;
  labels: DemoLabel[];
  /** The radio answer, when this frame was classified. */
  timeOfDay?: { value: TimeOfDay; classificationHash: string; createdBy: string; createdAt: string };
  /** How the picture looks: the real time of day (also when unanswered) and the blur radius (0 = sharp). */
  look: { timeOfDay: TimeOfDay; blur: number };
  /** Draws the frame: width*height*3 RGB bytes. */
  render(): Uint8Array;
  /** The same frame with no objects drawn: comparing the two shows exactly which pixels each object covers. */
  renderBackground(): Uint8Array;
}

export interface DemoUnit {
  dataHash: string;
  title: string;
  width: number;
  height: number;
  sequence: number;
  frames: DemoFrame[];
}

export interface DemoLabelRow {
  labelHash: string;
  /** label_row_meta data_hash: the unit's hash, or the group's own hash for image groups. */
  dataHash: string;
  dataType: 'image' | 'img_group' | 'video';
  title: string;
  units: DemoUnit[];
  createdAt: string;
}

export interface DemoScene {
  seed: number;
  projectHash: string;
  projectTitle: string;
  projectDescription: string;
  datasetHash: string;
  datasetTitle: string;
  classes: DemoClass[];
  timeOfDay: {
    featureNodeHash: string;
    attributeHash: string;
    options: { label: string; value: TimeOfDay; featureNodeHash: string }[];
  };
  labelRows: DemoLabelRow[];
}

const ANNOTATORS = [
  'ana.ribeiro@annotators.example',
  'kenji.mori@annotators.example',
  'lea.fischer@annotators.example',
];
const SIZES: [number, number][] = [
  [640, 480],
  [800, 600],
  [512, 384],
];
const CAR_COLOURS: Rgb[] = [
  [180, 30, 35],
  [30, 70, 160],
  [220, 220, 225],
  [40, 40, 45],
  [200, 160, 40],
  [60, 130, 70],
];
const SHIRTS: Rgb[] = [
  [200, 60, 60],
  [60, 90, 200],
  [240, 200, 60],
  [90, 170, 90],
  [230, 230, 230],
  [150, 80, 160],
];
const SKIN: Rgb[] = [
  [240, 200, 170],
  [200, 150, 110],
  [140, 95, 65],
  [95, 60, 40],
];
const COATS: Rgb[] = [
  [150, 100, 50],
  [60, 45, 35],
  [215, 190, 140],
  [240, 235, 225],
];
const SIGNS: SignKind[] = ['warning', 'stop', 'priority', 'speed'];

/** Times are fixed offsets from a fixed start, never the clock. */
const START_MS = Date.UTC(2023, 2, 1, 9, 0, 0);
const rfc1123 = (minutes: number) => new Date(START_MS + minutes * 60_000).toUTCString();

// ---------------------------------------------------------------- things to draw

type Thing =
  | { className: 'Car' | 'Pedestrian'; ground: number; draw(r: Raster): Extent }
  | { className: 'Dog' | 'Road sign'; ground: number; draw(r: Raster): PixelPoints };

interface Background {
  seed: number;
  horizon: number;
  timeOfDay: TimeOfDay;
  roadShift: number;
}

const SKY: Record<TimeOfDay, [Rgb, Rgb]> = {
  day: [
    [105, 155, 215],
    [195, 220, 240],
  ],
  dusk: [
    [70, 60, 120],
    [245, 150, 90],
  ],
  night: [
    [8, 10, 28],
    [30, 34, 62],
  ],
};
const LOOK: Record<TimeOfDay, { brightness: number; tint: Rgb; grain: number }> = {
  day: { brightness: 1, tint: [1, 1, 1], grain: 0 },
  dusk: { brightness: 0.72, tint: [1.08, 0.92, 0.85], grain: 0 },
  night: { brightness: 0.27, tint: [0.9, 0.95, 1.2], grain: 2.5 },
};

function drawBackground(r: Raster, bg: Background) {
  const rng = new Rng(bg.seed);
  const { width: w, height: h } = r;
  const horizon = Math.round(bg.horizon * h);
  const [skyTop, skyBottom] = SKY[bg.timeOfDay];
  r.verticalGradient(0, horizon, skyTop, skyBottom);
  r.valueNoise(rng, 96, 5, 0, horizon);
  r.verticalGradient(horizon, h, [95, 140, 70], [70, 120, 50]);
  const vanishing = w * (0.5 + bg.roadShift);
  r.polygon(
    [
      [vanishing - w * 0.02, horizon],
      [vanishing + w * 0.02, horizon],
      [w * 0.98, h],
      [w * 0.02, h],
    ],
    [105, 105, 110],
  );
  for (let k = 0; k < 8; k++) {
    const t0 = (k + 0.3) / 8;
    const t1 = (k + 0.7) / 8;
    const y0 = horizon + (h - horizon) * t0 * t0;
    const y1 = horizon + (h - horizon) * t1 * t1;
    const half0 = 0.004 * w * (1 + 6 * t0 * t0);
    const half1 = 0.004 * w * (1 + 6 * t1 * t1);
    const x0 = vanishing + (w * 0.5 - vanishing) * t0 * t0;
    const x1 = vanishing + (w * 0.5 - vanishing) * t1 * t1;
    r.polygon(
      [
        [x0 - half0, y0],
        [x0 + half0, y0],
        [x1 + half1, y1],
        [x1 - half1, y1],
      ],
      [235, 235, 225],
    );
  }
  r.valueNoise(rng, 24, 9, horizon, h);
}

function renderFrame(
  width: number,
  height: number,
  bg: Background,
  things: Thing[],
  look: DemoFrame['look'],
  grainSeed: number,
): Uint8Array {
  const r = new Raster(width, height);
  drawBackground(r, bg);
  for (const t of things) t.draw(r);
  const l = LOOK[look.timeOfDay];
  if (l.brightness !== 1) r.brightness(l.brightness, l.tint);
  if (l.grain > 0) r.grain(new Rng(grainSeed), l.grain);
  if (look.blur > 0) r.blur(look.blur);
  return r.toRgb8();
}

// ---------------------------------------------------------------- placing things

/** A thing at depth s in (0, 1] (0 = horizon, 1 = bottom edge), horizontally at u in [0, 1] of the free room. */
function makeThing(
  className: DemoClassName,
  s: number,
  u: number,
  w: number,
  h: number,
  horizon: number,
  rng: Rng,
): Thing {
  const ground = Math.min(h - 2, horizon * h + s * (1 - horizon) * h);
  switch (className) {
    case 'Car': {
      const width = Math.max(14, s * w * 0.45);
      const x = 2 + u * (w - width - 4);
      const style = { x, ground, width, body: rng.pick(CAR_COLOURS), facingRight: rng.chance(0.5) };
      return { className, ground, draw: (r) => drawCar(r, style) };
    }
    case 'Pedestrian': {
      const height = Math.max(12, s * h * 0.6);
      const x = 2 + 0.2 * height + u * (w - 0.4 * height - 4);
      const style = {
        x,
        ground,
        height,
        shirt: rng.pick(SHIRTS),
        trousers: [40, 45, 60] as Rgb,
        skin: rng.pick(SKIN),
        stride: rng.next(),
      };
      return { className, ground, draw: (r) => drawPedestrian(r, style) };
    }
    case 'Dog': {
      const length = Math.max(14, s * w * 0.22);
      const x = 2 + u * (w - length - 4);
      const style = { x, ground, length, coat: rng.pick(COATS), facingRight: rng.chance(0.5) };
      return { className, ground, draw: (r) => drawDog(r, style) };
    }
    case 'Road sign': {
      const size = Math.max(9, s * h * 0.16);
      const x = 2 + 0.6 * size + u * (w - 1.2 * size - 4);
      const style = { x, ground, size, kind: rng.pick(SIGNS) };
      return { className, ground, draw: (r) => drawSign(r, style) };
    }
  }
}

interface Measured {
  thing: Thing;
  extent: [number, number, number, number];
  polygon?: PixelPoints;
}

function measure(thing: Thing, w: number, h: number): Measured {
  const probe = new Raster(w, h, true);
  const out = thing.draw(probe);
  if (Array.isArray(out)) {
    const xs = out.map((p) => p[0]);
    const ys = out.map((p) => p[1]);
    return {
      thing,
      polygon: out,
      extent: [
        Math.floor(Math.min(...xs)),
        Math.floor(Math.min(...ys)),
        Math.ceil(Math.max(...xs)),
        Math.ceil(Math.max(...ys)),
      ],
    };
  }
  return { thing, extent: [out.x0, out.y0, out.x1, out.y1] };
}

const overlapTooMuch = (a: Measured['extent'], b: Measured['extent']) => {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return false;
  const inter = iw * ih;
  const area = (e: Measured['extent']) => (e[2] - e[0]) * (e[3] - e[1]);
  return inter > 0.12 * Math.min(area(a), area(b));
};

/** Places the wanted things without heavy overlap (up to 40 tries each), far ones first so near ones cover them. */
function placeThings(wanted: DemoClassName[], w: number, h: number, horizon: number, rng: Rng): Measured[] {
  const placed: Measured[] = [];
  for (const className of wanted) {
    for (let attempt = 0; attempt < 40; attempt++) {
      const s = rng.range(0.08, 1);
      const m = measure(makeThing(className, s, rng.next(), w, h, horizon, rng), w, h);
      if (placed.every((p) => !overlapTooMuch(p.extent, m.extent))) {
        placed.push(m);
        break;
      }
    }
  }
  return placed.sort((a, b) => a.thing.ground - b.thing.ground);
}

// ---------------------------------------------------------------- the scene

class SceneBuilder {
  readonly rng: Rng;
  readonly classes: DemoClass[];
  readonly byName: Map<DemoClassName, DemoClass>;
  #clock = 0;
  constructor(seed: number) {
    this.rng = new Rng(seed);
    const rows: [DemoClassName, DemoClass['shape'], string][] = [
      ['Car', 'bounding_box', '#D33115'],
      ['Pedestrian', 'bounding_box', '#E27300'],
      ['Dog', 'polygon', '#68BC00'],
      ['Road sign', 'polygon', '#009CE0'],
    ];
    this.classes = rows.map(([name, shape, color], i) => ({
      id: String(i + 1),
      name,
      shape,
      color,
      featureNodeHash: shortHash(this.rng),
    }));
    this.byName = new Map(this.classes.map((c) => [c.name, c]));
  }
  /** Annotation times move forward a few minutes per label, like a person working through a queue. */
  tick(): string {
    this.#clock += this.rng.int(1, 9);
    return rfc1123(this.#clock);
  }
  label(m: Measured, w: number, h: number, objectHash = shortHash(this.rng)): DemoLabel {
    const c = this.byName.get(m.thing.className)!;
    const [x0, y0, x1, y1] = m.extent;
    const label: DemoLabel = {
      objectHash,
      className: c.name,
      featureHash: c.featureNodeHash,
      shape: c.shape,
      pixelBox: [x0, y0, x1, y1],
      createdBy: this.rng.pick(ANNOTATORS),
      createdAt: this.tick(),
    };
    if (m.polygon) label.polygon = m.polygon.map(([x, y]) => [x / w, y / h]);
    else label.box = { x: x0 / w, y: y0 / h, w: (x1 - x0) / w, h: (y1 - y0) / h };
    return label;
  }
}

function wantedThings(rng: Rng): DemoClassName[] {
  const wanted: DemoClassName[] = [];
  for (let i = rng.int(1, 4); i > 0; i--) wanted.push('Car');
  for (let i = rng.int(0, 3); i > 0; i--) wanted.push('Pedestrian');
  if (rng.chance(0.45)) wanted.push('Dog');
  for (let i = rng.int(0, 2); i > 0; i--) wanted.push('Road sign');
  return wanted;
}

function shuffled<T>(items: T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export const DEMO_IMAGE_COUNT = 30;
export const DEMO_GROUP_SIZE = 4;
export const DEMO_VIDEO_FRAMES = 12;

export function buildDemoScene(seed = DEMO_SEED): DemoScene {
  const b = new SceneBuilder(seed);
  const rng = b.rng;
  const timeOfDay = {
    featureNodeHash: shortHash(rng),
    attributeHash: shortHash(rng),
    options: (['Day', 'Dusk', 'Night'] as const).map((label) => ({
      label,
      value: label.toLowerCase() as TimeOfDay,
      featureNodeHash: shortHash(rng),
    })),
  };
  const scene: DemoScene = {
    seed,
    projectHash: uuid4(rng),
    projectTitle: 'predlens demo',
    projectDescription: 'Street scenes drawn by scripts/make-demo.ts: cars, pedestrians, dogs and road signs.',
    datasetHash: uuid4(rng),
    datasetTitle: 'demo streets',
    classes: b.classes,
    timeOfDay,
    labelRows: [],
  };
  const answer = (value: TimeOfDay, classificationHash = shortHash(rng)) => ({
    value,
    classificationHash,
    createdBy: rng.pick(ANNOTATORS),
    createdAt: b.tick(),
  });

  // Single images: a fixed mix of looks, shuffled; a few left unclassified.
  const looks = shuffled(
    Array.from({ length: DEMO_IMAGE_COUNT }, (_, i): TimeOfDay => (i < 18 ? 'day' : i < 24 ? 'dusk' : 'night')),
    rng,
  );
  const blurred = new Set(shuffled([...Array(DEMO_IMAGE_COUNT).keys()], rng).slice(0, 6));
  const unanswered = new Set(shuffled([...Array(DEMO_IMAGE_COUNT).keys()], rng).slice(0, 4));
  for (let i = 0; i < DEMO_IMAGE_COUNT; i++) {
    const [w, h] = SIZES[i % SIZES.length];
    const bg: Background = {
      seed: rng.int(1, 2 ** 31),
      horizon: rng.range(0.38, 0.5),
      timeOfDay: looks[i],
      roadShift: rng.range(-0.15, 0.15),
    };
    const placed = placeThings(wantedThings(rng), w, h, bg.horizon, rng);
    const look = { timeOfDay: looks[i], blur: blurred.has(i) ? rng.int(2, 3) : 0 };
    const grainSeed = rng.int(1, 2 ** 31);
    const labels = placed.map((m) => b.label(m, w, h));
    const things = placed.map((m) => m.thing);
    const frame: DemoFrame = {
      frame: 0,
      labels,
      ...(unanswered.has(i) ? {} : { timeOfDay: answer(looks[i]) }),
      look,
      render: () => renderFrame(w, h, bg, things, look, grainSeed),
      renderBackground: () => renderFrame(w, h, bg, [], look, grainSeed),
    };
    const dataHash = uuid4(rng);
    scene.labelRows.push({
      labelHash: uuid4(rng),
      dataHash,
      dataType: 'image',
      title: `street_${String(i + 1).padStart(3, '0')}.png`,
      units: [
        {
          dataHash,
          title: `street_${String(i + 1).padStart(3, '0')}.png`,
          width: w,
          height: h,
          sequence: 0,
          frames: [frame],
        },
      ],
      createdAt: b.tick(),
    });
  }

  scene.labelRows.push(buildImageGroup(b, answer));
  scene.labelRows.push(buildVideo(b, answer));
  return scene;
}

/** Four cameras over one crossing: the same things seen with a horizontal pan. */
function buildImageGroup(b: SceneBuilder, answer: (v: TimeOfDay) => DemoFrame['timeOfDay']): DemoLabelRow {
  const rng = b.rng;
  const [w, h] = SIZES[0];
  const bg: Background = { seed: rng.int(1, 2 ** 31), horizon: 0.42, timeOfDay: 'day', roadShift: 0 };
  const base: { className: DemoClassName; s: number; u: number; seed: number }[] = [
    { className: 'Car', s: 0.75, u: 0.15, seed: rng.int(1, 2 ** 31) },
    { className: 'Car', s: 0.3, u: 0.7, seed: rng.int(1, 2 ** 31) },
    { className: 'Pedestrian', s: 0.55, u: 0.85, seed: rng.int(1, 2 ** 31) },
    { className: 'Road sign', s: 0.4, u: 0.05, seed: rng.int(1, 2 ** 31) },
  ];
  const units: DemoUnit[] = [];
  for (let k = 0; k < DEMO_GROUP_SIZE; k++) {
    const pan = (k - 1.5) * 0.06;
    const placed = base
      .map((t) =>
        measure(
          makeThing(t.className, t.s, Math.min(1, Math.max(0, t.u + pan)), w, h, bg.horizon, new Rng(t.seed)),
          w,
          h,
        ),
      )
      .sort((a, c) => a.thing.ground - c.thing.ground);
    const look = { timeOfDay: 'day' as TimeOfDay, blur: k === 3 ? 2 : 0 };
    const grainSeed = rng.int(1, 2 ** 31);
    const things = placed.map((m) => m.thing);
    const shifted = { ...bg, roadShift: -pan };
    units.push({
      dataHash: uuid4(rng),
      title: `crossing_cam_${k + 1}.png`,
      width: w,
      height: h,
      sequence: k,
      frames: [
        {
          frame: k,
          labels: placed.map((m) => b.label(m, w, h)),
          timeOfDay: answer('day'),
          look,
          render: () => renderFrame(w, h, shifted, things, look, grainSeed),
          renderBackground: () => renderFrame(w, h, shifted, [], look, grainSeed),
        },
      ],
    });
  }
  return {
    labelHash: uuid4(rng),
    dataHash: uuid4(rng),
    dataType: 'img_group',
    title: 'crossing cameras',
    units,
    createdAt: b.tick(),
  };
}

/** A car driving across, a pedestrian walking the other way, a dog trotting in halfway, a sign standing still. */
function buildVideo(b: SceneBuilder, answer: (v: TimeOfDay, hash?: string) => DemoFrame['timeOfDay']): DemoLabelRow {
  const rng = b.rng;
  const [w, h] = SIZES[2];
  const bg: Background = { seed: rng.int(1, 2 ** 31), horizon: 0.45, timeOfDay: 'dusk', roadShift: 0.05 };
  const seeds = {
    car: rng.int(1, 2 ** 31),
    person: rng.int(1, 2 ** 31),
    dog: rng.int(1, 2 ** 31),
    sign: rng.int(1, 2 ** 31),
  };
  const tracks = { car: shortHash(rng), person: shortHash(rng), dog: shortHash(rng), sign: shortHash(rng) };
  const classificationHash = shortHash(rng);
  const frames: DemoFrame[] = [];
  for (let f = 0; f < DEMO_VIDEO_FRAMES; f++) {
    const t = f / (DEMO_VIDEO_FRAMES - 1);
    const parts: { m: Measured; track: string }[] = [
      {
        m: measure(makeThing('Car', 0.7, 0.05 + 0.85 * t, w, h, bg.horizon, new Rng(seeds.car)), w, h),
        track: tracks.car,
      },
      {
        m: measure(makeThing('Pedestrian', 0.45, 0.8 - 0.3 * t, w, h, bg.horizon, new Rng(seeds.person)), w, h),
        track: tracks.person,
      },
      {
        m: measure(makeThing('Road sign', 0.25, 0.12, w, h, bg.horizon, new Rng(seeds.sign)), w, h),
        track: tracks.sign,
      },
    ];
    if (f >= 4)
      parts.push({
        m: measure(makeThing('Dog', 0.9, 0.95 - 0.08 * (f - 4), w, h, bg.horizon, new Rng(seeds.dog)), w, h),
        track: tracks.dog,
      });
    parts.sort((a, c) => a.m.thing.ground - c.m.thing.ground);
    const look = { timeOfDay: 'dusk' as TimeOfDay, blur: 0 };
    const grainSeed = rng.int(1, 2 ** 31);
    const things = parts.map((p) => p.m.thing);
    frames.push({
      frame: f,
      labels: parts.map((p) => b.label(p.m, w, h, p.track)),
      timeOfDay: answer('dusk', classificationHash),
      look,
      render: () => renderFrame(w, h, bg, things, look, grainSeed),
      renderBackground: () => renderFrame(w, h, bg, [], look, grainSeed),
    });
  }
  const dataHash = uuid4(rng);
  return {
    labelHash: uuid4(rng),
    dataHash,
    dataType: 'video',
    title: 'crossing_dusk.mp4',
    units: [{ dataHash, title: 'crossing_dusk.mp4', width: w, height: h, sequence: 0, frames }],
    createdAt: b.tick(),
  };
}
