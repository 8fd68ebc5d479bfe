// Whole-image scores from window scores, checked against values worked by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maxScore, topKMean, noisyOr, aggregateScores, imageScores } from '../../src/eval/aggregate.js';

const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('max, top-k mean and noisy-OR on one map', () => {
  const s = [0.1, 0.5, 0.2, 0.4];
  assert.equal(maxScore(s), 0.5);
  close(topKMean(s, 2), 0.45);
  close(topKMean(s, 1), 0.5);
  close(topKMean(s, 10), 0.3); // fewer windows than k: the mean of all
  // 1 - 0.9 * 0.5 * 0.8 * 0.6 = 1 - 0.216
  close(noisyOr(s), 0.784);
  assert.equal(noisyOr([0, 0]), 0);
  assert.equal(noisyOr([1, 0.3]), 1);
});

test('noisy-OR stays accurate for many small probabilities', () => {
  // 1 - (1 - p)^n = np - C(n,2) p^2 + C(n,3) p^3 - ... = 1e-6 - 4.995e-13 + 1.66e-19 for n = 1000, p = 1e-9.
  const p = new Array<number>(1000).fill(1e-9);
  const series = 1e-6 - 499500e-18 + 166167000e-27;
  close(noisyOr(p) / series, 1, 1e-12);
  // The naive 1 - product is off by far more (rounding of a product near 1).
  const naive = 1 - p.reduce((q, v) => q * (1 - v), 1);
  assert.ok(Math.abs(naive / series - 1) > 1e-9, String(naive));
});

test('rules by name, per image, and errors', () => {
  const maps = [
    { image: 'a', patientId: 'p', windows: [{ x: 0, y: 0, score: 0.2 }, { x: 8, y: 0, score: 0.6 }] },
    { image: 'b', patientId: 'q', windows: [{ x: 0, y: 0, score: 0.3 }] },
  ];
  assert.deepEqual(imageScores(maps, { kind: 'max' }), [{ image: 'a', patientId: 'p', score: 0.6 }, { image: 'b', patientId: 'q', score: 0.3 }]);
  close(aggregateScores([0.2, 0.6], { kind: 'topKMean', k: 2 }), 0.4);
  close(aggregateScores([0.2, 0.6], { kind: 'noisyOr' }), 1 - 0.8 * 0.4);
  assert.throws(() => maxScore([]), /at least one window/);
  assert.throws(() => topKMean([1], 0), /k >= 1/);
  assert.throws(() => noisyOr([1.5]), /\[0, 1\]/);
  assert.throws(() => aggregateScores([1], { kind: 'mean' } as never), /unknown aggregation/);
});
