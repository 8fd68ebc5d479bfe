// Confusion-matrix metrics for binary and multi-class classification.
//
// Zero denominators: every ratio whose denominator is 0 (e.g. precision when nothing was
// predicted positive, sensitivity when the test set has no positives) is NaN, never a throw
// and never a silent 0. A NaN in a per-class value propagates into the macro mean, so a
// missing class cannot make a macro score look better than it is. Invalid input (length
// mismatch, labels that are not integers in [0, k)) throws.

/** Counts for a binary problem; class 1 is the positive class. */
export interface BinaryCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Every binary metric derived from the four counts. */
export interface BinaryMetrics extends BinaryCounts {
  n: number;
  accuracy: number;
  sensitivity: number;
  specificity: number;
  precision: number;
  npv: number;
  f1: number;
  balancedAccuracy: number;
}

/** One-vs-rest metrics of one class of a k-class confusion matrix. */
export interface ClassMetrics extends BinaryCounts {
  support: number;
  precision: number;
  recall: number;
  specificity: number;
  f1: number;
}

/** Multi-class summary: per-class (one-vs-rest) metrics and their unweighted (macro) means. */
export interface MultiClassMetrics {
  n: number;
  k: number;
  matrix: number[][];
  accuracy: number;
  perClass: ClassMetrics[];
  macroPrecision: number;
  macroRecall: number;
  macroSpecificity: number;
  macroF1: number;
  balancedAccuracy: number;
}

function checkClassIndex(v: number, k: number, what: string, i: number): void {
  if (!Number.isInteger(v) || v < 0 || v >= k) {
    throw new Error(`${what}[${i}] = ${v} is not an integer class index in [0, ${k})`);
  }
}

/**
 * k x k confusion matrix, rows = true class, columns = predicted class (sklearn's layout).
 * k defaults to 1 + the largest label or prediction seen.
 */
export function confusionMatrix(labels: ArrayLike<number>, preds: ArrayLike<number>, k?: number): number[][] {
  if (labels.length !== preds.length) {
    throw new Error(`labels (${labels.length}) and predictions (${preds.length}) differ in length`);
  }
  let classes = k ?? 0;
  if (k === undefined) {
    for (let i = 0; i < labels.length; i++) classes = Math.max(classes, labels[i]! + 1, preds[i]! + 1);
    classes = Math.max(classes, 2);
  }
  if (!Number.isInteger(classes) || classes < 1) throw new Error(`k = ${classes} is not a positive integer`);
  const m: number[][] = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) {
    checkClassIndex(labels[i]!, classes, 'labels', i);
    checkClassIndex(preds[i]!, classes, 'predictions', i);
    m[labels[i]!]![preds[i]!]! += 1;
  }
  return m;
}

/** Binary counts from 0/1 labels and 0/1 predictions (1 = positive). */
export function binaryCounts(labels: ArrayLike<number>, preds: ArrayLike<number>): BinaryCounts {
  const m = confusionMatrix(labels, preds, 2);
  return { tn: m[0]![0]!, fp: m[0]![1]!, fn: m[1]![0]!, tp: m[1]![1]! };
}

/** 0/1 predictions from scores: positive when score >= threshold (sklearn's roc_curve convention). */
export function thresholdScores(scores: ArrayLike<number>, threshold: number): number[] {
  return Array.from(scores, (s) => (s >= threshold ? 1 : 0));
}

// a / b, NaN when b is 0: the metric is undefined, not zero.
function ratio(a: number, b: number): number {
  return b === 0 ? Number.NaN : a / b;
}

// Accuracy = (TP+TN)/(TP+TN+FP+FN). The paper's Eq. 4 prints (TP+FP)/(TP+TN+FP+FN), which is
// wrong (it is the fraction predicted positive).
export function accuracy(c: BinaryCounts): number {
  return ratio(c.tp + c.tn, c.tp + c.tn + c.fp + c.fn);
}

// Sensitivity (recall, TPR) = TP/(TP+FN); Fawcett 2006, "An introduction to ROC analysis".
export function sensitivity(c: BinaryCounts): number {
  return ratio(c.tp, c.tp + c.fn);
}

// Specificity (TNR) = TN/(TN+FP); Fawcett 2006.
export function specificity(c: BinaryCounts): number {
  return ratio(c.tn, c.tn + c.fp);
}

// Precision (PPV) = TP/(TP+FP); Fawcett 2006.
export function precision(c: BinaryCounts): number {
  return ratio(c.tp, c.tp + c.fp);
}

// Negative predictive value = TN/(TN+FN); Altman & Bland, BMJ 1994;309:102.
export function npv(c: BinaryCounts): number {
  return ratio(c.tn, c.tn + c.fn);
}

// F1 = 2TP/(2TP+FP+FN) (harmonic mean of precision and recall); van Rijsbergen 1979, sklearn f1_score.
export function f1(c: BinaryCounts): number {
  return ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn);
}

// Balanced accuracy = (sensitivity + specificity)/2; Brodersen et al., ICPR 2010, sklearn balanced_accuracy_score.
export function balancedAccuracy(c: BinaryCounts): number {
  return (sensitivity(c) + specificity(c)) / 2;
}

/** All binary metrics from the counts. */
export function binaryMetrics(c: BinaryCounts): BinaryMetrics {
  return {
    ...c,
    n: c.tp + c.fp + c.tn + c.fn,
    accuracy: accuracy(c),
    sensitivity: sensitivity(c),
    specificity: specificity(c),
    precision: precision(c),
    npv: npv(c),
    f1: f1(c),
    balancedAccuracy: balancedAccuracy(c),
  };
}

// One-vs-rest counts of class j: TP = m[j][j], FP = column j minus TP, FN = row j minus TP, TN = rest.
export function classCounts(matrix: number[][], j: number): BinaryCounts {
  const k = matrix.length;
  let row = 0;
  let col = 0;
  let all = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) all += matrix[a]![b]!;
    row += matrix[j]![a]!;
    col += matrix[a]![j]!;
  }
  const tp = matrix[j]![j]!;
  return { tp, fp: col - tp, fn: row - tp, tn: all - row - col + tp };
}

// Mean of values; NaN if any is NaN (a macro average over an undefined class is undefined).
function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/**
 * Per-class one-vs-rest metrics and macro (unweighted) means for a k x k matrix.
 * Multi-class accuracy = trace/total; balanced accuracy = macro recall (sklearn's definition).
 */
export function multiClassMetrics(matrix: number[][]): MultiClassMetrics {
  const k = matrix.length;
  const perClass: ClassMetrics[] = [];
  let trace = 0;
  let n = 0;
  for (let j = 0; j < k; j++) {
    if (matrix[j]!.length !== k) throw new Error(`confusion matrix row ${j} has ${matrix[j]!.length} entries, expected ${k}`);
    const c = classCounts(matrix, j);
    trace += c.tp;
    n += c.tp + c.fn;
    perClass.push({
      ...c,
      support: c.tp + c.fn,
      precision: precision(c),
      recall: sensitivity(c),
      specificity: specificity(c),
      f1: f1(c),
    });
  }
  const macroRecall = mean(perClass.map((c) => c.recall));
  return {
    n,
    k,
    matrix: matrix.map((r) => r.slice()),
    accuracy: ratio(trace, n),
    perClass,
    macroPrecision: mean(perClass.map((c) => c.precision)),
    macroRecall,
    macroSpecificity: mean(perClass.map((c) => c.specificity)),
    macroF1: mean(perClass.map((c) => c.f1)),
    balancedAccuracy: macroRecall,
  };
}
