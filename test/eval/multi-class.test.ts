import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateMultiClass, evaluateProbabilities, isBinaryEvaluation } from '../../src/eval/multi-class.js';

test('multi-class: the most probable class is predicted; accuracy, macro F1, confusion, one-vs-rest AUC', () => {
  const labels = [0, 1, 2, 2];
  const probs = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8]];
  const e = evaluateMultiClass(labels, probs, 3);
  assert.equal(e.n, 4);
  assert.equal(e.accuracy, 0.75);
  assert.deepEqual(e.confusion, [[1, 0, 0], [0, 1, 0], [0, 1, 1]]);
  // Each class's own images hold its highest probabilities, though image 3 is predicted wrongly.
  assert.deepEqual(e.aucPerClass, [1, 1, 1]);
  // F1: class 0 1, class 1 2/3, class 2 2/3.
  assert.ok(Math.abs(e.macroF1 - (1 + 2 / 3 + 2 / 3) / 3) < 1e-12);
});

test('multi-class: a class absent from the labels has a NaN AUC, not an error', () => {
  const e = evaluateMultiClass([0, 1, 0, 1], [[0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.5, 0.4, 0.1], [0.3, 0.6, 0.1]], 3);
  assert.ok(Number.isNaN(e.aucPerClass[2]));
  assert.equal(e.aucPerClass[0], 1);
});

test('two classes get the binary evaluation on the probability of class 1', () => {
  const e = evaluateProbabilities([0, 1, 0, 1], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]], 2, [0, 0, 1]);
  assert.ok(isBinaryEvaluation(e));
  assert.equal(e.auc.value, 1);
  assert.equal(e.baseline.majorityClass, 0);
  const m = evaluateProbabilities([0, 1, 2], [[1, 0, 0], [0, 1, 0], [0, 0, 1]], 3, [0, 1, 2]);
  assert.ok(!isBinaryEvaluation(m));
  assert.equal(m.accuracy, 1);
});
