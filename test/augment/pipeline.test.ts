import { test } from 'node:test';
import assert from 'node:assert/strict';
import { F, Generator, memoryStats, tensor, type Tensor } from '../../src/tensor/index.js';
import { IMAGENET_NORMALIZE, augment, augmentConfig, twoViews } from '../../src/augment/index.js';
import { assertClose, pattern } from './helpers.js';

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

const blurOn = augmentConfig({ blur: { enabled: true } });

test('pipeline: shape, dtype, range, no autograd, for 1 and 3 channels', () => {
  for (const c of [1, 3]) {
    const x = image(8, c, 48, 40).requiresGrad_(true);
    const [a, b] = twoViews(x, blurOn, Generator.seeded(1));
    for (const v of [a, b]) {
      assert.deepEqual(v.shape, [8, c, 32, 32]);
      assert.equal(v.dtype, 'float32');
      assert.equal(v.requiresGrad, false);
      assert.ok(v.isContiguous());
      const vs = v.toArray();
      assert.ok(vs.every((e) => e >= 0 && e <= 1), 'in [0, 1]');
    }
    a.dispose();
    b.dispose();
    const one = augment(x, augmentConfig({ size: 24 }), Generator.seeded(1));
    assert.deepEqual(one.shape, [8, c, 24, 24]);
    one.dispose();
    x.dispose();
  }
});

test('pipeline: the same seed gives the same views, another seed others, and the two views differ', () => {
  const x = image(16, 1, 64, 64);
  const run = (seed: number) => twoViews(x, blurOn, Generator.seeded(seed)).map(values);
  const [a1, b1] = run(7);
  const [a2, b2] = run(7);
  const [a3] = run(8);
  assert.deepEqual(a1, a2);
  assert.deepEqual(b1, b2);
  assert.notDeepEqual(a1, a3);
  // Every image's two views differ (independent crops).
  const per = 32 * 32;
  for (let k = 0; k < 16; k++) assert.notDeepEqual(a1!.slice(k * per, (k + 1) * per), b1!.slice(k * per, (k + 1) * per), `image ${k}`);
  // One generator used twice moves on: consecutive calls differ.
  const g = Generator.seeded(7);
  assert.notDeepEqual(values(augment(x, blurOn, g)), values(augment(x, blurOn, g)));
  x.dispose();
});

test('pipeline: with every random step off it is the identity (same size) or a plain bilinear resize', () => {
  const off = augmentConfig({
    size: 32,
    crop: { scale: [1, 1], ratio: [1, 1] },
    flip: { horizontal: 0, vertical: 0 },
    brightness: { p: 0 },
    contrast: { p: 0 },
  });
  const x = image(4, 1, 32, 32);
  assertClose(values(augment(x, off, Generator.seeded(1))), x.toArray(), 1e-5, 'identity');
  assertClose(values(augment(x, { ...off, size: 16 }, Generator.seeded(1))), values(F.interpolate(x, 16, 'bilinear')), 1e-5, 'resize');
  x.dispose();
});

test('pipeline: normalisation is (x - mean) / std per channel after clipping', () => {
  const x = image(4, 3, 40, 40);
  const plain = values(augment(x, blurOn, Generator.seeded(3)));
  const cfg = augmentConfig({ blur: { enabled: true }, normalize: IMAGENET_NORMALIZE });
  const norm = values(augment(x, cfg, Generator.seeded(3)));
  const want = plain.map((v, i) => {
    const c = Math.floor(i / (32 * 32)) % 3;
    return (v - IMAGENET_NORMALIZE.mean[c]!) / IMAGENET_NORMALIZE.std[c]!;
  });
  assertClose(norm, want, 1e-5, 'imagenet normalise');
  x.dispose();
});

test('pipeline: frees its intermediates; the caller owns exactly the returned views', () => {
  const x = image(32, 1, 64, 64);
  const g = Generator.seeded(1);
  twoViews(x, blurOn, g).forEach((v) => v.dispose()); // warm-up (op handles, caches)
  const before = memoryStats().liveTensors;
  const views = twoViews(x, blurOn, g);
  assert.equal(memoryStats().liveTensors, before + 2);
  views.forEach((v) => v.dispose());
  assert.equal(memoryStats().liveTensors, before);
  x.dispose();
});

test('pipeline: input checks', () => {
  const g = Generator.seeded(1);
  const cfg = augmentConfig();
  const two = image(2, 2, 8, 8);
  assert.throws(() => augment(two, cfg, g), /1 or 3 channels, got 2/);
  two.dispose();
  const flat = image(1, 1, 8, 8).view(1, 64);
  assert.throws(() => augment(flat, cfg, g), /expected a batch \[N, C, H, W\]/);
  flat.dispose();
  const f64 = image(1, 1, 8, 8).to('float64');
  assert.throws(() => augment(f64, cfg, g), /float32/);
  f64.dispose();
  const gray = image(1, 1, 8, 8);
  assert.throws(() => augment(gray, augmentConfig({ normalize: { mean: [0.5, 0.5, 0.5], std: [1, 1, 1] } }), g), /3 means for 1 channels/);
  assert.throws(() => augment(gray, { ...cfg, size: 0 }, g), /size must be a positive integer/);
  gray.dispose();
});

test('pipeline: speed, 256 images 1x64x64 to two 32x32 views', (t) => {
  const x = image(256, 1, 64, 64);
  const g = Generator.seeded(1);
  for (const [name, cfg] of [['defaults', augmentConfig()], ['with blur', blurOn]] as const) {
    twoViews(x, cfg, g).forEach((v) => v.dispose());
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const views = twoViews(x, cfg, g);
      times.push(performance.now() - t0);
      views.forEach((v) => v.dispose());
    }
    const median = times.sort((a, b) => a - b)[1]!;
    t.diagnostic(`${name}: ${median.toFixed(1)} ms per call (median of 3)`);
    assert.ok(median < 1000, `${name}: ${median} ms`);
  }
  x.dispose();
});
