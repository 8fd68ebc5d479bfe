import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateFolds, evaluateBinary } from '../../src/eval/summary.js';
import { delongAuc } from '../../src/eval/delong.js';
import { wilsonInterval } from '../../src/eval/wilson.js';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

const labels = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
const scores = [0.9, 0.8, 0.6, 0.3, 0.7, 0.55, 0.4, 0.2, 0.1, 0.05];

test('evaluateBinary reports every metric with its interval', () => {
  // threshold .5 -> preds 1 1 1 0 1 1 0 0 0 0: TP 3, FN 1, FP 2, TN 4 (as in confusion.test)
  const r = evaluateBinary(labels, scores, 0.5, { bootstrap: { B: 200, seed: 3 } });
  assert.deepEqual(r.counts, { tn: 4, fp: 2, fn: 1, tp: 3 });
  assert.equal(r.n, 10);
  assert.equal(r.positives, 4);
  assert.equal(r.negatives, 6);
  close(r.accuracy.value, 0.7);
  assert.equal(r.accuracy.lo, wilsonInterval(7, 10).lo);
  close(r.sensitivity.value, 0.75);
  close(r.specificity.value, 4 / 6);
  close(r.precision.value, 0.6);
  close(r.npv.value, 0.8);
  close(r.f1.value, 6 / 9);
  assert.equal(r.f1.method, 'bootstrap');
  close(r.balancedAccuracy.value, (0.75 + 4 / 6) / 2);
  // AUC: positives .9 .8 .6 .3 vs negatives .7 .55 .4 .2 .1 .05: 6 + 6 + 5 + 3 = 20/24
  close(r.auc.value, 20 / 24);
  assert.equal(r.auc.se, delongAuc(labels, scores).se);
  assert.ok(r.youden);
  assert.equal(r.baseline.majorityClass, 0);
  assert.equal(r.baseline.source, 'test');
  close(r.baseline.accuracy.value, 0.6);
  assert.deepEqual(r.notes, []);
  // plain object: survives JSON
  assert.equal(JSON.parse(JSON.stringify(r)).counts.tp, 3);
  // deterministic for a seed
  assert.deepEqual(evaluateBinary(labels, scores, 0.5, { bootstrap: { B: 200, seed: 3 } }), r);
});

test('training labels set the baseline', () => {
  const r = evaluateBinary(labels, scores, 0.5, { trainLabels: [1, 1, 0], bootstrap: { B: 10 } });
  assert.equal(r.baseline.majorityClass, 1);
  assert.equal(r.baseline.source, 'train');
  close(r.baseline.accuracy.value, 0.4);
});

test('one-class test set: AUC NaN with a note, proportions still reported', () => {
  const r = evaluateBinary([0, 0, 0], [0.2, 0.7, 0.1], 0.5, { bootstrap: { B: 10 } });
  assert.ok(Number.isNaN(r.auc.value));
  assert.equal(r.youden, null);
  assert.deepEqual(r.notes, ['AUC is undefined: all 3 samples are negative']);
  close(r.specificity.value, 2 / 3);
  assert.ok(Number.isNaN(r.sensitivity.value));
});

test('aggregateFolds: mean, sample std, min, max per metric path', () => {
  // acc .7 .8 .9: mean .8, std sqrt((.01+0+.01)/2) = .1
  const agg = aggregateFolds([
    { accuracy: 0.7, auc: { value: 0.6 } },
    { accuracy: 0.8, auc: { value: Number.NaN } },
    { accuracy: 0.9, auc: { value: 0.8 } },
  ]);
  close(agg['accuracy']!.mean, 0.8);
  close(agg['accuracy']!.std, 0.1);
  assert.equal(agg['accuracy']!.min, 0.7);
  assert.equal(agg['accuracy']!.max, 0.9);
  assert.equal(agg['accuracy']!.n, 3);
  // NaN fold skipped and visible as n < k
  close(agg['auc.value']!.mean, 0.7);
  assert.equal(agg['auc.value']!.n, 2);
  assert.equal(agg['auc.value']!.k, 3);
  // one fold: std undefined
  assert.ok(Number.isNaN(aggregateFolds([{ a: 1 }])['a']!.std));
});

test('aggregateFolds over evaluateBinary results', () => {
  const folds = [0.5, 0.6].map((t) => evaluateBinary(labels, scores, t, { bootstrap: { B: 20 } }));
  const agg = aggregateFolds(folds);
  assert.ok(agg['auc.value']);
  assert.ok(agg['counts.tp']);
  close(agg['auc.value']!.std, 0); // same scores in both folds
  assert.equal(agg['threshold']!.mean, 0.55);
});
