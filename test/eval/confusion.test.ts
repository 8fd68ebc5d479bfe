import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accuracy,
  binaryCounts,
  binaryMetrics,
  confusionMatrix,
  multiClassMetrics,
  precision,
  sensitivity,
  specificity,
  f1,
  balancedAccuracy,
  thresholdScores,
} from '../../src/eval/confusion.js';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('binary metrics on a hand-worked example', () => {
  // labels 1 1 1 1 0 0 0 0 0 0
  // preds  1 1 1 0 1 1 0 0 0 0  -> TP 3, FN 1, FP 2, TN 4
  const c = binaryCounts([1, 1, 1, 1, 0, 0, 0, 0, 0, 0], [1, 1, 1, 0, 1, 1, 0, 0, 0, 0]);
  assert.deepEqual(c, { tn: 4, fp: 2, fn: 1, tp: 3 });
  const m = binaryMetrics(c);
  close(m.accuracy, 0.7); // (3+4)/10
  close(m.sensitivity, 0.75); // 3/(3+1)
  close(m.specificity, 4 / 6); // 4/(4+2)
  close(m.precision, 0.6); // 3/(3+2)
  close(m.npv, 0.8); // 4/(4+1)
  close(m.f1, 6 / 9); // 2*3/(2*3+2+1); = 2*0.6*0.75/(0.6+0.75)
  close(m.balancedAccuracy, (0.75 + 4 / 6) / 2); // 0.708333...
  assert.equal(m.n, 10);
});

test("accuracy is (TP+TN)/all, not the paper's (TP+FP)/all", () => {
  const c = { tp: 3, fp: 2, tn: 4, fn: 1 };
  // The paper's Eq. 4 would give (3+2)/10 = 0.5.
  assert.notEqual(accuracy(c), 0.5);
  close(accuracy(c), 0.7);
});

test('zero denominators give NaN, not a throw or 0', () => {
  const none = { tp: 0, fp: 0, tn: 5, fn: 0 }; // no positives, nothing predicted positive
  assert.ok(Number.isNaN(sensitivity(none)));
  assert.ok(Number.isNaN(precision(none)));
  assert.ok(Number.isNaN(f1(none)));
  assert.ok(Number.isNaN(balancedAccuracy(none)));
  close(specificity(none), 1);
  close(accuracy(none), 1);
  assert.ok(Number.isNaN(accuracy({ tp: 0, fp: 0, tn: 0, fn: 0 })));
});

test('multi-class per-class and macro metrics (hand-worked, 3 classes)', () => {
  // labels 0 0 0 1 1 2 2 2 2
  // preds  0 1 0 1 1 2 0 2 1
  const m = confusionMatrix([0, 0, 0, 1, 1, 2, 2, 2, 2], [0, 1, 0, 1, 1, 2, 0, 2, 1]);
  assert.deepEqual(m, [
    [2, 1, 0],
    [0, 2, 0],
    [1, 1, 2],
  ]);
  const r = multiClassMetrics(m);
  close(r.accuracy, 6 / 9); // trace 6 of 9
  // class 0: TP 2, FP 1 (col), FN 1 (row), TN 9-2-1-1 = 5
  assert.deepEqual([r.perClass[0]!.tp, r.perClass[0]!.fp, r.perClass[0]!.fn, r.perClass[0]!.tn], [2, 1, 1, 5]);
  close(r.perClass[0]!.precision, 2 / 3);
  close(r.perClass[0]!.recall, 2 / 3);
  close(r.perClass[0]!.specificity, 5 / 6);
  // class 1: TP 2, FP 2, FN 0 -> precision 1/2, recall 1, F1 = 4/6
  close(r.perClass[1]!.precision, 0.5);
  close(r.perClass[1]!.recall, 1);
  close(r.perClass[1]!.f1, 4 / 6);
  // class 2: TP 2, FP 0, FN 2 -> precision 1, recall 1/2, F1 = 4/6
  close(r.perClass[2]!.precision, 1);
  close(r.perClass[2]!.recall, 0.5);
  assert.equal(r.perClass[2]!.support, 4);
  close(r.macroPrecision, (2 / 3 + 0.5 + 1) / 3);
  close(r.macroRecall, (2 / 3 + 1 + 0.5) / 3); // 0.72222
  close(r.balancedAccuracy, r.macroRecall);
  close(r.macroF1, 2 / 3);
});

test('a class never predicted makes its precision and the macro precision NaN', () => {
  const r = multiClassMetrics(confusionMatrix([0, 1, 2], [0, 1, 1], 3));
  assert.ok(Number.isNaN(r.perClass[2]!.precision));
  assert.ok(Number.isNaN(r.macroPrecision));
  close(r.perClass[2]!.recall, 0);
});

test('invalid input throws', () => {
  assert.throws(() => confusionMatrix([0, 1], [0]), /differ in length/);
  assert.throws(() => confusionMatrix([0, 3], [0, 1], 3), /labels\[1\] = 3/);
  assert.throws(() => binaryCounts([0, 1], [0, 0.5]), /predictions\[1\] = 0.5/);
});

test('thresholdScores predicts positive at score >= threshold', () => {
  assert.deepEqual(thresholdScores([0.2, 0.5, 0.7], 0.5), [0, 1, 1]);
});
