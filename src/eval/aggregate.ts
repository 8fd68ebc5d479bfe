/**
 * Whole-image scores from the window scores of a sliding patch classifier. `max` trusts the
 * single most suspicious window; `topKMean` averages the k most suspicious, which damps one
 * spurious window; `noisyOr` treats windows as independent detectors, P(lesion somewhere) =
 * 1 - prod(1 - p_k), so it grows with the number of windows and suits probabilities only.
 */
import type { ScoreMap } from './localization.js';

export type AggregationRule = { kind: 'max' } | { kind: 'topKMean'; k: number } | { kind: 'noisyOr' };

function checkScores(scores: ArrayLike<number>): void {
  if (scores.length === 0) throw new Error('an image score needs at least one window score');
}

export function maxScore(scores: ArrayLike<number>): number {
  checkScores(scores);
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > m) m = scores[i]!;
  return m;
}

/** Mean of the k largest scores (all of them when there are fewer than k). */
export function topKMean(scores: ArrayLike<number>, k: number): number {
  checkScores(scores);
  if (!Number.isInteger(k) || k < 1) throw new Error(`top-k mean needs an integer k >= 1, got ${k}`);
  const top = Array.from(scores).sort((a, b) => b - a).slice(0, k);
  return top.reduce((s, v) => s + v, 0) / top.length;
}

// noisy-OR: 1 - prod_k (1 - p_k) (Pearl, Probabilistic Reasoning in Intelligent Systems, 1988, sec. 4.3.2),
// summed in log space so hundreds of small p_k do not round the product to 1.
export function noisyOr(probabilities: ArrayLike<number>): number {
  checkScores(probabilities);
  let logNone = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    if (!(p >= 0 && p <= 1)) throw new Error(`noisy-OR needs probabilities in [0, 1], got ${p}`);
    logNone += Math.log1p(-p);
  }
  return 0 - Math.expm1(logNone); // 0 - x, not -x: no -0 when every p is 0
}

export function aggregateScores(scores: ArrayLike<number>, rule: AggregationRule): number {
  switch (rule.kind) {
    case 'max':
      return maxScore(scores);
    case 'topKMean':
      return topKMean(scores, rule.k);
    case 'noisyOr':
      return noisyOr(scores);
    default:
      throw new Error(`unknown aggregation rule '${(rule as { kind: string }).kind}' (max, topKMean or noisyOr)`);
  }
}

/** One score per image, in the order of `maps`. */
export function imageScores(maps: readonly ScoreMap[], rule: AggregationRule): { image: string; patientId: string; score: number }[] {
  return maps.map((m) => ({ image: m.image, patientId: m.patientId, score: aggregateScores(m.windows.map((w) => w.score), rule) }));
}
