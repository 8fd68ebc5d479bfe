import { test } from 'node:test';
import assert from 'node:assert/strict';
import { majorityBaseline } from '../../src/eval/baseline.js';
import { wilsonInterval } from '../../src/eval/wilson.js';

test('majority class of the training labels applied to the test labels', () => {
  // train: three 0s, one 1 -> majority 0 (75 %); test 0 1 1 0 0 -> 3 of 5 correct
  const b = majorityBaseline([0, 0, 0, 1], [0, 1, 1, 0, 0]);
  assert.equal(b.majorityClass, 0);
  assert.equal(b.trainFraction, 0.75);
  assert.equal(b.accuracy.value, 0.6);
  assert.deepEqual(b.accuracy, wilsonInterval(3, 5));
});

test('mini-MIAS-like imbalance: 207 normal / 115 abnormal', () => {
  const labels = [...new Array(207).fill(0), ...new Array(115).fill(1)];
  const b = majorityBaseline(labels, labels);
  assert.equal(b.majorityClass, 0);
  assert.ok(Math.abs(b.accuracy.value - 207 / 322) < 1e-15); // 0.6429
});

test('ties go to the smallest label; multi-class works; empty train throws', () => {
  assert.equal(majorityBaseline([2, 1, 2, 1], [1]).majorityClass, 1);
  assert.equal(majorityBaseline([2, 2, 0, 1], [2, 0]).accuracy.value, 0.5);
  assert.throws(() => majorityBaseline([], [1]), /at least one/);
});
