// Calibration of binary predicted probabilities (label 1 = positive, p = predicted probability of
// the positive class): Brier score, reliability-diagram bins with Wilson intervals, expected
// calibration error, and a plain sentence on whether an AUC interval shows any signal at all.

import { wilsonInterval } from './wilson.js';
import type { Interval } from './summary.js';

function checkProbabilities(labels: ArrayLike<number>, probabilities: ArrayLike<number>): void {
  if (labels.length !== probabilities.length) {
    throw new Error(`labels (${labels.length}) and probabilities (${probabilities.length}) differ in length`);
  }
  if (labels.length === 0) throw new Error('calibration needs at least one prediction');
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`label ${i} is ${labels[i]}; binary labels must be 0 or 1`);
    const p = probabilities[i]!;
    if (!(p >= 0 && p <= 1)) throw new Error(`probability ${i} is ${p}; probabilities must lie in [0, 1]`);
  }
}

// Brier = (1/n) sum_i (p_i - y_i)^2 (Brier, Monthly Weather Review 1950;78:1-3).
export function brierScore(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  checkProbabilities(labels, probabilities);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum += (probabilities[i]! - labels[i]!) ** 2;
  return sum / labels.length;
}

export interface ReliabilityBin {
  /** Bin edges: [lo, hi), the last bin [lo, 1]. */
  lo: number;
  hi: number;
  count: number;
  positives: number;
  /** Mean predicted probability in the bin; NaN when empty. */
  meanPredicted: number;
  /** Observed positive fraction with its Wilson 95 % interval; NaN when empty. */
  observed: Interval;
}

/**
 * Equal-width bins over [0, 1] (default 10): p goes in bin floor(p * bins), so an edge value k/bins
 * starts its bin (up to the rounding of p * bins) and p = 1 joins the last one. Empty bins are
 * kept, so that a plot shows every bin.
 */
export function reliabilityBins(labels: ArrayLike<number>, probabilities: ArrayLike<number>, bins = 10): ReliabilityBin[] {
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`bins must be a positive integer, got ${bins}`);
  checkProbabilities(labels, probabilities);
  const count = new Array<number>(bins).fill(0);
  const positives = new Array<number>(bins).fill(0);
  const sumPredicted = new Array<number>(bins).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const p = probabilities[i]!;
    const b = Math.min(Math.floor(p * bins), bins - 1);
    count[b]! += 1;
    positives[b]! += labels[i]!;
    sumPredicted[b]! += p;
  }
  return count.map((n, b) => {
    const w = wilsonInterval(positives[b]!, n);
    return {
      lo: b / bins,
      hi: (b + 1) / bins,
      count: n,
      positives: positives[b]!,
      meanPredicted: n > 0 ? sumPredicted[b]! / n : Number.NaN,
      observed: { value: w.value, lo: w.lo, hi: w.hi, method: 'wilson' },
    };
  });
}

// ECE = sum_b (n_b / n) |observed_b - meanPredicted_b| over equal-width bins (Naeini, Cooper & Hauskrecht, AAAI 2015).
export function expectedCalibrationError(labels: ArrayLike<number>, probabilities: ArrayLike<number>, bins = 10): number {
  let ece = 0;
  for (const bin of reliabilityBins(labels, probabilities, bins)) {
    if (bin.count > 0) ece += (bin.count / labels.length) * Math.abs(bin.observed.value - bin.meanPredicted);
  }
  return ece;
}

/**
 * A sentence for a report when an AUC's 95 % interval shows no signal; undefined when the interval
 * lies above 0.5 (or is undefined, NaN, so that nothing is claimed either way).
 */
export function signalVerdict(auc: Pick<Interval, 'value' | 'lo' | 'hi'>): string | undefined {
  if (auc.hi < 0.5) {
    return 'no usable signal: the AUC interval lies wholly below 0.5 (the scores rank the classes the wrong way round more often than chance allows)';
  }
  if (auc.lo <= 0.5 && 0.5 <= auc.hi) return 'not distinguishable from chance (the interval contains 0.5)';
  return undefined;
}
