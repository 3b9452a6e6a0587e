// The arithmetic EA's numbers depend on, checked against numpy 1.24 / Python 3.11 answers
// (generated with /usr/bin/python3; the commands are in the comments).
import { describe, expect, it } from 'vitest';
import { numpyMean, numpySum } from '../../src/core/eval/pairwise-sum.ts';
import { pyRound } from '../../src/kernels/boxes.ts';

// Label boxes are rounded with kernels/boxes.ts pyRound; these check the rounding prepareActive relies on.
const pythonRound2 = (x: number) => pyRound(x, 2);

// a[i] = ((i*7919) % 1000)/997 + 1/(i+3); numpy: [repr(float(np.add.reduce(a))), repr(float(a.mean()))]
const NUMPY: [n: number, sum: number, mean: number, naive: number][] = [
  [5, 4.2924559392463095, 0.8584911878492619, 4.2924559392463095],
  [8, 6.175206970116699, 0.7719008712645874, 6.175206970116697],
  [13, 7.51732628510462, 0.5782558680849708, 7.517326285104618],
  [101, 53.81709206987946, 0.5328424957413808, 53.81709206987945],
  [128, 67.77206174949968, 0.5294692324179663, 67.77206174949967],
  [129, 68.41359704240128, 0.5303379615690021, 68.41359704240128],
  [300, 155.39110281396262, 0.5179703427132087, 155.3911028139627],
  [1000, 506.99047689262267, 0.5069904768926227, 506.9904768926224],
  [5000, 2512.6099538684307, 0.5025219907736861, 2512.6099538684152],
];

describe('numpy pairwise summation', () => {
  for (const [n, sum, mean, naive] of NUMPY) {
    it(`matches numpy for ${n} values (a left-to-right sum would give ${naive})`, () => {
      const a = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 997 + 1 / (i + 3));
      expect(numpySum(a)).toBe(sum);
      expect(numpyMean(a)).toBe(mean);
    });
  }

  it('sums the first n values', () => {
    const a = Float64Array.from({ length: 20 }, (_, i) => ((i * 7919) % 1000) / 997 + 1 / (i + 3));
    expect(numpySum(a, 13)).toBe(7.51732628510462);
  });

  it('gives NaN for the mean of nothing, as numpy', () => {
    expect(numpyMean(new Float64Array(0))).toBeNaN();
  });
});

describe("Python's round(x, 2) for label boxes", () => {
  // [repr(round(x, 2)) for x in (0.125, 0.375, 2.675, 1.005, 0.1*80, (0.1+0.3)*80, 0.7*100, 12.345, -0.125, 1e-3, 5.015, 0.285*100)]
  const cases: [number, number][] = [
    [0.125, 0.12],
    [0.375, 0.38],
    [2.675, 2.67],
    [1.005, 1.0],
    [0.1 * 80, 8.0],
    [(0.1 + 0.3) * 80, 32.0],
    [0.7 * 100, 70.0],
    [12.345, 12.35],
    [-0.125, -0.12],
    [1e-3, 0.0],
    [5.015, 5.01],
    [0.285 * 100, 28.5],
  ];
  for (const [x, want] of cases) it(`round(${x}, 2) = ${want}`, () => expect(pythonRound2(x)).toBe(want));
});

describe('round(x, 2) over many pixel coordinates', () => {
  it('agrees with Python on 80,000 values, ties and near-ties included (the sums would differ by ≥ 0.01 otherwise)', () => {
    // /usr/bin/python3: same loop with round(..., 2), summed with math.fsum -> 39067151.59
    let sum = 0;
    let compensation = 0;
    const add = (v: number) => {
      const y = v - compensation;
      const t = sum + y;
      compensation = t - sum - y;
      sum = t;
    };
    for (let i = 0; i < 20000; i++) {
      const W = [640, 1920, 100, 4096][i % 4];
      const x = ((i * 7919) % 10007) / 10007;
      add(pythonRound2(x * W));
      add(pythonRound2((x + (((i * 104729) % 1009) / 1009) * 0.3) * W));
      add(pythonRound2((i % 1601) / 800));
      add(pythonRound2(((i % 2000) + 0.5) / 100));
    }
    expect(Math.abs(sum - 39067151.59)).toBeLessThan(1e-4);
  });
});
