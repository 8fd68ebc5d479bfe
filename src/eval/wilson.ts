// Wilson score interval for a binomial proportion (Wilson, JASA 1927;22:209-212; the same as
// scipy.stats.binomtest(k, n).proportion_ci(method='wilson')).
// n = 0 gives NaN everywhere: the proportion is undefined.

import { Z95 } from './delong.js';

export interface ProportionInterval {
  /** Point estimate k/n. */
  value: number;
  lo: number;
  hi: number;
  k: number;
  n: number;
}

// center = (p + z^2/2n)/(1 + z^2/n), half = z/(1 + z^2/n) * sqrt(p(1-p)/n + z^2/4n^2); Wilson 1927.
export function wilsonInterval(k: number, n: number, z: number = Z95): ProportionInterval {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || n < 0 || k > n) {
    throw new Error(`Wilson interval needs integers 0 <= k <= n, got k = ${k}, n = ${n}`);
  }
  if (n === 0) return { value: Number.NaN, lo: Number.NaN, hi: Number.NaN, k, n };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Clip only the rounding error at k = 0 and k = n, where the exact bound is 0 or 1.
  return { value: p, lo: Math.max(0, center - half), hi: Math.min(1, center + half), k, n };
}
