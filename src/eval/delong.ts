// DeLong's nonparametric variance of the ROC AUC and the paired test for two correlated AUCs,
// computed with the fast midrank algorithm of Sun & Xu (IEEE SPL 2014;21(11):1389-1393), as in
// yandexdataschool/roc_comparison compare_auc_delong_xu.py.
//
// Undefined cases: all one class throws (see roc.ts). With a single positive or a single
// negative the sample variance (ddof = 1) of a structural component is undefined, so the
// variance, SE and CI are NaN (numpy's np.cov gives nan there too).

import { checkBinaryInput, midranks } from './roc.js';

/** Two-sided 95 % normal quantile used for every interval in src/eval. */
export const Z95 = 1.959964;

export interface DelongAuc {
  auc: number;
  variance: number;
  se: number;
  /** 95 % Wald interval auc +/- z*se, clipped to [0, 1]. */
  lo: number;
  hi: number;
  m: number;
  n: number;
}

export interface DelongPaired {
  aucA: number;
  aucB: number;
  /** aucA - aucB. */
  diff: number;
  varA: number;
  varB: number;
  covAB: number;
  /** Signed: diff / sqrt(varA + varB - 2 covAB). */
  z: number;
  /** Two-sided p = 2 (1 - Phi(|z|)). */
  p: number;
}

// erfc(x) for x >= 0: series erf = 2/sqrt(pi) e^{-x^2} sum 2^n x^{2n+1}/(1*3*...*(2n+1)) below
// 0.8 (all terms positive; erfc > 0.25 there, so 1 - erf loses nothing), Laplace continued
// fraction with 400 terms above (Abramowitz & Stegun 7.1.6 and 7.1.14). Relative error about
// 1e-15 against mpmath on [0, 8], so tiny tail p-values keep their digits.
function erfcNonNegative(x: number): number {
  if (x < 0.8) {
    let term = x;
    let sum = x;
    for (let k = 1; k < 200 && term > sum * 1e-17; k++) {
      term *= (2 * x * x) / (2 * k + 1);
      sum += term;
    }
    return 1 - ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum);
  }
  // erfc(x) = e^{-x^2}/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated backwards.
  let t = x;
  for (let k = 400; k >= 1; k--) t = x + k / 2 / t;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / t;
}

// Standard normal CDF Phi(z) = erfc(-z/sqrt 2)/2 (Abramowitz & Stegun 26.2.29).
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const x = z / Math.SQRT2;
  return x >= 0 ? 1 - erfcNonNegative(x) / 2 : erfcNonNegative(-x) / 2;
}

// Two-sided normal p-value 2(1 - Phi(|z|)), computed from the upper tail to keep tiny p exact.
export function twoSidedP(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  return erfcNonNegative(Math.abs(z) / Math.SQRT2);
}

/** The structural components of one score vector. */
interface Components {
  auc: number;
  /** V10 per positive: fraction of negatives it beats (ties 1/2). */
  v10: Float64Array;
  /** V01 per negative: fraction of positives that beat it (ties 1/2). */
  v01: Float64Array;
}

// Sun & Xu 2014: Tx, Ty, Tz midranks within positives, negatives, all; V10 = (Tz[pos] - Tx)/n,
// V01 = 1 - (Tz[neg] - Ty)/m, AUC = sum Tz[pos]/(mn) - (m+1)/(2n).
function components(labels: ArrayLike<number>, scores: ArrayLike<number>, m: number, n: number): Components {
  const pos: number[] = [];
  const neg: number[] = [];
  const posIdx: number[] = [];
  const negIdx: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) {
      pos.push(scores[i]!);
      posIdx.push(i);
    } else {
      neg.push(scores[i]!);
      negIdx.push(i);
    }
  }
  const tx = midranks(pos);
  const ty = midranks(neg);
  const tz = midranks(scores);
  const v10 = new Float64Array(m);
  const v01 = new Float64Array(n);
  let sumPos = 0;
  for (let a = 0; a < m; a++) {
    const r = tz[posIdx[a]!]!;
    sumPos += r;
    v10[a] = (r - tx[a]!) / n;
  }
  for (let b = 0; b < n; b++) v01[b] = 1 - (tz[negIdx[b]!]! - ty[b]!) / m;
  return { auc: sumPos / (m * n) - (m + 1) / (2 * n), v10, v01 };
}

// Sample covariance with ddof = 1 (np.cov); NaN with fewer than 2 observations.
function sampleCov(a: Float64Array, b: Float64Array): number {
  const k = a.length;
  if (k < 2) return Number.NaN;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < k; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= k;
  mb /= k;
  let s = 0;
  for (let i = 0; i < k; i++) s += (a[i]! - ma) * (b[i]! - mb);
  return s / (k - 1);
}

// DeLong, DeLong & Clarke-Pearson, Biometrics 1988;44:837-845: Var(AUC) = S10/m + S01/n,
// S10 = sample variance of V10 over positives, S01 = of V01 over negatives; CI = AUC +/- z*SE.
export function delongAuc(labels: ArrayLike<number>, scores: ArrayLike<number>, z: number = Z95): DelongAuc {
  const { m, n } = checkBinaryInput(labels, scores);
  const c = components(labels, scores, m, n);
  const variance = sampleCov(c.v10, c.v10) / m + sampleCov(c.v01, c.v01) / n;
  const se = Math.sqrt(variance);
  return {
    auc: c.auc,
    variance,
    se,
    lo: Math.max(0, c.auc - z * se),
    hi: Math.min(1, c.auc + z * se),
    m,
    n,
  };
}

// DeLong 1988 paired test on the same samples: Var(A - B) = l S l^T with l = [1, -1],
// S = S10/m + S01/n (2x2 covariance of the components); z = (A - B)/sqrt(Var), p = 2(1 - Phi(|z|)).
// A zero variance (identical rankings) gives z = 0, p = 1 when the AUCs are equal.
export function delongPairedTest(
  labels: ArrayLike<number>,
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
): DelongPaired {
  const { m, n } = checkBinaryInput(labels, scoresA);
  checkBinaryInput(labels, scoresB);
  const a = components(labels, scoresA, m, n);
  const b = components(labels, scoresB, m, n);
  const varA = sampleCov(a.v10, a.v10) / m + sampleCov(a.v01, a.v01) / n;
  const varB = sampleCov(b.v10, b.v10) / m + sampleCov(b.v01, b.v01) / n;
  const covAB = sampleCov(a.v10, b.v10) / m + sampleCov(a.v01, b.v01) / n;
  const diff = a.auc - b.auc;
  const varDiff = varA + varB - 2 * covAB;
  let z: number;
  if (Number.isNaN(varDiff)) z = Number.NaN;
  else if (varDiff <= 0) z = diff === 0 ? 0 : Math.sign(diff) * Number.POSITIVE_INFINITY;
  else z = diff / Math.sqrt(varDiff);
  return { aucA: a.auc, aucB: b.auc, diff, varA, varB, covAB, z, p: twoSidedP(z) };
}
