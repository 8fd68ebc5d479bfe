// ROC AUC of items that come in correlated clusters (every window of one woman's mammograms),
// with percentile intervals from the cluster bootstrap: a woman's windows are resampled together,
// so the interval reflects how many women were seen rather than how many windows (a DeLong or
// item bootstrap interval over 30,000 windows of 161 women would be several times too narrow).
// The paired form draws the same women for two scorers of the same items, which is how two patch
// classifiers are compared (Obuchowski 1997, Biometrics 53:567, for clustered ROC data).

import { checkBinaryInput } from './roc.js';
import { clustersOf, forEachClusterResample, quantileSorted, type BootstrapInterval } from './bootstrap.js';

/** Items in ascending score order, cut into runs of equal score: what every weighted AUC sweeps. */
interface ScoreOrder {
  order: Int32Array;
  /** runStart[r]..runStart[r + 1] - 1 are the positions in `order` of the r-th run of ties. */
  runStart: Int32Array;
}

function scoreOrder(scores: ArrayLike<number>): ScoreOrder {
  const order = Int32Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const starts = [0];
  for (let k = 1; k < order.length; k++) if (scores[order[k]!]! !== scores[order[k - 1]!]!) starts.push(k);
  starts.push(order.length);
  return { order, runStart: Int32Array.from(starts) };
}

// AUC = sum_{i pos, j neg} w_i w_j ([s_i > s_j] + [s_i = s_j] / 2) / (W_pos W_neg): the Mann-Whitney
// statistic with item i counted w_i times; one pass over the runs of tied scores, ascending.
// NaN when either class has zero weight.
function weightedAucSorted(labels: ArrayLike<number>, weight: ArrayLike<number>, s: ScoreOrder): number {
  let negBelow = 0;
  let wins = 0;
  let posTotal = 0;
  for (let r = 0; r + 1 < s.runStart.length; r++) {
    let pos = 0;
    let neg = 0;
    for (let k = s.runStart[r]!; k < s.runStart[r + 1]!; k++) {
      const i = s.order[k]!;
      if (labels[i] === 1) pos += weight[i]!;
      else neg += weight[i]!;
    }
    wins += pos * (negBelow + neg / 2);
    negBelow += neg;
    posTotal += pos;
  }
  return posTotal > 0 && negBelow > 0 ? wins / (posTotal * negBelow) : Number.NaN;
}

/** The AUC with item i counted weight[i] times (integer weights: the AUC of the data with each item repeated that often). */
export function weightedAuc(labels: ArrayLike<number>, scores: ArrayLike<number>, weight: ArrayLike<number>): number {
  if (labels.length !== scores.length || labels.length !== weight.length) throw new Error(`labels (${labels.length}), scores (${scores.length}) and weights (${weight.length}) differ in length`);
  return weightedAucSorted(labels, weight, scoreOrder(scores));
}

export interface ClusterBootstrapOptions {
  /** Replicates; default 2000. */
  B?: number;
  /** mulberry32 seed; default 0. */
  seed?: number;
  /** Central coverage; default 0.95. */
  level?: number;
}

/** A difference of two AUCs on the same items, with its paired cluster-bootstrap interval. */
export interface PairedAucDifference extends BootstrapInterval {
  aucA: number;
  aucB: number;
  /** Share of valid replicates where A's AUC is not above B's (a one-sided bootstrap p-value for "A beats B"). */
  notAbove: number;
}

function options(o: ClusterBootstrapOptions): { B: number; seed: number; level: number } {
  const level = o.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new Error(`level = ${level} must lie in (0, 1)`);
  return { B: o.B ?? 2000, seed: o.seed ?? 0, level };
}

function interval(stats: number[], level: number): { lo: number; hi: number } {
  stats.sort((x, y) => x - y);
  const alpha = (1 - level) / 2;
  return { lo: quantileSorted(stats, alpha), hi: quantileSorted(stats, 1 - alpha) };
}

function checkClusters(n: number, clusters: ArrayLike<string>): void {
  if (clusters.length !== n) throw new Error(`clusters (${clusters.length}) and labels (${n}) differ in length`);
}

/** The AUC with a percentile interval from resampling whole clusters (replicates missing a class are dropped). */
export function clusteredAucCi(labels: ArrayLike<number>, scores: ArrayLike<number>, clusters: ArrayLike<string>, o: ClusterBootstrapOptions = {}): BootstrapInterval {
  checkBinaryInput(labels, scores);
  checkClusters(labels.length, clusters);
  const { B, seed, level } = options(o);
  const sorted = scoreOrder(scores);
  const stats: number[] = [];
  forEachClusterResample(clustersOf(clusters), labels.length, B, seed, (w) => {
    const auc = weightedAucSorted(labels, w, sorted);
    if (Number.isFinite(auc)) stats.push(auc);
  });
  const value = weightedAucSorted(labels, new Float64Array(labels.length).fill(1), sorted);
  return { value, ...interval(stats, level), B, valid: stats.length, seed, level };
}

/** AUC(A) - AUC(B) of two scorers of the same items, the same clusters drawn for both in every replicate. */
export function pairedClusteredAucDifference(labels: ArrayLike<number>, scoresA: ArrayLike<number>, scoresB: ArrayLike<number>, clusters: ArrayLike<string>, o: ClusterBootstrapOptions = {}): PairedAucDifference {
  checkBinaryInput(labels, scoresA);
  checkBinaryInput(labels, scoresB);
  checkClusters(labels.length, clusters);
  const { B, seed, level } = options(o);
  const a = scoreOrder(scoresA);
  const b = scoreOrder(scoresB);
  const stats: number[] = [];
  let notAbove = 0;
  forEachClusterResample(clustersOf(clusters), labels.length, B, seed, (w) => {
    const d = weightedAucSorted(labels, w, a) - weightedAucSorted(labels, w, b);
    if (!Number.isFinite(d)) return;
    stats.push(d);
    if (d <= 0) notAbove++;
  });
  const ones = new Float64Array(labels.length).fill(1);
  const aucA = weightedAucSorted(labels, ones, a);
  const aucB = weightedAucSorted(labels, ones, b);
  return { value: aucA - aucB, aucA, aucB, ...interval(stats, level), B, valid: stats.length, seed, level, notAbove: stats.length ? notAbove / stats.length : Number.NaN };
}
