import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Generator, full, tensor, type Tensor } from '../../src/tensor/index.js';
import { adjustBrightness, adjustContrast, imageMean, sampleJitter, type JitterDraw } from '../../src/augment/index.js';
import { assertBinomial, assertClose, pattern } from './helpers.js';

function image(n: number, c: number, h: number, w: number, seed = 1): Tensor {
  return tensor(Float32Array.from(pattern(n * c * h * w, seed)), [n, c, h, w]);
}

function values(t: Tensor): number[] {
  try {
    return t.toArray();
  } finally {
    t.dispose();
  }
}

const f32 = Math.fround;
const clip = (v: number) => Math.min(1, Math.max(0, v));

test('color: brightness with p = 1 is clip(x * f) per image, bit for bit', () => {
  const [n, c, hw] = [8, 3, 6 * 6];
  const x = image(n, c, 6, 6);
  const draw = sampleJitter(n, { strength: 0.4, p: 1 }, Generator.seeded(2));
  assert.ok(draw.applied.every(Boolean));
  assert.ok(draw.factor.every((f) => f >= 0.6 && f <= 1.4));
  assert.ok(draw.factor.some((f) => f > 1.1), 'some factor large enough to clip');
  const xs = x.toArray();
  const want = xs.map((v, i) => clip(f32(v * f32(draw.factor[Math.floor(i / (c * hw))]!))));
  const got = values(adjustBrightness(x, draw));
  assert.deepEqual(got, want);
  assert.ok(got.some((v) => v === 1), 'values above 1 are clipped');
  x.dispose();
});

test('color: contrast with p = 1 is clip((x - mean) f + mean), mean per image (1 channel)', () => {
  const x = image(5, 1, 7, 7, 3);
  const draw = sampleJitter(5, { strength: 0.4, p: 1 }, Generator.seeded(4));
  const xs = x.toArray();
  const per = 49;
  const want: number[] = [];
  for (let k = 0; k < 5; k++) {
    const img = xs.slice(k * per, (k + 1) * per);
    const m = img.reduce((a, b) => a + b, 0) / per;
    for (const v of img) want.push(clip((v - m) * draw.factor[k]! + m));
  }
  assertClose(values(adjustContrast(x, draw)), want, 1e-6, 'contrast');
  x.dispose();
});

test('color: 3-channel contrast pivots on the grayscale mean (0.2989 R + 0.587 G + 0.114 B), as torchvision', () => {
  const x = image(2, 3, 4, 4, 5);
  const xs = x.toArray();
  const means = [0, 1].map((k) => {
    const ch = (c: number) => xs.slice((k * 3 + c) * 16, (k * 3 + c + 1) * 16).reduce((a, b) => a + b, 0) / 16;
    return 0.2989 * ch(0) + 0.587 * ch(1) + 0.114 * ch(2);
  });
  assertClose(values(imageMean(x)), means, 1e-6, 'grayscale means');
  const draw: JitterDraw = { applied: [true, true], factor: [1.3, 0.7] };
  const want = xs.map((v, i) => {
    const k = Math.floor(i / 48);
    return clip((v - means[k]!) * draw.factor[k]! + means[k]!);
  });
  assertClose(values(adjustContrast(x, draw)), want, 1e-6, 'contrast rgb');
  x.dispose();
});

test('color: with p = 0 nothing changes, and unselected images pass through bit for bit', () => {
  const x = image(6, 1, 5, 5);
  const xs = x.toArray();
  const g = Generator.seeded(1);
  const off = { strength: 0.4, p: 0 };
  assert.deepEqual(values(adjustBrightness(x, sampleJitter(6, off, g))), xs);
  assert.deepEqual(values(adjustContrast(x, sampleJitter(6, off, g))), xs);
  // Only image 2 adjusted: the others are untouched.
  const mixed = values(adjustContrast(x, { applied: [false, false, true, false, false, false], factor: [1.3, 1.3, 1.3, 1.3, 1.3, 1.3] }));
  assert.deepEqual(mixed.slice(0, 50), xs.slice(0, 50));
  assert.deepEqual(mixed.slice(75), xs.slice(75));
  assert.notDeepEqual(mixed.slice(50, 75), xs.slice(50, 75));
  x.dispose();
});

test('color: jitter is applied to a fraction p of the images (within 4 sigma), factors uniform', () => {
  const n = 4000;
  // Brightness on a mid-grey batch: an image changes exactly when it was selected.
  const x = full([n, 1, 2, 2], 0.5);
  const draw = sampleJitter(n, { strength: 0.4, p: 0.8 }, Generator.seeded(6));
  const y = values(adjustBrightness(x, draw));
  let changed = 0;
  for (let k = 0; k < n; k++) if (y[4 * k] !== 0.5) changed++;
  assertBinomial(changed, n, 0.8, 'brightness p=0.8');
  const contrast = sampleJitter(n, { strength: 0.4, p: 0.2 }, Generator.seeded(7));
  assertBinomial(contrast.applied.filter(Boolean).length, n, 0.2, 'contrast p=0.2');
  // U[0.6, 1.4]: mean 1, sd 0.8 / sqrt(12).
  const mean = draw.factor.reduce((a, b) => a + b, 0) / n;
  assert.ok(Math.abs(mean - 1) < (4 * 0.8) / Math.sqrt(12 * n), `mean factor ${mean}`);
  assert.ok(Math.min(...draw.factor) >= 0.6 && Math.max(...draw.factor) <= 1.4);
  x.dispose();
});

test('color: strength above 1 keeps factors non-negative (SimCLR max(0, 1 - s))', () => {
  const draw = sampleJitter(2000, { strength: 1.5, p: 1 }, Generator.seeded(8));
  assert.ok(Math.min(...draw.factor) >= 0 && Math.max(...draw.factor) <= 2.5);
  assert.ok(Math.min(...draw.factor) < 0.05);
});

test('color: the same seed gives the same draws', () => {
  const cfg = { strength: 0.4, p: 0.5 };
  assert.deepEqual(sampleJitter(64, cfg, Generator.seeded(1)), sampleJitter(64, cfg, Generator.seeded(1)));
  assert.notDeepEqual(sampleJitter(64, cfg, Generator.seeded(1)), sampleJitter(64, cfg, Generator.seeded(2)));
});
