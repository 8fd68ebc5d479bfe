import { test } from 'node:test';
import assert from 'node:assert/strict';
import { augmentConfig, defaultAugmentConfig, resolvedKernelSize, validateAugmentConfig, type AugmentConfigInput } from '../../src/augment/config.js';

test('config: defaults are the paper settings', () => {
  const c = defaultAugmentConfig();
  assert.deepEqual(c, {
    size: 32,
    crop: { scale: [0.5, 0.8], ratio: [3 / 4, 4 / 3], attempts: 10 },
    flip: { horizontal: 0.5, vertical: 0.5 },
    brightness: { strength: 0.4, p: 0.8 },
    contrast: { strength: 0.4, p: 0.2 },
    blur: { enabled: false, p: 0.5, sigma: [0.1, 2.0], kernelSize: 'auto' },
    clip: true,
    normalize: null,
  });
  assert.deepEqual(augmentConfig(), c);
  assert.equal(resolvedKernelSize(c), 3);
});

test('config: overrides merge field by field and do not touch the defaults', () => {
  const c = augmentConfig({ size: 64, flip: { vertical: 0 }, blur: { enabled: true } });
  assert.equal(c.size, 64);
  assert.deepEqual(c.flip, { horizontal: 0.5, vertical: 0 });
  assert.deepEqual(c.blur, { enabled: true, p: 0.5, sigma: [0.1, 2.0], kernelSize: 'auto' });
  assert.equal(resolvedKernelSize(c), 7);
  assert.equal(defaultAugmentConfig().flip.vertical, 0.5);
  assert.deepEqual(augmentConfig({ normalize: { mean: [0.5], std: [0.25] } }).normalize, { mean: [0.5], std: [0.25] });
});

test('config: every bad value is refused with the field named', () => {
  const bad: [AugmentConfigInput, RegExp][] = [
    [{ size: 0 }, /size must be a positive integer, got 0/],
    [{ size: 31.5 }, /size must be a positive integer/],
    [{ crop: { scale: [0.8, 0.5] } }, /crop.scale must have low <= high/],
    [{ crop: { scale: [0, 0.5] } }, /crop.scale must have low > 0/],
    [{ crop: { scale: [0.5, 1.2] } }, /crop.scale must have high <= 1/],
    [{ crop: { ratio: [-1, 2] } }, /crop.ratio must have low > 0/],
    [{ crop: { ratio: [1, Number.NaN] } }, /crop.ratio must be \[low, high\]/],
    [{ crop: { attempts: 0 } }, /crop.attempts must be a positive integer/],
    [{ flip: { horizontal: 1.5 } }, /flip.horizontal must be a probability/],
    [{ flip: { vertical: -0.1 } }, /flip.vertical must be a probability/],
    [{ brightness: { strength: -0.1 } }, /brightness.strength must be a finite number >= 0/],
    [{ brightness: { p: 2 } }, /brightness.p must be a probability/],
    [{ contrast: { strength: Number.POSITIVE_INFINITY } }, /contrast.strength/],
    [{ contrast: { p: Number.NaN } }, /contrast.p must be a probability/],
    [{ blur: { p: 1.1 } }, /blur.p must be a probability/],
    [{ blur: { sigma: [0, 1] } }, /blur.sigma must have low > 0/],
    [{ blur: { kernelSize: 4 } }, /blur.kernelSize must be 'auto' or an odd positive integer/],
    [{ size: 4, blur: { enabled: true, kernelSize: 9 } }, /radius < size/],
    [{ normalize: { mean: [], std: [] } }, /normalize.mean must be a non-empty list/],
    [{ normalize: { mean: [0.5, 0.5], std: [0.2] } }, /normalize.std must list 2 finite numbers > 0/],
    [{ normalize: { mean: [0.5], std: [0] } }, /normalize.std/],
  ];
  for (const [input, message] of bad) {
    assert.throws(() => augmentConfig(input), (e: unknown) => e instanceof RangeError && message.test(e.message), JSON.stringify(input));
  }
  const c = defaultAugmentConfig();
  c.clip = 'yes' as unknown as boolean;
  assert.throws(() => validateAugmentConfig(c), /clip must be a boolean/);
});
