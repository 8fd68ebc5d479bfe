// ROC analysis for binary labels (1 = positive, 0 = negative) and real-valued scores
// (higher = more likely positive).
//
// Undefined input: when every sample has the same label the ROC AUC (and the ROC curve) is
// undefined, so these functions throw `AUC is undefined: all N samples are positive` (or
// `negative`) instead of returning a number. NaN scores throw too.

/** ROC curve points, like sklearn.metrics.roc_curve(..., drop_intermediate=False). */
export interface RocCurve {
  /** Decreasing; thresholds[0] = Infinity (sklearn >= 1.3), then each distinct score. */
  thresholds: number[];
  fpr: number[];
  tpr: number[];
}

/** The ROC point that maximises Youden's J = sensitivity + specificity - 1. */
export interface YoudenPoint {
  /** Predict positive when score >= threshold. */
  threshold: number;
  j: number;
  sensitivity: number;
  specificity: number;
}

/** Checks labels are 0/1 and scores are not NaN; returns the count of positives. */
export function checkBinaryInput(labels: ArrayLike<number>, scores: ArrayLike<number>): { m: number; n: number } {
  if (labels.length !== scores.length) {
    throw new Error(`labels (${labels.length}) and scores (${scores.length}) differ in length`);
  }
  let m = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (l !== 0 && l !== 1) throw new Error(`labels[${i}] = ${l} is not 0 or 1`);
    if (Number.isNaN(scores[i]!)) throw new Error(`scores[${i}] is NaN`);
    m += l;
  }
  const n = labels.length - m;
  if (m === 0 || n === 0) {
    throw new Error(`AUC is undefined: all ${labels.length} samples are ${m === 0 ? 'negative' : 'positive'}`);
  }
  return { m, n };
}

function compare(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Midranks (1-based; tied values share the mean of their ranks); Hollander & Wolfe,
// Nonparametric Statistical Methods, and the tie rule of the Mann-Whitney U statistic.
export function midranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  // Comparison, not subtraction: Infinity - Infinity is NaN and would break the sort.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => compare(values[a]!, values[b]!));
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]!] === values[order[i]!]) j++;
    // Positions i..j (0-based) tie: ranks i+1..j+1, mean (i+j)/2 + 1.
    const r = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) ranks[order[t]!] = r;
    i = j + 1;
  }
  return ranks;
}

// AUC = (sum of midranks of positives - m(m+1)/2)/(mn) = P(X>Y) + P(X=Y)/2, the Mann-Whitney
// U / (mn) with ties counted 1/2; equals the trapezoidal ROC area (sklearn roc_auc_score).
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { m, n } = checkBinaryInput(labels, scores);
  const ranks = midranks(scores);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) sum += ranks[i]!;
  return (sum - (m * (m + 1)) / 2) / (m * n);
}

// ROC points at every distinct score, tps/fps = cumulative counts above each threshold
// (sklearn _binary_clf_curve + roc_curve with drop_intermediate=False, threshold[0] = +inf).
export function rocCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): RocCurve {
  const { m, n } = checkBinaryInput(labels, scores);
  const order = Array.from({ length: labels.length }, (_, i) => i).sort((a, b) => compare(scores[b]!, scores[a]!));
  const thresholds = [Number.POSITIVE_INFINITY];
  const fpr = [0];
  const tpr = [0];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (labels[i] === 1) tp++;
    else fp++;
    // Emit a point only after the last sample of each run of equal scores.
    if (k + 1 === order.length || scores[order[k + 1]!] !== scores[i]) {
      thresholds.push(scores[i]!);
      fpr.push(fp / n);
      tpr.push(tp / m);
    }
  }
  return { thresholds, fpr, tpr };
}

// Trapezoidal area under piecewise-linear (fpr, tpr) points (sklearn.metrics.auc).
export function trapezoidArea(x: number[], y: number[]): number {
  let a = 0;
  for (let i = 1; i < x.length; i++) a += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return a;
}

// Youden's J = TPR - FPR, maximised over ROC points (Youden, Cancer 1950;3:32-35); ties go to
// the highest threshold (first maximum, like numpy argmax). J = 0 at the +inf point, so the
// result is +inf only when no threshold beats chance.
export function youdenThreshold(labels: ArrayLike<number>, scores: ArrayLike<number>): YoudenPoint {
  const c = rocCurve(labels, scores);
  let best = 0;
  for (let i = 1; i < c.thresholds.length; i++) {
    if (c.tpr[i]! - c.fpr[i]! > c.tpr[best]! - c.fpr[best]!) best = i;
  }
  return {
    threshold: c.thresholds[best]!,
    j: c.tpr[best]! - c.fpr[best]!,
    sensitivity: c.tpr[best]!,
    specificity: 1 - c.fpr[best]!,
  };
}
