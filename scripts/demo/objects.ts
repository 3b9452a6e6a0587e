// The things in a demo scene, drawn from simple shapes. Each drawer returns the geometry its label uses: the
// pixel extent of everything it drew (boxes) or the outline it filled (polygons), so overlays land exactly.
import { emptyExtent, type Extent, type Raster, type Rgb } from './raster.ts';

export type PixelPoints = [number, number][];

const shade = (c: Rgb, f: number): Rgb => [c[0] * f, c[1] * f, c[2] * f];
/** Keeps polygon vertices short in JSON while the fill uses exactly the stored values. */
const q = (v: number) => Math.round(v * 100) / 100;

export interface CarStyle {
  x: number;
  ground: number;
  width: number;
  body: Rgb;
  facingRight: boolean;
}

export function drawCar(r: Raster, s: CarStyle): Extent {
  const e = emptyExtent();
  const w = Math.round(s.width);
  const x = Math.round(s.x);
  const g = Math.round(s.ground);
  const mirror = (a: number, b: number): [number, number] =>
    s.facingRight ? [x + a * w, x + b * w] : [x + (1 - b) * w, x + (1 - a) * w];
  const [cabin0, cabin1] = mirror(0.2, 0.75);
  r.rect(cabin0, g - 0.5 * w, cabin1, g - 0.3 * w, shade(s.body, 0.85), e);
  const [win0, win1] = mirror(0.25, 0.46);
  const [win2, win3] = mirror(0.5, 0.7);
  r.rect(win0, g - 0.46 * w, win1, g - 0.33 * w, [170, 200, 220], e);
  r.rect(win2, g - 0.46 * w, win3, g - 0.33 * w, [170, 200, 220], e);
  r.rect(x, g - 0.33 * w, x + w, g - 0.08 * w, s.body, e);
  const [light0, light1] = mirror(0.93, 1);
  r.rect(light0, g - 0.29 * w, light1, g - 0.23 * w, [250, 240, 180], e);
  const wheel = 0.11 * w;
  for (const at of [0.22, 0.78]) {
    r.circle(x + at * w, g - wheel, wheel, [25, 25, 28], e);
    r.circle(x + at * w, g - wheel, wheel * 0.45, [150, 150, 155], e);
  }
  return e;
}

export interface PedestrianStyle {
  x: number;
  ground: number;
  height: number;
  shirt: Rgb;
  trousers: Rgb;
  skin: Rgb;
  /** Walking phase in [0, 1): moves the legs apart. */
  stride: number;
}

export function drawPedestrian(r: Raster, s: PedestrianStyle): Extent {
  const e = emptyExtent();
  const h = s.height;
  const cx = s.x;
  const top = s.ground - h;
  const legW = Math.max(1, 0.09 * h);
  const spread = 0.05 * h * Math.sin(s.stride * 2 * Math.PI);
  r.rect(cx - 0.11 * h + spread, top + 0.55 * h, cx - 0.11 * h + spread + legW, s.ground, s.trousers, e);
  r.rect(cx + 0.02 * h - spread, top + 0.55 * h, cx + 0.02 * h - spread + legW, s.ground, s.trousers, e);
  r.rect(cx - 0.14 * h, top + 0.17 * h, cx + 0.14 * h, top + 0.57 * h, s.shirt, e);
  r.rect(cx - 0.2 * h, top + 0.19 * h, cx - 0.14 * h, top + 0.5 * h, shade(s.shirt, 0.8), e);
  r.rect(cx + 0.14 * h, top + 0.19 * h, cx + 0.2 * h, top + 0.5 * h, shade(s.shirt, 0.8), e);
  r.circle(cx, top + 0.085 * h, 0.085 * h, s.skin, e);
  return e;
}

// A dog in side view, facing right, feet on y = 0, one unit long; y grows upwards.
const DOG: readonly [number, number][] = [
  [0.0, 0.55],
  [0.12, 0.45],
  [0.2, 0.48],
  [0.6, 0.5],
  [0.72, 0.55],
  [0.76, 0.72],
  [0.8, 0.84],
  [0.86, 0.74],
  [1.0, 0.62],
  [0.96, 0.56],
  [0.84, 0.54],
  [0.8, 0.38],
  [0.8, 0.0],
  [0.72, 0.0],
  [0.7, 0.26],
  [0.32, 0.26],
  [0.3, 0.0],
  [0.2, 0.0],
  [0.16, 0.3],
  [0.1, 0.42],
  [0.02, 0.5],
];

export interface DogStyle {
  x: number;
  ground: number;
  length: number;
  coat: Rgb;
  facingRight: boolean;
}

export function drawDog(r: Raster, s: DogStyle): PixelPoints {
  const outline: PixelPoints = DOG.map(([u, v]) => [
    q(s.x + (s.facingRight ? u : 1 - u) * s.length),
    q(s.ground - v * s.length),
  ]);
  r.polygon(outline, s.coat);
  const eyeU = s.facingRight ? 0.88 : 0.12;
  r.circle(s.x + eyeU * s.length, s.ground - 0.66 * s.length, Math.max(0.6, 0.025 * s.length), [20, 15, 10]);
  return outline;
}

export type SignKind = 'warning' | 'stop' | 'priority' | 'speed';

export interface SignStyle {
  x: number;
  ground: number;
  size: number;
  kind: SignKind;
}

/** Regular polygon around (cx, cy) with radius r, first vertex at angle `start` (radians, y down). */
function regular(cx: number, cy: number, radius: number, n: number, start: number): PixelPoints {
  return Array.from({ length: n }, (_, i) => {
    const a = start + (i * 2 * Math.PI) / n;
    return [q(cx + radius * Math.cos(a)), q(cy + radius * Math.sin(a))] as [number, number];
  });
}

/** Draws the pole and the sign face; the label is the face's outline, not the pole. */
export function drawSign(r: Raster, s: SignStyle): PixelPoints {
  const size = s.size;
  const faceCentreY = s.ground - 1.6 * size;
  r.rect(s.x - Math.max(1, size * 0.05), faceCentreY, s.x + Math.max(1, size * 0.05), s.ground, [120, 120, 125]);
  const half = size / 2;
  let outer: PixelPoints;
  let border: Rgb;
  let fill: Rgb;
  let inner: PixelPoints;
  switch (s.kind) {
    case 'warning':
      outer = regular(s.x, faceCentreY + half * 0.2, half * 1.15, 3, -Math.PI / 2);
      inner = regular(s.x, faceCentreY + half * 0.2, half * 0.8, 3, -Math.PI / 2);
      border = [200, 30, 30];
      fill = [245, 245, 240];
      break;
    case 'stop':
      outer = regular(s.x, faceCentreY, half, 8, Math.PI / 8);
      inner = regular(s.x, faceCentreY, half * 0.85, 8, Math.PI / 8);
      border = [240, 240, 240];
      fill = [200, 25, 25];
      break;
    case 'priority':
      outer = regular(s.x, faceCentreY, half, 4, -Math.PI / 2);
      inner = regular(s.x, faceCentreY, half * 0.7, 4, -Math.PI / 2);
      border = [245, 245, 240];
      fill = [240, 190, 20];
      break;
    default:
      outer = regular(s.x, faceCentreY, half, 20, 0);
      inner = regular(s.x, faceCentreY, half * 0.78, 20, 0);
      border = [200, 30, 30];
      fill = [245, 245, 240];
  }
  r.polygon(outer, border);
  r.polygon(inner, fill);
  return outer;
}
