// numpy's float64 summation, so means agree to the last bit with np.sum / np.mean (spec: coco-eval.md "How the mean
// is summed"): pairwise with 8-way unrolled blocks of at most 128, inside chunks of 8192 elements.
//
// The chunks: np.add.reduce walks a contiguous array through its iterator's buffer (8192 elements by default) and
// adds each chunk's pairwise sum to the running total. Checked on the large COCO case: AP small there (80,800 values)
// is 0.23528906395934354 in pycocotools, which only the chunked sum reproduces; one pairwise sum over all 80,800
// values gives 0.23528906395934365.

function pairwise(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    let r0 = a[start];
    let r1 = a[start + 1];
    let r2 = a[start + 2];
    let r3 = a[start + 3];
    let r4 = a[start + 4];
    let r5 = a[start + 5];
    let r6 = a[start + 6];
    let r7 = a[start + 7];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const p = start + i;
      r0 += a[p];
      r1 += a[p + 1];
      r2 += a[p + 2];
      r3 += a[p + 3];
      r4 += a[p + 4];
      r5 += a[p + 5];
      r6 += a[p + 6];
      r7 += a[p + 7];
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise(a, start, n2) + pairwise(a, start + n2, n - n2);
}

/** numpy's default ufunc buffer size (np.getbufsize()). */
const BUFFER_SIZE = 8192;

/** np.sum of the first n values (n defaults to all): +0.0, plus the pairwise sum of each 8192-element chunk. */
export function numpySum(a: ArrayLike<number>, n = a.length): number {
  let sum = 0;
  for (let start = 0; start < n; start += BUFFER_SIZE) sum += pairwise(a, start, Math.min(BUFFER_SIZE, n - start));
  return sum;
}

/** np.mean of the first n values; NaN for none, as numpy gives (with a warning). */
export function numpyMean(a: ArrayLike<number>, n = a.length): number {
  return numpySum(a, n) / n;
}
