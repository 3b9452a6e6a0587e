// An RGB drawing surface for the demo scenes. Shapes fill the pixels whose centres they contain, and report the
// pixel extent they touched, so a label can be made to fit what was drawn exactly.
import type { Rng } from './prng.ts';

export type Rgb = readonly [number, number, number];

/** Pixel extent, x1/y1 exclusive. */
export interface Extent {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export const emptyExtent = (): Extent => ({ x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity });

export class Raster {
  readonly data: Float32Array;
  readonly #measureOnly: boolean;
  /** `measureOnly`: no pixels, shapes only report their extents (labels without rendering). */
  constructor(
    readonly width: number,
    readonly height: number,
    measureOnly = false,
  ) {
    this.#measureOnly = measureOnly;
    this.data = new Float32Array(measureOnly ? 0 : width * height * 3);
  }

  #set(x: number, y: number, c: Rgb, extent?: Extent) {
    if (!this.#measureOnly) {
      const i = (y * this.width + x) * 3;
      this.data[i] = c[0];
      this.data[i + 1] = c[1];
      this.data[i + 2] = c[2];
    }
    if (extent) {
      if (x < extent.x0) extent.x0 = x;
      if (y < extent.y0) extent.y0 = y;
      if (x + 1 > extent.x1) extent.x1 = x + 1;
      if (y + 1 > extent.y1) extent.y1 = y + 1;
    }
  }

  /** Fills the row span [y0, y1) with a vertical blend from `top` to `bottom`. */
  verticalGradient(y0: number, y1: number, top: Rgb, bottom: Rgb) {
    for (let y = Math.max(0, y0); y < Math.min(this.height, y1); y++) {
      const t = y1 - y0 > 1 ? (y - y0) / (y1 - y0 - 1) : 0;
      const c: Rgb = [
        top[0] + (bottom[0] - top[0]) * t,
        top[1] + (bottom[1] - top[1]) * t,
        top[2] + (bottom[2] - top[2]) * t,
      ];
      for (let x = 0; x < this.width; x++) this.#set(x, y, c);
    }
  }

  /** Integer-cornered rectangle [x0, x1) x [y0, y1). */
  rect(x0: number, y0: number, x1: number, y1: number, c: Rgb, extent?: Extent) {
    const xa = Math.max(0, Math.round(x0));
    const xb = Math.min(this.width, Math.round(x1));
    const ya = Math.max(0, Math.round(y0));
    const yb = Math.min(this.height, Math.round(y1));
    for (let y = ya; y < yb; y++) for (let x = xa; x < xb; x++) this.#set(x, y, c, extent);
  }

  circle(cx: number, cy: number, r: number, c: Rgb, extent?: Extent) {
    const ya = Math.max(0, Math.floor(cy - r));
    const yb = Math.min(this.height - 1, Math.ceil(cy + r));
    for (let y = ya; y <= yb; y++) {
      for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(this.width - 1, Math.ceil(cx + r)); x++) {
        const dx = x + 0.5 - cx;
        const dy = y + 0.5 - cy;
        if (dx * dx + dy * dy <= r * r) this.#set(x, y, c, extent);
      }
    }
  }

  /** Even-odd fill of a polygon given in pixel coordinates; pixel (x, y) is in when its centre is. */
  polygon(points: readonly (readonly [number, number])[], c: Rgb, extent?: Extent) {
    let minY = Infinity;
    let maxY = -Infinity;
    for (const [, y] of points) {
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    const xs: number[] = [];
    for (let y = Math.max(0, Math.floor(minY)); y <= Math.min(this.height - 1, Math.ceil(maxY)); y++) {
      const sy = y + 0.5;
      xs.length = 0;
      for (let i = 0; i < points.length; i++) {
        const [ax, ay] = points[i];
        const [bx, by] = points[(i + 1) % points.length];
        if ((ay <= sy && by > sy) || (by <= sy && ay > sy)) xs.push(ax + ((sy - ay) / (by - ay)) * (bx - ax));
      }
      xs.sort((a, b) => a - b);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        // Pixel centres x + 0.5 in [xs[k], xs[k+1]).
        const from = Math.max(0, Math.ceil(xs[k] - 0.5));
        const to = Math.min(this.width - 1, Math.ceil(xs[k + 1] - 0.5) - 1);
        for (let x = from; x <= to; x++) this.#set(x, y, c, extent);
      }
    }
  }

  /** Low-frequency texture: random values on a coarse grid, bilinearly interpolated, added to rows [y0, y1). */
  valueNoise(rng: Rng, cell: number, amplitude: number, y0 = 0, y1 = this.height) {
    const gw = Math.ceil(this.width / cell) + 2;
    const gh = Math.ceil(this.height / cell) + 2;
    const grid = Float32Array.from({ length: gw * gh }, () => rng.range(-amplitude, amplitude));
    for (let y = Math.max(0, y0); y < Math.min(this.height, y1); y++) {
      const gy = y / cell;
      const j = Math.floor(gy);
      const fy = gy - j;
      for (let x = 0; x < this.width; x++) {
        const gx = x / cell;
        const i = Math.floor(gx);
        const fx = gx - i;
        const v =
          grid[j * gw + i] * (1 - fx) * (1 - fy) +
          grid[j * gw + i + 1] * fx * (1 - fy) +
          grid[(j + 1) * gw + i] * (1 - fx) * fy +
          grid[(j + 1) * gw + i + 1] * fx * fy;
        const p = (y * this.width + x) * 3;
        this.data[p] += v;
        this.data[p + 1] += v;
        this.data[p + 2] += v;
      }
    }
  }

  /** Per-pixel sensor noise (what night shots have). */
  grain(rng: Rng, amplitude: number) {
    for (let i = 0; i < this.data.length; i += 3) {
      const v = rng.range(-amplitude, amplitude);
      this.data[i] += v;
      this.data[i + 1] += v;
      this.data[i + 2] += v;
    }
  }

  /** Multiplies every channel: < 1 darkens. */
  brightness(factor: number, tint: Rgb = [1, 1, 1]) {
    for (let i = 0; i < this.data.length; i += 3) {
      this.data[i] *= factor * tint[0];
      this.data[i + 1] *= factor * tint[1];
      this.data[i + 2] *= factor * tint[2];
    }
  }

  /** Three box-blur passes of the given radius: close to a Gaussian, so the image loses its sharp edges. */
  blur(radius: number) {
    const { width: w, height: h } = this;
    const tmp = new Float32Array(this.data.length);
    const size = 2 * radius + 1;
    // One running-sum pass along `count` lines of `n` samples; sample k of a line is at base + k * step (x3 channels).
    const pass = (src: Float32Array, dst: Float32Array, n: number, lines: number, lineStep: number, step: number) => {
      for (let line = 0; line < lines; line++) {
        const base = line * lineStep;
        for (let ch = 0; ch < 3; ch++) {
          const at = (k: number) => base + (k < 0 ? 0 : k >= n ? n - 1 : k) * step + ch;
          let sum = 0;
          for (let k = -radius; k <= radius; k++) sum += src[at(k)];
          for (let k = 0; k < n; k++) {
            dst[base + k * step + ch] = sum / size;
            sum += src[at(k + radius + 1)] - src[at(k - radius)];
          }
        }
      }
    };
    for (let i = 0; i < 3; i++) {
      pass(this.data, tmp, w, h, w * 3, 3);
      pass(tmp, this.data, h, w, 3, w * 3);
    }
  }

  toRgb8(): Uint8Array {
    const out = new Uint8Array(this.data.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(this.data[i])));
    return out;
  }
}
