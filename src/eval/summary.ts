// One call that reports every binary metric with its interval, and the mean/std/min/max of
// those numbers across cross-validation folds.

import { binaryCounts, binaryMetrics, f1, balancedAccuracy, thresholdScores, type BinaryCounts } from './confusion.js';
import { delongAuc } from './delong.js';
import { youdenThreshold, type YoudenPoint } from './roc.js';
import { stratifiedBootstrapCi, type BootstrapOptions } from './bootstrap.js';
import { wilsonInterval } from './wilson.js';
import { majorityBaseline } from './baseline.js';

/** A point estimate with a 95 % interval and the method that produced it. */
export interface Interval {
  value: number;
  lo: number;
  hi: number;
  method: 'wilson' | 'delong' | 'bootstrap' | 'none';
}

export interface EvaluateOptions {
  /** Training labels for the majority-class baseline; without them the test labels' own majority is used. */
  trainLabels?: ArrayLike<number>;
  /** Options of the stratified bootstrap for F1 and balanced accuracy (B = 2000, seed = 0 by default). */
  bootstrap?: BootstrapOptions;
}

export interface BinaryEvaluation {
  n: number;
  positives: number;
  negatives: number;
  /** Predict positive when score >= threshold. */
  threshold: number;
  counts: BinaryCounts;
  accuracy: Interval;
  sensitivity: Interval;
  specificity: Interval;
  precision: Interval;
  npv: Interval;
  f1: Interval;
  balancedAccuracy: Interval;
  auc: Interval & { se: number };
  /** Youden-optimal threshold on this same data (optimistic if used to report accuracy); null when AUC is undefined. */
  youden: YoudenPoint | null;
  baseline: { majorityClass: number; source: 'train' | 'test'; accuracy: Interval };
  /** Why a value is NaN, e.g. "AUC is undefined: all 12 samples are negative". */
  notes: string[];
}

function wilson(k: number, n: number): Interval {
  const w = wilsonInterval(k, n);
  return { value: w.value, lo: w.lo, hi: w.hi, method: 'wilson' };
}

// Proportions (accuracy, sensitivity, specificity, PPV, NPV) get Wilson intervals on their own
// numerator/denominator; F1 and balanced accuracy (not proportions) a stratified bootstrap;
// AUC the DeLong interval.
export function evaluateBinary(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  threshold = 0.5,
  options: EvaluateOptions = {},
): BinaryEvaluation {
  const preds = thresholdScores(scores, threshold);
  const c = binaryCounts(labels, preds);
  const m = binaryMetrics(c);
  const notes: string[] = [];

  let auc: BinaryEvaluation['auc'] = { value: Number.NaN, lo: Number.NaN, hi: Number.NaN, se: Number.NaN, method: 'none' };
  let youden: YoudenPoint | null = null;
  try {
    const d = delongAuc(labels, scores);
    auc = { value: d.auc, lo: d.lo, hi: d.hi, se: d.se, method: 'delong' };
    youden = youdenThreshold(labels, scores);
  } catch (e) {
    // Only the one-class case is expected here; input errors were already thrown above.
    notes.push((e as Error).message);
  }

  const atThreshold = (fn: (c: BinaryCounts) => number) => (l: number[], s: number[]) =>
    fn(binaryCounts(l, thresholdScores(s, threshold)));
  const boot = (fn: (c: BinaryCounts) => number): Interval => {
    const b = stratifiedBootstrapCi(labels, scores, atThreshold(fn), options.bootstrap);
    return { value: b.value, lo: b.lo, hi: b.hi, method: 'bootstrap' };
  };

  const base = majorityBaseline(options.trainLabels ?? labels, labels);
  return {
    n: m.n,
    positives: c.tp + c.fn,
    negatives: c.tn + c.fp,
    threshold,
    counts: c,
    accuracy: wilson(c.tp + c.tn, m.n),
    sensitivity: wilson(c.tp, c.tp + c.fn),
    specificity: wilson(c.tn, c.tn + c.fp),
    precision: wilson(c.tp, c.tp + c.fp),
    npv: wilson(c.tn, c.tn + c.fn),
    f1: boot(f1),
    balancedAccuracy: boot(balancedAccuracy),
    auc,
    youden,
    baseline: {
      majorityClass: base.majorityClass,
      source: options.trainLabels ? 'train' : 'test',
      accuracy: { value: base.accuracy.value, lo: base.accuracy.lo, hi: base.accuracy.hi, method: 'wilson' },
    },
    notes,
  };
}

/** Across-fold statistics of one numeric metric. */
export interface FoldStats {
  mean: number;
  /** Sample standard deviation (n - 1 denominator); NaN with fewer than 2 finite folds. */
  std: number;
  min: number;
  max: number;
  /** Folds where the metric was a finite number. */
  n: number;
  /** Folds given. */
  k: number;
}

// Numeric leaves of a plain object as dotted paths ("auc.value", "counts.tp"); arrays and
// non-numbers are skipped.
function numericLeaves(obj: unknown, prefix: string, out: Map<string, number>): void {
  if (typeof obj === 'number') {
    out.set(prefix, obj);
    return;
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return;
  for (const [key, v] of Object.entries(obj)) numericLeaves(v, prefix ? `${prefix}.${key}` : key, out);
}

// Per metric path: mean = sum/n, std = sqrt(sum (x - mean)^2/(n - 1)) (sample std, ddof = 1),
// min, max over the folds where it is finite; a fold with a NaN metric lowers n instead of
// poisoning the mean, and n < k shows that it happened.
export function aggregateFolds(perFoldResults: readonly object[]): Record<string, FoldStats> {
  const k = perFoldResults.length;
  const values = new Map<string, number[]>();
  for (const fold of perFoldResults) {
    const leaves = new Map<string, number>();
    numericLeaves(fold, '', leaves);
    for (const [path, v] of leaves) {
      if (!values.has(path)) values.set(path, []);
      if (Number.isFinite(v)) values.get(path)!.push(v);
    }
  }
  const out: Record<string, FoldStats> = {};
  for (const [path, xs] of values) {
    const n = xs.length;
    const mean = n ? xs.reduce((s, x) => s + x, 0) / n : Number.NaN;
    const std = n >= 2 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : Number.NaN;
    out[path] = {
      mean,
      std,
      min: n ? Math.min(...xs) : Number.NaN,
      max: n ? Math.max(...xs) : Number.NaN,
      n,
      k,
    };
  }
  return out;
}
