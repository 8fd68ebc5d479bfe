import { test } from 'node:test';
import assert from 'node:assert/strict';
import { midranks, rocAuc, rocCurve, trapezoidArea, youdenThreshold } from '../../src/eval/roc.js';
import { mulberry32 } from '../../src/eval/bootstrap.js';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

// O(mn) Mann-Whitney: mean over positive/negative pairs of 1(x>y) + 1/2 1(x=y).
function bruteAuc(labels: number[], scores: number[]): number {
  let s = 0;
  let pairs = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < labels.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      s += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return s / pairs;
}

test('midranks share the mean rank of ties', () => {
  // sorted: 1 (rank 1), 2 2 (ranks 2,3 -> 2.5), 5 (4), 7 7 7 (5,6,7 -> 6)
  assert.deepEqual(Array.from(midranks([7, 2, 5, 7, 1, 2, 7])), [6, 2.5, 4, 6, 1, 2.5, 6]);
});

test('sklearn roc_curve docstring example', () => {
  // sklearn.metrics.roc_curve docs: y = [1,1,2,2] (pos_label 2), scores [.1,.4,.35,.8]
  // -> fpr [0,0,.5,.5,1], tpr [0,.5,.5,1,1], thresholds [inf,.8,.4,.35,.1]; roc_auc_score 0.75.
  const y = [0, 0, 1, 1];
  const s = [0.1, 0.4, 0.35, 0.8];
  const c = rocCurve(y, s);
  assert.deepEqual(c.fpr, [0, 0, 0.5, 0.5, 1]);
  assert.deepEqual(c.tpr, [0, 0.5, 0.5, 1, 1]);
  assert.deepEqual(c.thresholds, [Infinity, 0.8, 0.4, 0.35, 0.1]);
  // pairs (pos, neg): (.35,.1)=1 (.35,.4)=0 (.8,.1)=1 (.8,.4)=1 -> 3/4
  close(rocAuc(y, s), 0.75);
});

test('ties count one half', () => {
  // positives .5 .5, negatives .5 .2: pairs (.5,.5)=1/2, (.5,.2)=1, twice -> 3/4
  close(rocAuc([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.2]), 0.75);
  // all scores equal -> 1/2
  close(rocAuc([1, 0, 1, 0, 0], [3, 3, 3, 3, 3]), 0.5);
  // tied scores collapse to one ROC point: (0,0) -> (1,1)
  const c = rocCurve([1, 0, 1, 0, 0], [3, 3, 3, 3, 3]);
  assert.deepEqual(c.fpr, [0, 1]);
  assert.deepEqual(c.tpr, [0, 1]);
});

test('rank AUC equals brute-force pairwise AUC and the trapezoidal ROC area on random tied data', () => {
  const rand = mulberry32(12345);
  for (let trial = 0; trial < 200; trial++) {
    const n = 2 + Math.floor(rand() * 60);
    const labels = Array.from({ length: n }, () => (rand() < 0.4 ? 1 : 0));
    labels[0] = 1;
    labels[1] = 0;
    // Few distinct values -> many ties.
    const scores = Array.from({ length: n }, () => Math.floor(rand() * 5) / 4);
    const auc = rocAuc(labels, scores);
    close(auc, bruteAuc(labels, scores));
    const c = rocCurve(labels, scores);
    close(auc, trapezoidArea(c.fpr, c.tpr));
    assert.equal(c.fpr.at(-1), 1);
    assert.equal(c.tpr.at(-1), 1);
  }
});

test('perfect and inverted rankings, infinite scores', () => {
  close(rocAuc([0, 0, 1, 1], [1, 2, 3, 4]), 1);
  close(rocAuc([1, 1, 0, 0], [1, 2, 3, 4]), 0);
  close(rocAuc([0, 1, 1, 0], [-Infinity, Infinity, Infinity, 0]), 1);
});

test('all one class throws a clear error', () => {
  assert.throws(() => rocAuc([1, 1, 1], [0.1, 0.2, 0.3]), { message: 'AUC is undefined: all 3 samples are positive' });
  assert.throws(() => rocAuc([0, 0], [0.1, 0.2]), { message: 'AUC is undefined: all 2 samples are negative' });
  assert.throws(() => rocCurve([0, 0], [0.1, 0.2]), /AUC is undefined/);
  assert.throws(() => rocAuc([0, 2], [0.1, 0.2]), /labels\[1\] = 2/);
  assert.throws(() => rocAuc([0, 1], [0.1, NaN]), /NaN/);
});

test('Youden threshold maximises TPR - FPR', () => {
  // Points of the sklearn example: J = 0, .5, 0, .5, 0 -> first maximum at threshold .8
  const y = youdenThreshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
  assert.equal(y.threshold, 0.8);
  close(y.j, 0.5);
  close(y.sensitivity, 0.5);
  close(y.specificity, 1);
  // Separable data: threshold at the lowest positive score, J = 1.
  const s = youdenThreshold([0, 0, 1, 1], [0.1, 0.2, 0.6, 0.9]);
  assert.equal(s.threshold, 0.6);
  close(s.j, 1);
});
