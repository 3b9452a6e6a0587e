// Whole-image statistics for the image quality metrics, in one pass over RGBA pixels.
//
// imageStats(rgbaPtr, width, height, outPtr) reads width*height RGBA pixels (alpha ignored, as cv2.imread drops it)
// and writes 8 f64 values at outPtr:
//   [0] sum of all R, G and B values          [1] sum of their squares
//   [2] sum of the 3x3 Laplacian [0,1,0;1,-4,1;0,1,0] over every pixel and channel, border reflect-101 (OpenCV's
//       default for cv2.Laplacian)             [3] sum of its squares
//   [4..6] pixel counts inside OpenCV's 8-bit HSV ranges for red, green and blue (see colourRange)
//   [7] the number of pixels
// The sums are exact integers in f64 for any image below 2^33 pixels.

const HSV_SHIFT: i32 = 12;
let tablesReady = false;
const sdiv = new StaticArray<i32>(256);
const hdiv = new StaticArray<i32>(256);

function prepareTables(): void {
  // OpenCV's fixed-point reciprocals for RGB -> HSV on 8-bit images (hue range 180).
  unchecked((sdiv[0] = 0));
  unchecked((hdiv[0] = 0));
  for (let i = 1; i < 256; i++) {
    unchecked((sdiv[i] = <i32>Math.round(<f64>(255 << HSV_SHIFT) / <f64>i)));
    unchecked((hdiv[i] = <i32>Math.round(<f64>(180 << HSV_SHIFT) / (6.0 * <f64>i))));
  }
  tablesReady = true;
}

// @ts-ignore: decorator
@inline
function reflect101(i: i32, n: i32): i32 {
  if (n == 1) return 0;
  if (i < 0) return -i;
  if (i >= n) return 2 * n - 2 - i;
  return i;
}

/** Which of the red (1), green (2) or blue (4) ranges a pixel's OpenCV HSV value falls in. */
// @ts-ignore: decorator
@inline
function colourRange(r: i32, g: i32, b: i32): i32 {
  let v = max(max(r, g), b);
  const vmin = min(min(r, g), b);
  const diff = v - vmin;
  const s = (diff * unchecked(sdiv[v]) + (1 << (HSV_SHIFT - 1))) >> HSV_SHIFT;
  let h: i32;
  if (v == r) h = g - b;
  else if (v == g) h = b - r + 2 * diff;
  else h = r - g + 4 * diff;
  h = (h * unchecked(hdiv[diff]) + (1 << (HSV_SHIFT - 1))) >> HSV_SHIFT;
  if (h < 0) h += 180;
  if (s < 50 || v < 20) return 0;
  if (h <= 10 || (h >= 170 && h <= 179)) return 1;
  if (h >= 35 && h <= 75) return 2;
  if (h >= 90 && h <= 130) return 4;
  return 0;
}

export function imageStats(rgba: usize, width: i32, height: i32, out: usize): void {
  if (!tablesReady) prepareTables();
  let sum: u64 = 0;
  let sumSq: u64 = 0;
  let lapSum: i64 = 0;
  let lapSq: u64 = 0;
  let red: i32 = 0;
  let green: i32 = 0;
  let blue: i32 = 0;
  const stride = <usize>width << 2;
  for (let y = 0; y < height; y++) {
    const row = rgba + <usize>y * stride;
    const up = rgba + <usize>reflect101(y - 1, height) * stride;
    const down = rgba + <usize>reflect101(y + 1, height) * stride;
    for (let x = 0; x < width; x++) {
      const p = row + (<usize>x << 2);
      const left = row + (<usize>reflect101(x - 1, width) << 2);
      const right = row + (<usize>reflect101(x + 1, width) << 2);
      const ox = <usize>x << 2;
      for (let c: usize = 0; c < 3; c++) {
        const v = <i32>load<u8>(p + c);
        sum += <u64>v;
        sumSq += <u64>(v * v);
        const lap =
          <i32>load<u8>(up + ox + c) + <i32>load<u8>(down + ox + c) + <i32>load<u8>(left + c) + <i32>load<u8>(right + c) - 4 * v;
        lapSum += <i64>lap;
        lapSq += <u64>(lap * lap);
      }
      const range = colourRange(<i32>load<u8>(p), <i32>load<u8>(p + 1), <i32>load<u8>(p + 2));
      if (range == 1) red++;
      else if (range == 2) green++;
      else if (range == 4) blue++;
    }
  }
  store<f64>(out, <f64>sum);
  store<f64>(out + 8, <f64>sumSq);
  store<f64>(out + 16, <f64>lapSum);
  store<f64>(out + 24, <f64>lapSq);
  store<f64>(out + 32, <f64>red);
  store<f64>(out + 40, <f64>green);
  store<f64>(out + 48, <f64>blue);
  store<f64>(out + 56, <f64>width * <f64>height);
}
