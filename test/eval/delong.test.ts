import { test } from 'node:test';
import assert from 'node:assert/strict';
import { delongAuc, delongPairedTest, normalCdf, twoSidedP, Z95 } from '../../src/eval/delong.js';
import { mulberry32 } from '../../src/eval/bootstrap.js';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

const psi = (x: number, y: number) => (x > y ? 1 : x === y ? 0.5 : 0);

// Direct O(mn) DeLong (1988): V10(x_i) = mean_j psi(x_i, y_j), V01(y_j) = mean_i psi(x_i, y_j),
// S10, S01 their sample covariances (n-1), Var = S10/m + S01/n.
function direct(labels: number[], a: number[], b: number[]) {
  const P = labels.flatMap((l, i) => (l === 1 ? [i] : []));
  const N = labels.flatMap((l, i) => (l === 0 ? [i] : []));
  const m = P.length;
  const n = N.length;
  const comp = (s: number[]) => ({
    v10: P.map((i) => N.reduce((t, j) => t + psi(s[i]!, s[j]!), 0) / n),
    v01: N.map((j) => P.reduce((t, i) => t + psi(s[i]!, s[j]!), 0) / m),
  });
  const cov = (u: number[], v: number[]) => {
    const mu = u.reduce((t, x) => t + x, 0) / u.length;
    const mv = v.reduce((t, x) => t + x, 0) / v.length;
    return u.reduce((t, x, k) => t + (x - mu) * (v[k]! - mv), 0) / (u.length - 1);
  };
  const A = comp(a);
  const B = comp(b);
  return {
    aucA: A.v10.reduce((t, x) => t + x, 0) / m,
    aucB: B.v10.reduce((t, x) => t + x, 0) / m,
    varA: cov(A.v10, A.v10) / m + cov(A.v01, A.v01) / n,
    varB: cov(B.v10, B.v10) / m + cov(B.v01, B.v01) / n,
    covAB: cov(A.v10, B.v10) / m + cov(A.v01, B.v01) / n,
  };
}

test('normal CDF and two-sided p match scipy.stats.norm', () => {
  // scipy 1.x: norm.cdf values
  close(normalCdf(0), 0.5, 1e-15);
  close(normalCdf(Z95), 0.9750000009035577, 1e-14);
  close(normalCdf(-1), 0.15865525393145707, 1e-14);
  close(normalCdf(2.5), 0.9937903346742238, 1e-14);
  // tails: relative error against mpmath (30 digits) ncdf / erfc
  const rel = (a: number, b: number) => assert.ok(Math.abs(a / b - 1) < 1e-13, `${a} != ${b}`);
  rel(normalCdf(-3), 0.0013498980316300945);
  rel(normalCdf(-5), 2.866515718791939e-7);
  rel(normalCdf(-10), 7.619853024160526e-24);
  rel(normalCdf(-20), 2.75362411860623e-89);
  rel(twoSidedP(4.2426), 2.2094503673907105e-5);
  close(twoSidedP(-1), 0.31731050786291415, 1e-14);
  assert.equal(twoSidedP(Infinity), 0);
});

test('hand-worked DeLong variance', () => {
  // positives x = .35, .8; negatives y = .1, .4
  // V10: x=.35 beats 1 of 2 -> .5; x=.8 beats 2 -> 1. V01: y=.1 beaten by 2/2 -> 1; y=.4 by 1/2 -> .5
  // AUC = .75; S10 = ((.5-.75)^2 + (1-.75)^2)/1 = .125 = S01; Var = .125/2 + .125/2 = .125
  const d = delongAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
  close(d.auc, 0.75);
  close(d.variance, 0.125);
  close(d.se, Math.sqrt(0.125));
  // .75 +/- 1.959964*.353553 = [.0570, 1.4430] -> clipped to [.0570, 1]
  close(d.lo, 0.75 - Z95 * Math.sqrt(0.125));
  assert.equal(d.hi, 1);
});

test('fast (Sun & Xu) DeLong equals the direct O(mn) structural components on random tied data', () => {
  const rand = mulberry32(7);
  for (let trial = 0; trial < 100; trial++) {
    const len = 4 + Math.floor(rand() * 50);
    const labels = Array.from({ length: len }, () => (rand() < 0.5 ? 1 : 0));
    labels[0] = labels[1] = 1;
    labels[2] = labels[3] = 0;
    const a = Array.from({ length: len }, () => Math.floor(rand() * 6));
    const b = a.map((x) => x + Math.floor(rand() * 3)); // correlated with a
    const ref = direct(labels, a, b);
    const d = delongAuc(labels, a);
    close(d.auc, ref.aucA);
    close(d.variance, ref.varA);
    const p = delongPairedTest(labels, a, b);
    close(p.aucA, ref.aucA);
    close(p.aucB, ref.aucB);
    close(p.varA, ref.varA);
    close(p.varB, ref.varB);
    close(p.covAB, ref.covAB);
    const vd = ref.varA + ref.varB - 2 * ref.covAB;
    if (vd > 1e-12) close(p.z, (ref.aucA - ref.aucB) / Math.sqrt(vd), 1e-9);
  }
});

test('paired test matches a numpy/scipy run of compare_auc_delong_xu on a fixed example', () => {
  // Values from numpy 2.4 + scipy (rankdata, np.cov, norm.sf) re-implementing roc_comparison.
  const y = [1, 0, 1, 1, 0, 0, 1, 0, 0, 1];
  const a = [0.9, 0.3, 0.7, 0.7, 0.7, 0.1, 0.4, 0.4, 0.2, 0.8];
  const b = [0.6, 0.5, 0.6, 0.2, 0.1, 0.3, 0.9, 0.6, 0.4, 0.5];
  // AUC(a): positives .9 .7 .7 .4 .8 vs negatives .3 .7 .1 .4 .2 -> 5 + 4.5 + 4.5 + 3.5 + 5 = 22.5/25 = .9
  const p = delongPairedTest(y, a, b);
  close(p.aucA, 0.9);
  close(p.aucB, 0.74);
  close(p.varA, 0.009);
  close(p.varB, 0.0302);
  close(p.covAB, -0.0055);
  close(p.z, 0.7141149482839224, 1e-12);
  close(p.p, 0.47515610329795654, 1e-12);
});

test('identical scores: z = 0, p = 1; one positive: variance NaN', () => {
  const y = [0, 1, 0, 1, 1];
  const s = [0.2, 0.9, 0.5, 0.4, 0.7];
  const p = delongPairedTest(y, s, s);
  assert.equal(p.z, 0);
  assert.equal(p.p, 1);
  const one = delongAuc([0, 0, 1], [0.1, 0.5, 0.3]);
  close(one.auc, 0.5);
  assert.ok(Number.isNaN(one.variance));
  assert.throws(() => delongAuc([1, 1], [0.1, 0.2]), /AUC is undefined: all 2 samples are positive/);
});

test('CI is clipped to [0, 1]', () => {
  const d = delongAuc([1, 1, 0, 0], [0.1, 0.2, 0.3, 0.4]); // AUC 0, variance 0
  assert.equal(d.auc, 0);
  assert.equal(d.lo, 0);
  assert.ok(d.hi >= 0 && d.hi <= 1);
});
