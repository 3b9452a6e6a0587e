// Image moments and the 7 Hu invariants of a mask, as cv2.moments (binaryImage=False) and cv2.HuMoments give them.
// Encord Active fills each polygon with 255, so the intensity scale enters the normalised moments; keep `value`.

/** Hu moments of the pixels of `mask` (width x height, row-major) that are non-zero, each weighted by `value`. */
export function huMomentsOfMask(mask: Uint8Array, width: number, height: number, value = 255): Float64Array {
  let m00 = 0,
    m10 = 0,
    m01 = 0,
    m20 = 0,
    m11 = 0,
    m02 = 0,
    m30 = 0,
    m21 = 0,
    m12 = 0,
    m03 = 0;
  for (let y = 0; y < height; y++) {
    // Per row: sums of x^k over the set pixels, then weighted by y^k (OpenCV accumulates the same way).
    let x0 = 0,
      x1 = 0,
      x2 = 0,
      x3 = 0;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (mask[row + x] !== 0) {
        x0 += 1;
        x1 += x;
        x2 += x * x;
        x3 += x * x * x;
      }
    }
    if (x0 === 0) continue;
    const py = y,
      py2 = y * y,
      py3 = y * y * y;
    m00 += x0;
    m10 += x1;
    m01 += x0 * py;
    m20 += x2;
    m11 += x1 * py;
    m02 += x0 * py2;
    m30 += x3;
    m21 += x2 * py;
    m12 += x1 * py2;
    m03 += x0 * py3;
  }
  [m00, m10, m01, m20, m11, m02, m30, m21, m12, m03] = [m00, m10, m01, m20, m11, m02, m30, m21, m12, m03].map(
    (m) => m * value,
  );
  return huFromRawMoments(m00, m10, m01, m20, m11, m02, m30, m21, m12, m03);
}

export function huFromRawMoments(
  m00: number,
  m10: number,
  m01: number,
  m20: number,
  m11: number,
  m02: number,
  m30: number,
  m21: number,
  m12: number,
  m03: number,
): Float64Array {
  const hu = new Float64Array(7);
  if (m00 === 0) return hu;
  const cx = m10 / m00;
  const cy = m01 / m00;
  const mu20 = m20 - m10 * cx;
  const mu11 = m11 - m10 * cy;
  const mu02 = m02 - m01 * cy;
  const mu30 = m30 - cx * (3 * mu20 + cx * m10);
  const mu21 = m21 - cx * (2 * mu11 + cx * m01) - cy * mu20;
  const mu12 = m12 - cy * (2 * mu11 + cy * m10) - cx * mu02;
  const mu03 = m03 - cy * (3 * mu02 + cy * m01);
  const inv2 = 1 / (m00 * m00);
  const inv3 = inv2 / Math.sqrt(Math.abs(m00));
  const n20 = mu20 * inv2,
    n11 = mu11 * inv2,
    n02 = mu02 * inv2;
  const n30 = mu30 * inv3,
    n21 = mu21 * inv3,
    n12 = mu12 * inv3,
    n03 = mu03 * inv3;
  const t0 = n30 + n12,
    t1 = n21 + n03;
  const q0 = t0 * t0,
    q1 = t1 * t1;
  const n4 = 4 * n11;
  const s = n20 + n02,
    d = n20 - n02;
  hu[0] = s;
  hu[1] = d * d + n4 * n11;
  hu[3] = q0 + q1;
  hu[5] = d * (q0 - q1) + n4 * t0 * t1;
  const a = n30 - 3 * n12,
    b = 3 * n21 - n03;
  hu[2] = a * a + b * b;
  hu[4] = a * t0 * (q0 - 3 * q1) + b * t1 * (3 * q0 - q1);
  hu[6] = b * t0 * (q0 - 3 * q1) - a * t1 * (3 * q0 - q1);
  return hu;
}
