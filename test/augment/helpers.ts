/** Small shared helpers for the augmentation tests. */
import assert from 'node:assert/strict';

/** Deterministic pseudo-random values in [0, 1) (a JS LCG, independent of the engine). */
export function pattern(count: number, seed = 1): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(s / 2 ** 32);
  }
  return out;
}

export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = 'values'): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!);
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  assert.ok(worst <= tol, `${what}: max |diff| ${worst} at ${at} (${actual[at]} vs ${expected[at]}) exceeds ${tol}`);
}

/** |count - n p| <= 4 sigma of a binomial. */
export function assertBinomial(count: number, n: number, p: number, what: string): void {
  const sd = Math.sqrt(n * p * (1 - p));
  assert.ok(Math.abs(count - n * p) <= 4 * sd, `${what}: ${count} of ${n}, expected ${n * p} +- ${4 * sd}`);
}
