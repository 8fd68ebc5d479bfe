// Stratified percentile bootstrap confidence intervals for any metric of (labels, scores).
// Efron & Tibshirani, An Introduction to the Bootstrap (1993), ch. 13 (percentile method);
// resampling within each class keeps the class counts of every replicate equal to the
// original, so class-conditional metrics (sensitivity, AUC) are always defined.

/** A metric of labels and per-sample values (scores or predictions). */
export type Metric = (labels: number[], values: number[]) => number;

export interface BootstrapOptions {
  /** Number of replicates; default 2000. */
  B?: number;
  /** Seed of the mulberry32 generator; default 0. Same seed, same interval. */
  seed?: number;
  /** Central coverage; default 0.95. */
  level?: number;
}

export interface BootstrapInterval {
  /** The metric on the original sample. */
  value: number;
  lo: number;
  hi: number;
  B: number;
  /** Replicates whose metric was finite (NaN replicates, e.g. precision with no positive calls, are dropped). */
  valid: number;
  seed: number;
  level: number;
}

// mulberry32 (Tommy Ettinger, public domain): 32-bit state, period 2^32, uniform in [0, 1).
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Quantile with linear interpolation between order statistics, h = (N-1)q (numpy's default
// 'linear' method, Hyndman & Fan type 7). `sorted` must be ascending.
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const N = sorted.length;
  if (N === 0) return Number.NaN;
  const h = (N - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, N - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

// Percentile interval [q_{(1-level)/2}, q_{(1+level)/2}] of B metric values on resamples drawn
// with replacement within each label stratum (Efron & Tibshirani 1993, eq. 13.5).
export function stratifiedBootstrapCi(
  labels: ArrayLike<number>,
  values: ArrayLike<number>,
  metric: Metric,
  options: BootstrapOptions = {},
): BootstrapInterval {
  const B = options.B ?? 2000;
  const seed = options.seed ?? 0;
  const level = options.level ?? 0.95;
  if (labels.length !== values.length) {
    throw new Error(`labels (${labels.length}) and values (${values.length}) differ in length`);
  }
  if (!Number.isInteger(B) || B < 1) throw new Error(`B = ${B} must be a positive integer`);
  if (!(level > 0 && level < 1)) throw new Error(`level = ${level} must lie in (0, 1)`);
  const lab = Array.from(labels);
  const val = Array.from(values);
  // Strata in ascending label order so the draw sequence does not depend on sample order of classes.
  const strata = new Map<number, number[]>();
  lab.forEach((l, i) => {
    const s = strata.get(l);
    if (s) s.push(i);
    else strata.set(l, [i]);
  });
  const groups = [...strata.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  const rand = mulberry32(seed);
  const stats: number[] = [];
  const bl = new Array<number>(lab.length);
  const bv = new Array<number>(lab.length);
  for (let b = 0; b < B; b++) {
    let w = 0;
    for (const g of groups) {
      for (let t = 0; t < g.length; t++) {
        const i = g[Math.floor(rand() * g.length)]!;
        bl[w] = lab[i]!;
        bv[w] = val[i]!;
        w++;
      }
    }
    const s = metric(bl.slice(), bv.slice());
    if (Number.isFinite(s)) stats.push(s);
  }
  stats.sort((x, y) => x - y);
  const alpha = (1 - level) / 2;
  return {
    value: metric(lab, val),
    lo: quantileSorted(stats, alpha),
    hi: quantileSorted(stats, 1 - alpha),
    B,
    valid: stats.length,
    seed,
    level,
  };
}

/** Indices of `keys` grouped by key, groups in first-appearance order (so draws do not depend on how ids are spelled). */
export function clustersOf(keys: ArrayLike<string>): number[][] {
  const byKey = new Map<string, number[]>();
  for (let i = 0; i < keys.length; i++) {
    const list = byKey.get(keys[i]!);
    if (list) list.push(i);
    else byKey.set(keys[i]!, [i]);
  }
  return [...byKey.values()];
}

// Cluster bootstrap (Davison & Hinkley, Bootstrap Methods and their Application 1997, sec. 3.8):
// each replicate draws as many clusters as there are, with replacement, and every item of a drawn
// cluster comes along, so items correlated within a cluster (views or windows of one woman) stay
// together. visit(weight) gets each item's multiplicity in the replicate; the array is reused.
export function forEachClusterResample(clusters: readonly (readonly number[])[], items: number, B: number, seed: number, visit: (weight: Float64Array) => void): void {
  if (!Number.isInteger(B) || B < 1) throw new Error(`B = ${B} must be a positive integer`);
  const rand = mulberry32(seed);
  const weight = new Float64Array(items);
  for (let b = 0; b < B; b++) {
    weight.fill(0);
    for (let t = 0; t < clusters.length; t++) for (const i of clusters[Math.floor(rand() * clusters.length)]!) weight[i]! += 1;
    visit(weight);
  }
}
