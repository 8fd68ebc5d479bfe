import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Generator, full, tensor, zeros, type Tensor } from '../../src/tensor/index.js';
import { blurKernelSize, gaussianBlur, gaussianKernel1d, sampleBlurSigmas } from '../../src/augment/index.js';
import { assertBinomial, assertClose, pattern } from './helpers.js';

function values(t: Tensor): number[] {
  try {
    return t.toArray();
  } finally {
    t.dispose();
  }
}

/** The normalised Gaussian, written out independently of the module. */
function gauss(sigma: number, k: number): number[] {
  const r = (k - 1) / 2;
  const w = Array.from({ length: k }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma ** 2)));
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / s);
}

/** n images of side `side`, each a unit impulse at the centre. */
function deltas(n: number, c: number, side: number): Tensor {
  const a = new Float32Array(n * c * side * side);
  const mid = (side - 1) / 2;
  for (let p = 0; p < n * c; p++) a[p * side * side + mid * side + mid] = 1;
  return tensor(a, [n, c, side, side]);
}

/** The expected blur of a centred delta: outer(g, g) around the centre, 0 elsewhere. */
function blurredDelta(sigma: number, k: number, side: number): number[] {
  const g = gauss(sigma, k);
  const r = (k - 1) / 2;
  const mid = (side - 1) / 2;
  const out = new Array<number>(side * side).fill(0);
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) out[(mid + dy) * side + mid + dx] = g[dy + r]! * g[dx + r]!;
  return out;
}

test('blur: kernel sizes follow SimCLR (size // 10, made odd)', () => {
  assert.deepEqual([32, 64, 96, 224, 20, 10, 9].map(blurKernelSize), [3, 7, 9, 23, 3, 1, 1]);
  assertClose(gaussianKernel1d(1.5, 5), gauss(1.5, 5), 1e-15, 'kernel');
  assert.deepEqual(gaussianKernel1d(0, 5), [0, 0, 1, 0, 0]);
});

test('blur: a delta image blurs to the normalised 2-D Gaussian kernel', () => {
  const x = deltas(1, 1, 11);
  assertClose(values(gaussianBlur(x, [1.3], 5)), blurredDelta(1.3, 5, 11), 1e-7, 'delta sigma 1.3');
  x.dispose();
});

test('blur: every image gets its own sigma, every channel the same kernel; sigma 0 is untouched', () => {
  const sigmas = [0.5, 1, 2, 0];
  const x = deltas(4, 3, 9);
  const y = values(gaussianBlur(x, sigmas, 7));
  const plane = 81;
  sigmas.forEach((s, k) => {
    const want = s > 0 ? blurredDelta(s, 7, 9) : x.toArray().slice(k * 3 * plane, (k * 3 + 1) * plane);
    for (let c = 0; c < 3; c++) {
      const got = y.slice((k * 3 + c) * plane, (k * 3 + c + 1) * plane);
      if (s > 0) assertClose(got, want, 1e-7, `image ${k} channel ${c}`);
      else assert.deepEqual(got, want);
    }
  });
  x.dispose();
});

test('blur: a tiny sigma is the identity', () => {
  const x = tensor(Float32Array.from(pattern(2 * 16 * 16)), [2, 1, 16, 16]);
  // 1e-3: the tails underflow to exactly 0.
  assert.deepEqual(values(gaussianBlur(x, [1e-3, 1e-3], 3)), x.toArray());
  // 0.1 (the low end of SimCLR's range): neighbours weigh e^-50.
  assertClose(values(gaussianBlur(x, [0.1, 0.1], 3)), x.toArray(), 1e-6, 'sigma 0.1');
  x.dispose();
});

test('blur: reflection padding keeps a constant image constant and mirrors at the edge', () => {
  const c = full([1, 1, 8, 8], 0.7);
  assertClose(values(gaussianBlur(c, [2], 5)), new Array(64).fill(0.7), 1e-6, 'constant');
  c.dispose();
  // Each row is 0, 1, ..., 7. Reflection pads column -1 with column 1, so output column 0 is
  // g0*1 + g1*0 + g2*1; rows are all equal, so the vertical pass changes nothing.
  const ramp = tensor(Array.from({ length: 64 }, (_, i) => i % 8), [1, 1, 8, 8]);
  const g = gauss(1, 3);
  const y = values(gaussianBlur(ramp, [1], 3));
  assertClose([y[0]!, y[7]!, y[3]!], [g[0]! * 1 + g[2]! * 1, g[0]! * 6 + g[1]! * 7 + g[2]! * 6, 3], 1e-6, 'edges');
  ramp.dispose();
});

test('blur: sigmas drawn with probability p within the configured range', () => {
  const n = 4000;
  const s = sampleBlurSigmas(n, { enabled: true, p: 0.5, sigma: [0.1, 2], kernelSize: 'auto' }, Generator.seeded(3));
  const on = s.filter((v) => v > 0);
  assertBinomial(on.length, n, 0.5, 'blurred images');
  assert.ok(on.every((v) => v >= 0.1 && v <= 2));
  const mean = on.reduce((a, b) => a + b, 0) / on.length;
  assert.ok(Math.abs(mean - 1.05) < 0.05, `mean sigma ${mean}`);
});

test('blur: argument errors', () => {
  const x = zeros([2, 1, 4, 4]);
  assert.throws(() => gaussianBlur(x, [1], 3), /1 sigmas for a batch of 2/);
  assert.throws(() => gaussianBlur(x, [1, 1], 4), /odd/);
  assert.throws(() => gaussianBlur(x, [1, 1], 9), /reflection padding/);
  x.dispose();
});
