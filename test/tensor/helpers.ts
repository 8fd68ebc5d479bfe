/** Shared helpers for the tensor-engine tests: seeded data, brute-force index maths, tolerant comparison. */
import assert from 'node:assert/strict';

/** A small deterministic PRNG (mulberry32), independent of the engine under test. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n uniform values in [lo, hi). */
export function randomArray(n: number, seed: number, lo = -1, hi = 1): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => lo + (hi - lo) * r());
}

export const prod = (s: number[]): number => s.reduce((a, b) => a * b, 1);

/** Row-major strides of a shape. */
export function stridesOf(shape: number[]): number[] {
  const st = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = acc;
    acc *= shape[i]!;
  }
  return st;
}

export function unravel(flat: number, shape: number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    idx[i] = flat % shape[i]!;
    flat = Math.floor(flat / shape[i]!);
  }
  return idx;
}

export function ravel(idx: number[], shape: number[]): number {
  let f = 0;
  for (let i = 0; i < shape.length; i++) f = f * shape[i]! + idx[i]!;
  return f;
}

/** Asserts two number lists agree element-wise within atol + rtol * |expected|. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol = 1e-6, rtol = 1e-6, what = ''): void {
  assert.equal(actual.length, expected.length, `${what} length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e)) {
      assert.ok(Number.isNaN(a), `${what}[${i}]: expected NaN, got ${a}`);
      continue;
    }
    if (!Number.isFinite(e)) {
      assert.equal(a, e, `${what}[${i}]`);
      continue;
    }
    assert.ok(Math.abs(a - e) <= atol + rtol * Math.abs(e), `${what}[${i}]: ${a} vs expected ${e} (|diff| ${Math.abs(a - e)})`);
  }
}

/** Reduces along one axis of a row-major array with a function of the slice. */
export function reduceAxis(data: number[], shape: number[], axis: number, f: (xs: number[]) => number): number[] {
  const outShape = shape.filter((_, i) => i !== axis);
  const out: number[] = new Array(prod(outShape));
  for (let o = 0; o < out.length; o++) {
    const oi = unravel(o, outShape);
    const xs: number[] = [];
    for (let k = 0; k < shape[axis]!; k++) {
      const idx = [...oi.slice(0, axis), k, ...oi.slice(axis)];
      xs.push(data[ravel(idx, shape)]!);
    }
    out[o] = f(xs);
  }
  return out;
}

export const sumOf = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
export const meanOf = (xs: number[]): number => sumOf(xs) / xs.length;
export function varOf(xs: number[], unbiased = true): number {
  const m = meanOf(xs);
  return sumOf(xs.map((x) => (x - m) ** 2)) / (xs.length - (unbiased ? 1 : 0));
}
