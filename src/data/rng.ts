/**
 * Seeded pseudo-random numbers. Every split, fraction and phantom takes an explicit seed so that
 * a run can be reproduced from its config alone; nothing here touches Math.random or global state.
 *
 * Algorithm: mulberry32 (Tommy Ettinger, public domain), a 32-bit state advanced by the Weyl
 * increment 0x6D2B79F5 and mixed with two xorshift-multiply rounds. Period 2^32, passes
 * gjrand/PractRand to a few GB, which is plenty for shuffles and texture noise. String seeds and
 * (seed, index) pairs are folded to 32 bits with FNV-1a followed by the murmur3 finaliser, so
 * nearby seeds ("1", "2") give unrelated streams.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Fisher-Yates shuffle of a copy. */
  shuffle<T>(items: readonly T[]): T[];
}

export type Seed = number | string;

/** Folds any seed (and optional extra keys) to a 32-bit unsigned integer. */
export function hashSeed(seed: Seed, ...keys: Seed[]): number {
  let h = 0x811c9dc5;
  const feed = (s: string): void => {
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    // Separator so that ("ab","c") and ("a","bc") differ.
    h ^= 0xff;
    h = Math.imul(h, 0x01000193);
  };
  feed(typeof seed === 'number' ? `n${seed}` : `s${seed}`);
  for (const k of keys) feed(typeof k === 'number' ? `n${k}` : `s${k}`);
  // murmur3 fmix32
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function createRng(seed: Seed, ...keys: Seed[]): Rng {
  let state = hashSeed(seed, ...keys);
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    normal: () => {
      const u = 1 - next(); // (0, 1], keeps log finite
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    shuffle: <T>(items: readonly T[]): T[] => {
      const a = items.slice();
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = a[i] as T;
        a[i] = a[j] as T;
        a[j] = tmp;
      }
      return a;
    },
  };
}
