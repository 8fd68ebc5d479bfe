/**
 * Whether one patch classifier beats another on the same folds, as a difference with its own
 * interval rather than two overlapping intervals: the patch AUC difference with a paired cluster
 * bootstrap over women (the same women drawn for both; their windows are correlated), and each
 * image score's AUC difference with DeLong's paired variance (DeLong et al. 1988, Biometrics
 * 44:837; like every image interval here it counts the two breasts of a woman as independent).
 * The paper's claim that pretraining beats random or from-scratch features at few labels is
 * read from these.
 */
import { AGGREGATIONS, type DetectionResult, type Aggregation } from './detection.js';
import { pairedClusteredAucDifference } from '../eval/clustered-auc.js';
import { delongPairedTest, Z95 } from '../eval/delong.js';

/** A - B with a 95 % interval. */
export interface AucDifference {
  diff: number;
  lo: number;
  hi: number;
}

export interface ImageAucDifference extends AucDifference {
  aggregation: Aggregation;
  /** Two-sided p of the paired DeLong test. */
  p: number;
}

export interface MethodComparison {
  fraction: number;
  method: string;
  against: string;
  /** Patch AUC difference, percentile interval of 2000 paired cluster-bootstrap replicates over women. */
  patch: AucDifference & { women: number; notAbove: number };
  image: ImageAucDifference[];
}

export interface ScorerOutcome {
  method: string;
  fraction: number;
  result: DetectionResult;
}

function sameItems(a: ScorerOutcome, b: ScorerOutcome): void {
  const x = a.result;
  const y = b.result;
  const same = x.patchLabels.length === y.patchLabels.length && x.patchLabels.every((l, i) => l === y.patchLabels[i] && x.patchPatients[i] === y.patchPatients[i]);
  if (!same) throw new Error(`${a.method} and ${b.method} at ${a.fraction} were scored on different test windows: run them on the same input, folds and seed`);
}

/** `a` minus `b`, two scorers of the same windows and images (same input, folds and seed). */
export function compareScorers(a: ScorerOutcome, b: ScorerOutcome, seed: number): MethodComparison {
  sameItems(a, b);
  const r = a.result;
  const d = pairedClusteredAucDifference(r.patchLabels, r.patchScores, b.result.patchScores, r.patchPatients, { seed });
  const women = new Set(r.patchPatients).size;
  const other = new Map(b.result.predictions.map((p) => [p.id, p]));
  const image: ImageAucDifference[] = [];
  for (const aggregation of AGGREGATIONS) {
    const both = r.predictions.filter((p) => p.scores[aggregation] !== undefined && other.get(p.id)?.scores[aggregation] !== undefined);
    if (both.length < r.predictions.length) continue;
    const t = delongPairedTest(both.map((p) => p.label), both.map((p) => p.scores[aggregation]!), both.map((p) => other.get(p.id)!.scores[aggregation]!));
    const half = Z95 * Math.sqrt(Math.max(0, t.varA + t.varB - 2 * t.covAB));
    image.push({ aggregation, diff: t.diff, lo: t.diff - half, hi: t.diff + half, p: t.p });
  }
  return { fraction: a.fraction, method: a.method, against: b.method, patch: { diff: d.value, lo: d.lo, hi: d.hi, women, notAbove: d.notAbove }, image };
}

const pct = (x: number): string => (Number.isFinite(x) ? (100 * x).toFixed(1) : 'n/a');
const signed = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}` : 'n/a');

/** 'SimCLR minus untrained encoder, 10 %: patch AUC +1.2 [-0.8, 3.1]; bilateral image AUC ...': where an interval excludes 0 it says which is ahead. */
export function formatComparison(c: MethodComparison): string {
  const verdict = (lo: number, hi: number): string => (lo > 0 ? ', ahead' : hi < 0 ? ', behind' : ', not distinguishable');
  // Every probe shares ", L2 logistic probe"; a fine-tuned encoder keeps its qualifier, or it reads as the probe's own encoder.
  const short = (m: string): string => m.replace(/, L2 logistic probe$/, '');
  const image = c.image.map((d) => `${d.aggregation} ${signed(d.diff)} [${signed(d.lo)}, ${signed(d.hi)}]${verdict(d.lo, d.hi)}`).join('; ');
  return `${short(c.method)} minus ${short(c.against)}, ${pct(c.fraction)} %: patch AUC ${signed(c.patch.diff)} [${signed(c.patch.lo)}, ${signed(c.patch.hi)}]${verdict(c.patch.lo, c.patch.hi)} (paired bootstrap over ${c.patch.women} women); image AUC (paired DeLong) ${image}`;
}
