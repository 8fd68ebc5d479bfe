import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, zeros, arange, tidy, F, Tensor } from '../../src/tensor/index.js';
import { assertClose, randomArray, prod, unravel, ravel, reduceAxis, sumOf, meanOf, varOf, stridesOf } from './helpers.js';

/** A float64 tensor of random values in [lo, hi) with its JS copy. */
function rnd(shape: number[], seed: number, lo = -2, hi = 2): { t: Tensor; v: number[] } {
  const v = randomArray(prod(shape), seed, lo, hi);
  return { t: tensor(new Float64Array(v), shape), v };
}

function broadcastShape(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    out.push(x === 1 ? y : x);
  }
  return out;
}

function broadcastRef(a: number[], as: number[], b: number[], bs: number[], f: (x: number, y: number) => number): number[] {
  const os = broadcastShape(as, bs);
  const out: number[] = [];
  for (let i = 0; i < prod(os); i++) {
    const idx = unravel(i, os);
    const pick = (s: number[]) => idx.slice(os.length - s.length).map((k, j) => (s[j] === 1 ? 0 : k));
    out.push(f(a[ravel(pick(as), as)]!, b[ravel(pick(bs), bs)]!));
  }
  return out;
}

test('element-wise arithmetic with broadcasting matches JS loops', () => {
  tidy(() => {
    const cases: [number[], number[]][] = [[[3, 4], [3, 4]], [[2, 3, 4], [4]], [[2, 1, 4], [3, 1]], [[1], [2, 2]], [[4, 1], [1, 5]]];
    let seed = 1;
    for (const [as, bs] of cases) {
      const A = rnd(as, seed++);
      const B = rnd(bs, seed++, 0.5, 2);
      const os = broadcastShape(as, bs);
      const check = (r: Tensor, f: (x: number, y: number) => number, name: string) => {
        assert.deepEqual(r.shape, os, name);
        assertClose(r.toArray(), broadcastRef(A.v, as, B.v, bs, f), 1e-12, 1e-12, `${name} ${as}x${bs}`);
      };
      check(A.t.add(B.t), (x, y) => x + y, 'add');
      check(A.t.add(B.t, 3), (x, y) => x + 3 * y, 'add alpha');
      check(A.t.sub(B.t), (x, y) => x - y, 'sub');
      check(A.t.sub(B.t, 0.5), (x, y) => x - 0.5 * y, 'sub alpha');
      check(A.t.mul(B.t), (x, y) => x * y, 'mul');
      check(A.t.div(B.t), (x, y) => x / y, 'div');
      check(B.t.pow(A.t), (x, y) => y ** x, 'pow tensor');
      check(A.t.maximum(B.t), Math.max, 'maximum');
      check(A.t.minimum(B.t), Math.min, 'minimum');
    }
  });
});

test('scalar overloads', () => {
  tidy(() => {
    const { t, v } = rnd([2, 3], 7);
    assertClose(t.add(2.5).toArray(), v.map((x) => x + 2.5), 1e-12);
    assertClose(t.add(1, 2).toArray(), v.map((x) => x + 2), 1e-12);
    assertClose(t.sub(3).toArray(), v.map((x) => x - 3), 1e-12);
    assertClose(t.mul(-4).toArray(), v.map((x) => x * -4), 1e-12);
    assertClose(t.div(8).toArray(), v.map((x) => x / 8), 1e-12);
    assertClose(t.abs().pow(1.5).toArray(), v.map((x) => Math.abs(x) ** 1.5), 1e-12);
    assertClose(t.pow(2).toArray(), v.map((x) => x * x), 1e-12);
    assert.equal(t.add(2).dtype, 'float64');
    const f = tensor([1, 2]);
    assert.equal(f.mul(2).dtype, 'float32');
    assert.equal(f.add(0.5).dtype, 'float32');
  });
});

test('integer tensors keep their dtype with integer scalars and tensors', () => {
  tidy(() => {
    const i = tensor([1, -2, 7], { dtype: 'int32' });
    for (const r of [i.add(3), i.sub(1), i.mul(2), i.add(i), i.mul(i), i.neg(), i.abs()]) assert.equal(r.dtype, 'int32');
    assert.deepEqual(i.add(3).toArray(), [4, 1, 10]);
    assert.deepEqual(i.mul(i).toArray(), [1, 4, 49]);
    assert.deepEqual(i.abs().toArray(), [1, 2, 7]);
    // true division and float scalars promote to float32, as in PyTorch
    assert.equal(i.div(2).dtype, 'float32');
    assert.deepEqual(i.div(2).toArray(), [0.5, -1, 3.5]);
    assert.equal(i.add(0.5).dtype, 'float32');
    // int64 stays exact beyond float32 and int32 ranges
    const big = tensor(new BigInt64Array([2n ** 40n + 1n]));
    const r = big.add(1).mul(2);
    assert.equal(r.dtype, 'int64');
    assert.deepEqual(Array.from(r.data() as BigInt64Array), [2n * (2n ** 40n + 2n)]);
    const u = tensor([250], { dtype: 'uint8' }).add(10);
    assert.equal(u.dtype, 'uint8');
    assert.deepEqual(u.toArray(), [4]); // wraps modulo 256 like PyTorch
  });
});

test('unary maths against Math', () => {
  tidy(() => {
    const { t, v } = rnd([10], 3, 0.1, 3);
    const n = rnd([10], 4, -3, 3);
    assertClose(t.exp().toArray(), v.map(Math.exp), 1e-12, 1e-12);
    assertClose(t.log().toArray(), v.map(Math.log), 1e-12, 1e-12);
    assertClose(t.log1p().toArray(), v.map(Math.log1p), 1e-12, 1e-12);
    assertClose(t.sqrt().toArray(), v.map(Math.sqrt), 1e-12, 1e-12);
    assertClose(t.rsqrt().toArray(), v.map((x) => 1 / Math.sqrt(x)), 1e-12, 1e-12);
    assertClose(t.reciprocal().toArray(), v.map((x) => 1 / x), 1e-12, 1e-12);
    assertClose(n.t.abs().toArray(), n.v.map(Math.abs), 0);
    assertClose(n.t.neg().toArray(), n.v.map((x) => -x), 0);
    assertClose(n.t.square().toArray(), n.v.map((x) => x * x), 1e-12);
    assertClose(n.t.sign().toArray(), n.v.map(Math.sign), 0);
    assertClose(n.t.floor().toArray(), n.v.map(Math.floor), 0);
    assertClose(n.t.ceil().toArray(), n.v.map(Math.ceil), 0);
    assertClose(n.t.sin().toArray(), n.v.map(Math.sin), 1e-12);
    assertClose(n.t.cos().toArray(), n.v.map(Math.cos), 1e-12);
    assertClose(n.t.tanh().toArray(), n.v.map(Math.tanh), 1e-12);
    assertClose(n.t.sigmoid().toArray(), n.v.map((x) => 1 / (1 + Math.exp(-x))), 1e-12);
    assertClose(n.t.relu().toArray(), n.v.map((x) => Math.max(0, x)), 0);
    // round half to even
    assert.deepEqual(tensor([0.5, 1.5, 2.5, -0.5, 2.6]).round().toArray(), [0, 2, 2, -0, 3]);
    assert.deepEqual(tensor([-1, 0, 4]).sqrt().toArray().map((x) => (Number.isNaN(x) ? 'nan' : x)), ['nan', 0, 2]);
    assert.deepEqual(tensor([0]).log().toArray(), [-Infinity]);
  });
});

test('comparisons, logic, where, clamp, maskedFill', () => {
  tidy(() => {
    const a = tensor([1, 2, 3, 4]);
    const b = tensor([4, 2, 1, 5]);
    const bools = (t: Tensor) => {
      assert.equal(t.dtype, 'bool');
      return t.toArray();
    };
    assert.deepEqual(bools(a.eq(b)), [0, 1, 0, 0]);
    assert.deepEqual(bools(a.ne(b)), [1, 0, 1, 1]);
    assert.deepEqual(bools(a.lt(b)), [1, 0, 0, 1]);
    assert.deepEqual(bools(a.le(b)), [1, 1, 0, 1]);
    assert.deepEqual(bools(a.gt(b)), [0, 0, 1, 0]);
    assert.deepEqual(bools(a.ge(b)), [0, 1, 1, 0]);
    assert.deepEqual(bools(a.gt(2)), [0, 0, 1, 1]);
    assert.deepEqual(bools(a.eq(3)), [0, 0, 1, 0]);
    assert.deepEqual(bools(a.gt(2).logicalNot()), [1, 1, 0, 0]);
    assert.deepEqual(bools(a.gt(1).logicalAnd(a.lt(4))), [0, 1, 1, 0]);
    assert.deepEqual(bools(a.lt(2).logicalOr(a.gt(3))), [1, 0, 0, 1]);
    assert.equal(a.gt(0).all().item(), 1);
    assert.equal(a.gt(3).any().item(), 1);
    assert.equal(a.gt(4).any().item(), 0);
    const nan = tensor([1, NaN, Infinity]);
    assert.deepEqual(bools(nan.isnan()), [0, 1, 0]);
    assert.deepEqual(bools(nan.isfinite()), [1, 0, 0]);
    // where: tensor/tensor, tensor/scalar, scalar/tensor, scalar/scalar, with broadcasting
    const c = a.gt(2);
    assert.deepEqual(F.where(c, a, b).toArray(), [4, 2, 3, 4]);
    assert.deepEqual(F.where(c, a, -1).toArray(), [-1, -1, 3, 4]);
    assert.deepEqual(F.where(c, 9, b).toArray(), [4, 2, 9, 9]);
    assert.deepEqual(F.where(c, 1, 0).toArray(), [0, 0, 1, 1]);
    const col = tensor([[1], [0]], { dtype: 'bool' });
    assert.deepEqual(F.where(col, a, b).toArray(), [1, 2, 3, 4, 4, 2, 1, 5]);
    // clamp
    assert.deepEqual(a.clamp(2, 3).toArray(), [2, 2, 3, 3]);
    assert.deepEqual(a.clamp(null, 2).toArray(), [1, 2, 2, 2]);
    assert.deepEqual(a.clamp(3).toArray(), [3, 3, 3, 4]);
    assert.deepEqual(a.clampMin(2.5).toArray(), [2.5, 2.5, 3, 4]);
    // maskedFill with a broadcast mask
    const m = tensor([[1, 2], [3, 4]]);
    assert.deepEqual(m.maskedFill(tensor([true, false], { dtype: 'bool' }), -7).toArray(), [-7, 2, -7, 4]);
    assert.deepEqual(m.maskedFill(m.gt(2), 0.5).toArray(), [1, 2, 0.5, 0.5]);
  });
});

test('reductions along dims match brute force on random data', () => {
  tidy(() => {
    const shape = [3, 4, 5];
    const { t, v } = rnd(shape, 21);
    for (const dim of [0, 1, 2]) {
      const neg = dim - 3;
      const want = (f: (xs: number[]) => number) => reduceAxis(v, shape, dim, f);
      const outShape = shape.filter((_, i) => i !== dim);
      const keepShape = shape.map((s, i) => (i === dim ? 1 : s));
      assertClose(t.sum(dim).toArray(), want(sumOf), 1e-12, 1e-12, `sum ${dim}`);
      assert.deepEqual(t.sum(dim).shape, outShape);
      assert.deepEqual(t.sum(neg, true).shape, keepShape);
      assertClose(t.sum(neg, true).toArray(), want(sumOf), 1e-12, 1e-12, `sum keepdim ${neg}`);
      assertClose(t.mean(dim).toArray(), want(meanOf), 1e-12, 1e-12, `mean ${dim}`);
      assertClose(t.var(dim).toArray(), want((xs) => varOf(xs, true)), 1e-12, 1e-12, `var ${dim}`);
      assertClose(t.var(dim, false, false).toArray(), want((xs) => varOf(xs, false)), 1e-12, 1e-12, `var biased ${dim}`);
      assertClose(t.std(dim).toArray(), want((xs) => Math.sqrt(varOf(xs, true))), 1e-12, 1e-12, `std ${dim}`);
      assertClose(t.std(dim, true, false).toArray(), want((xs) => Math.sqrt(varOf(xs, false))), 1e-12, 1e-12, `std biased ${dim}`);
      const mx = t.maxDim(dim);
      assert.deepEqual(mx.values.toArray(), want((xs) => Math.max(...xs)), `max ${dim}`);
      assert.deepEqual(mx.indices.toArray(), want((xs) => xs.indexOf(Math.max(...xs))), `max idx ${dim}`);
      assert.equal(mx.indices.dtype, 'int64');
      const mn = t.minDim(dim, true);
      assert.deepEqual(mn.values.shape, keepShape);
      assert.deepEqual(mn.values.toArray(), want((xs) => Math.min(...xs)), `min ${dim}`);
      assert.deepEqual(mn.indices.toArray(), want((xs) => xs.indexOf(Math.min(...xs))), `min idx ${dim}`);
      assert.deepEqual(t.argmax(dim).toArray(), want((xs) => xs.indexOf(Math.max(...xs))), `argmax ${dim}`);
      assert.deepEqual(t.argmin(dim).toArray(), want((xs) => xs.indexOf(Math.min(...xs))), `argmin ${dim}`);
      assertClose(t.logsumexp(dim).toArray(), want((xs) => Math.log(sumOf(xs.map(Math.exp)))), 1e-12, 1e-12, `logsumexp ${dim}`);
      assertClose(t.norm(2, dim).toArray(), want((xs) => Math.sqrt(sumOf(xs.map((x) => x * x)))), 1e-12, 1e-12, `norm ${dim}`);
      assertClose(t.norm(1, dim).toArray(), want((xs) => sumOf(xs.map(Math.abs))), 1e-12, 1e-12, `norm1 ${dim}`);
    }
    // several dims at once and all elements
    const s02 = reduceAxis(reduceAxis(v, shape, 2, sumOf), [3, 4], 0, sumOf);
    assertClose(t.sum([0, 2]).toArray(), s02, 1e-12, 1e-12, 'sum [0,2]');
    assertClose(t.mean([0, 2]).toArray(), s02.map((x) => x / 15), 1e-12, 1e-12, 'mean [0,2]');
    assert.deepEqual(t.sum().shape, []);
    assertClose([t.sum().item()], [sumOf(v)], 1e-12);
    assertClose([t.mean().item()], [meanOf(v)], 1e-12);
    assertClose([t.var().item()], [varOf(v)], 1e-12);
    assertClose([t.std().item()], [Math.sqrt(varOf(v))], 1e-12);
    assert.equal(t.max().item(), Math.max(...v));
    assert.equal(t.min().item(), Math.min(...v));
    assert.equal(t.argmax().item(), v.indexOf(Math.max(...v)));
    assertClose([t.norm().item()], [Math.sqrt(sumOf(v.map((x) => x * x)))], 1e-12);
    assertClose([t.logsumexp([0, 1, 2]).item()], [Math.log(sumOf(v.map(Math.exp)))], 1e-12);
    assert.equal(tensor([1, 2, 3, 4]).prod().item(), 24);
    // logsumexp is stable for large inputs
    assertClose(tensor([1000, 1000], { dtype: 'float64' }).logsumexp(0).toArray(), [1000 + Math.log(2)], 1e-9);
    // integer sums stay integer
    assert.equal(tensor([1, 2], { dtype: 'int32' }).sum().dtype, 'int64');
  });
});

test('softmax and logSoftmax', () => {
  tidy(() => {
    const shape = [2, 3, 4];
    const { t, v } = rnd(shape, 33, -5, 5);
    for (const dim of [0, 1, 2]) {
      const sm = t.softmax(dim);
      const ls = t.logSoftmax(dim);
      const s = sm.toArray();
      const l = ls.toArray();
      for (let i = 0; i < v.length; i++) {
        const idx = unravel(i, shape);
        const xs: number[] = [];
        for (let k = 0; k < shape[dim]!; k++) xs.push(v[ravel(idx.map((x, j) => (j === dim ? k : x)), shape)]!);
        const lse = Math.log(sumOf(xs.map(Math.exp)));
        assertClose([s[i]!], [Math.exp(v[i]! - lse)], 1e-12, 1e-12, `softmax ${dim}`);
        assertClose([l[i]!], [v[i]! - lse], 1e-12, 1e-12, `logSoftmax ${dim}`);
      }
    }
    assertClose(tensor([1000, 0], { dtype: 'float64' }).logSoftmax(0).toArray(), [0, -1000], 1e-9);
    assertClose(tensor([1000, 1000]).softmax(-1).toArray(), [0.5, 0.5], 1e-7);
  });
});

function matmulRef(a: number[], b: number[], n: number, k: number, m: number): number[] {
  const out = new Array<number>(n * m).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) for (let p = 0; p < k; p++) out[i * m + j]! += a[i * k + p]! * b[p * m + j]!;
  return out;
}

test('matmul and mm against a triple loop, batched and vector cases', () => {
  tidy(() => {
    const A = rnd([3, 4], 40);
    const B = rnd([4, 5], 41);
    const want = matmulRef(A.v, B.v, 3, 4, 5);
    assert.deepEqual(A.t.matmul(B.t).shape, [3, 5]);
    assertClose(A.t.matmul(B.t).toArray(), want, 1e-12, 1e-12);
    assertClose(A.t.mm(B.t).toArray(), want, 1e-12, 1e-12);
    // float32 as well
    assertClose(A.t.float().matmul(B.t.float()).toArray(), want, 1e-5, 1e-5);
    // batched [2,3,4] @ [4,5] broadcasts the matrix
    const C = rnd([2, 3, 4], 42);
    const bm = C.t.matmul(B.t);
    assert.deepEqual(bm.shape, [2, 3, 5]);
    assertClose(bm.toArray(), [...matmulRef(C.v.slice(0, 12), B.v, 3, 4, 5), ...matmulRef(C.v.slice(12), B.v, 3, 4, 5)], 1e-12, 1e-12);
    // matrix @ vector
    const x = rnd([4], 43);
    const mv = A.t.matmul(x.t);
    assert.deepEqual(mv.shape, [3]);
    assertClose(mv.toArray(), matmulRef(A.v, x.v, 3, 4, 1), 1e-12, 1e-12);
    // transpose
    const At = A.t.t();
    assert.deepEqual(At.shape, [4, 3]);
    assertClose(At.matmul(A.t).toArray(), matmulRef(At.toArray(), A.v, 4, 3, 4), 1e-12, 1e-12);
  });
});

test('view, reshape, permute, transpose, flatten, squeeze, unsqueeze, expand, repeat', () => {
  tidy(() => {
    const shape = [2, 3, 4];
    const a = arange(24).reshape(...shape);
    const v = a.toArray();
    assert.deepEqual(a.view(6, 4).shape, [6, 4]);
    assert.deepEqual(a.view(-1, 2).shape, [12, 2]);
    assert.deepEqual(a.view(4, 6).toArray(), v);
    const p = a.permute(2, 0, 1);
    assert.deepEqual(p.shape, [4, 2, 3]);
    assert.deepEqual(p.strides, [1, 12, 4]);
    const pv = p.toArray();
    for (let i = 0; i < 24; i++) {
      const [k, i0, j] = unravel(i, [4, 2, 3]);
      assert.equal(pv[i], v[ravel([i0!, j!, k!], shape)]);
    }
    const tr = a.transpose(0, 2);
    assert.deepEqual(tr.shape, [4, 3, 2]);
    assert.equal(tr.isContiguous(), false);
    const tv = tr.toArray();
    for (let i = 0; i < 24; i++) {
      const [k, j, i0] = unravel(i, [4, 3, 2]);
      assert.equal(tv[i], v[ravel([i0!, j!, k!], shape)]);
    }
    // reshape of a non-contiguous tensor copies in logical order
    assert.deepEqual(tr.reshape(24).toArray(), tv);
    assert.deepEqual(a.flatten().shape, [24]);
    assert.deepEqual(a.flatten(1).shape, [2, 12]);
    assert.deepEqual(a.flatten(0, 1).shape, [6, 4]);
    assert.deepEqual(a.unsqueeze(1).shape, [2, 1, 3, 4]);
    assert.deepEqual(a.unsqueeze(-1).shape, [2, 3, 4, 1]);
    assert.deepEqual(zeros([1, 3, 1]).squeeze().shape, [3]);
    assert.deepEqual(zeros([1, 3, 1]).squeeze(0).shape, [3, 1]);
    const e = tensor([[1], [2]]).expand(2, 3);
    assert.deepEqual(e.shape, [2, 3]);
    assert.deepEqual(e.strides, [1, 0]);
    assert.deepEqual(e.toArray(), [1, 1, 1, 2, 2, 2]);
    assert.deepEqual(tensor([[5]]).expandAs(zeros([2, 2])).toArray(), [5, 5, 5, 5]);
    assert.deepEqual(tensor([1, 2]).repeat(2, 2).toArray(), [1, 2, 1, 2, 1, 2, 1, 2]);
    assert.equal(a.ndim, 3);
    assert.equal(a.numel, 24);
    assert.equal(a.size(-1), 4);
    assert.equal(a.size(1), 3);
  });
});

test('cat, stack, split, chunk', () => {
  tidy(() => {
    const a = tensor([[1, 2], [3, 4]]);
    const b = tensor([[5, 6]]);
    assert.deepEqual(F.cat([a, b], 0).toArray(), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(F.cat([a, a], 1).toArray(), [1, 2, 1, 2, 3, 4, 3, 4]);
    assert.deepEqual(F.cat([a, a], -1).shape, [2, 4]);
    const s = F.stack([a, a.mul(10)], 0);
    assert.deepEqual(s.shape, [2, 2, 2]);
    assert.deepEqual(s.toArray(), [1, 2, 3, 4, 10, 20, 30, 40]);
    const s2 = F.stack([a, a.mul(10)], 2);
    assert.deepEqual(s2.shape, [2, 2, 2]);
    assert.deepEqual(s2.toArray(), [1, 10, 2, 20, 3, 30, 4, 40]);
    const r = arange(7);
    const parts = r.split(3);
    assert.deepEqual(parts.map((p) => p.toArray()), [[0, 1, 2], [3, 4, 5], [6]]);
    const parts2 = r.split([2, 5]);
    assert.deepEqual(parts2.map((p) => p.toArray()), [[0, 1], [2, 3, 4, 5, 6]]);
    const m = arange(12).reshape(3, 4);
    assert.deepEqual(m.split(2, 1).map((p) => p.toArray()), [[0, 1, 4, 5, 8, 9], [2, 3, 6, 7, 10, 11]]);
    const ch = r.chunk(3);
    assert.deepEqual(ch.map((p) => p.toArray()), [[0, 1, 2], [3, 4, 5], [6]]);
    assert.deepEqual(m.chunk(2, 1).map((p) => p.shape), [[3, 2], [3, 2]]);
  });
});

test('slice, narrow, select, indexSelect, gather, index, flip, diagonal, oneHot, scatter', () => {
  tidy(() => {
    const m = arange(20).reshape(4, 5);
    assert.deepEqual(m.slice(1, 1, 4).toArray(), [1, 2, 3, 6, 7, 8, 11, 12, 13, 16, 17, 18]);
    assert.deepEqual(m.slice(1, 0, null, 2).toArray(), [0, 2, 4, 5, 7, 9, 10, 12, 14, 15, 17, 19]);
    assert.deepEqual(m.slice(0, -2).toArray(), [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    assert.deepEqual(m.slice(0, null, 2).shape, [2, 5]);
    assert.deepEqual(m.narrow(0, 1, 2).toArray(), [5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    assert.deepEqual(m.select(1, 3).toArray(), [3, 8, 13, 18]);
    assert.deepEqual(m.select(0, -1).toArray(), [15, 16, 17, 18, 19]);
    const idx = tensor([3, 0, 3], { dtype: 'int64' });
    assert.deepEqual(m.indexSelect(0, idx).toArray(), [15, 16, 17, 18, 19, 0, 1, 2, 3, 4, 15, 16, 17, 18, 19]);
    assert.deepEqual(m.indexSelect(1, idx).toArray(), [3, 0, 3, 8, 5, 8, 13, 10, 13, 18, 15, 18]);
    // gather along dim 1: out[i][j] = m[i][g[i][j]]
    const g = tensor([[0, 4], [1, 1], [2, 0], [4, 3]], { dtype: 'int64' });
    assert.deepEqual(m.gather(1, g).toArray(), [0, 4, 6, 6, 12, 10, 19, 18]);
    const g0 = tensor([[3, 2, 1, 0, 0]], { dtype: 'int64' });
    assert.deepEqual(m.gather(0, g0).toArray(), [15, 11, 7, 3, 4]);
    // advanced indexing
    const rows = tensor([2, 0], { dtype: 'int64' });
    const cols = tensor([4, 1], { dtype: 'int64' });
    assert.deepEqual(m.index([rows, cols]).toArray(), [14, 1]);
    assert.deepEqual(m.index([null, cols]).toArray(), [4, 1, 9, 6, 14, 11, 19, 16]);
    assert.deepEqual(m.index([m.gt(16)]).toArray(), [17, 18, 19]);
    // flip
    assert.deepEqual(m.flip(1).select(0, 0).toArray(), [4, 3, 2, 1, 0]);
    assert.deepEqual(m.flip(0, 1).toArray(), m.toArray().reverse());
    assert.deepEqual(m.slice(1, 0, 3).diagonal().toArray(), [0, 6, 12]);
    assert.deepEqual(m.diagonal(1).toArray(), [1, 7, 13, 19]);
    const oh = tensor([2, 0], { dtype: 'int64' }).oneHot(3);
    assert.deepEqual(oh.shape, [2, 3]);
    assert.deepEqual(oh.toArray(), [0, 0, 1, 1, 0, 0]);
    const sc = zeros([2, 3]).scatter(1, tensor([[2], [0]], { dtype: 'int64' }), tensor([[7], [9]]));
    assert.deepEqual(sc.toArray(), [0, 0, 7, 9, 0, 0]);
    // slice is a view: writing into it writes into the base
    const base = zeros([2, 4]);
    base.slice(1, 1, 3).fill_(5);
    assert.deepEqual(base.toArray(), [0, 5, 5, 0, 0, 5, 5, 0]);
  });
});

test('topk, sort, argsort, cumsum', () => {
  tidy(() => {
    const { t, v } = rnd([3, 6], 55);
    const rows = [0, 1, 2].map((r) => v.slice(r * 6, r * 6 + 6));
    const desc = rows.map((r) => [...r].sort((a, b) => b - a));
    const tk = t.topk(2);
    assert.deepEqual(tk.values.shape, [3, 2]);
    assert.deepEqual(tk.values.toArray(), desc.flatMap((r) => r.slice(0, 2)));
    assert.deepEqual(tk.indices.toArray(), rows.flatMap((r, i) => desc[i]!.slice(0, 2).map((x) => r.indexOf(x))));
    const bottom = t.topk(3, 1, false);
    assert.deepEqual(bottom.values.toArray(), rows.flatMap((r) => [...r].sort((a, b) => a - b).slice(0, 3)));
    const so = t.sort(1);
    assert.deepEqual(so.values.toArray(), rows.flatMap((r) => [...r].sort((a, b) => a - b)));
    assert.deepEqual(so.indices.toArray(), rows.flatMap((r) => [...r].sort((a, b) => a - b).map((x) => r.indexOf(x))));
    const sd = t.sort(-1, true);
    assert.deepEqual(sd.values.toArray(), desc.flat());
    assert.deepEqual(t.argsort(1, true).toArray(), sd.indices.toArray());
    const cs = t.cumsum(1).toArray();
    const want = rows.flatMap((r) => r.map((_, j) => sumOf(r.slice(0, j + 1))));
    assertClose(cs, want, 1e-12, 1e-12);
    const cs0 = t.cumsum(0).toArray();
    assertClose(cs0.slice(12), v.slice(0, 6).map((x, j) => x + v[6 + j]! + v[12 + j]!), 1e-12, 1e-12);
    assert.deepEqual(tensor([1, 2, 3], { dtype: 'int32' }).cumsum(0).toArray(), [1, 3, 6]);
  });
});

test('to(dtype) converts values and dtypes', () => {
  tidy(() => {
    const x = tensor([2.7, -2.7, 0, 300.5], { dtype: 'float64' });
    assert.deepEqual(x.to('int32').toArray(), [2, -2, 0, 300]);
    assert.equal(x.to('int32').dtype, 'int32');
    assert.deepEqual(x.to('int64').toArray(), [2, -2, 0, 300]);
    assert.deepEqual(x.to('bool').toArray(), [1, 1, 0, 1]);
    assert.deepEqual(x.to('float16').toArray(), [2.69921875, -2.69921875, 0, 300.5]);
    assert.deepEqual(x.to('bfloat16').toArray(), [2.703125, -2.703125, 0, 300]);
    assert.deepEqual(x.to('float32').toArray(), [Math.fround(2.7), Math.fround(-2.7), 0, 300.5]);
    assert.deepEqual(x.float().dtype, 'float32');
    assert.deepEqual(x.to({ dtype: 'float32', device: 'cpu' }).dtype, 'float32');
    assert.equal(x.device, 'cpu');
    assert.deepEqual(Array.from(x.toFloat32Array()), [Math.fround(2.7), Math.fround(-2.7), 0, 300.5]);
    // a copy is independent
    const c = x.to({ copy: true });
    c.fill_(1);
    assert.deepEqual(x.toArray(), [2.7, -2.7, 0, 300.5]);
    const cl = x.clone();
    cl.zero_();
    assert.deepEqual(x.toArray(), [2.7, -2.7, 0, 300.5]);
  });
});

test("contiguous('channelsLast') gives NHWC strides and keeps values", () => {
  tidy(() => {
    const [N, C, H, W] = [2, 3, 4, 5];
    const x = arange(N * C * H * W, undefined, 1, { dtype: 'float32' }).reshape(N, C, H, W);
    assert.deepEqual(x.strides, stridesOf([N, C, H, W]));
    assert.equal(x.isContiguous('channelsLast'), false);
    const cl = x.contiguous('channelsLast');
    assert.deepEqual(cl.shape, [N, C, H, W]);
    assert.deepEqual(cl.strides, [H * W * C, 1, W * C, C]);
    assert.equal(cl.isContiguous('channelsLast'), true);
    assert.equal(cl.isContiguous(), false);
    assert.deepEqual(cl.toArray(), x.toArray());
    const back = cl.contiguous();
    assert.deepEqual(back.strides, [C * H * W, H * W, W, 1]);
    // clone preserves the format; to() can set it
    assert.deepEqual(cl.clone().strides, [H * W * C, 1, W * C, C]);
    assert.deepEqual(x.to({ memoryFormat: 'channelsLast' }).strides, [H * W * C, 1, W * C, C]);
  });
});

test('in-place ops return the same object and change its values', () => {
  tidy(() => {
    const x = tensor([1, 2, 3]);
    const y = tensor([10, 20, 30]);
    const same = (r: Tensor) => assert.equal(r, x);
    same(x.add_(y));
    assert.deepEqual(x.toArray(), [11, 22, 33]);
    same(x.add_(0.5, 2));
    assert.deepEqual(x.toArray(), [12, 23, 34]);
    same(x.add_(y, -1));
    assert.deepEqual(x.toArray(), [2, 3, 4]);
    same(x.sub_(1));
    assert.deepEqual(x.toArray(), [1, 2, 3]);
    same(x.sub_(y, 0.5));
    assert.deepEqual(x.toArray(), [-4, -8, -12]);
    same(x.mul_(-0.5));
    assert.deepEqual(x.toArray(), [2, 4, 6]);
    same(x.mul_(tensor([1, 0.5, 2])));
    assert.deepEqual(x.toArray(), [2, 2, 12]);
    same(x.div_(2));
    assert.deepEqual(x.toArray(), [1, 1, 6]);
    same(x.div_(tensor([1, 2, 3])));
    assert.deepEqual(x.toArray(), [1, 0.5, 2]);
    same(x.addcmul_(tensor([1, 2, 3]), tensor([2, 2, 2]), 0.5));
    assert.deepEqual(x.toArray(), [2, 2.5, 5]);
    same(x.addcdiv_(tensor([4, 4, 4]), tensor([2, 4, 8]), 2));
    assert.deepEqual(x.toArray(), [6, 4.5, 6]);
    same(x.clamp_(4.5, 5));
    assert.deepEqual(x.toArray(), [5, 4.5, 5]);
    same(x.copy_(tensor([-1, 0, 1])));
    assert.deepEqual(x.toArray(), [-1, 0, 1]);
    same(x.relu_());
    assert.deepEqual(x.toArray(), [0, 0, 1]);
    same(x.fill_(7));
    assert.deepEqual(x.toArray(), [7, 7, 7]);
    same(x.zero_());
    assert.deepEqual(x.toArray(), [0, 0, 0]);
    // copy_ broadcasts and converts dtype
    const z = zeros([2, 3]);
    z.copy_(tensor([1, 2, 3], { dtype: 'int64' }));
    assert.deepEqual(z.toArray(), [1, 2, 3, 1, 2, 3]);
    assert.equal(z.dtype, 'float32');
    assert.equal(x.isDisposed, false);
  });
});

test('metadata: toString, detach, item, requiresGrad', () => {
  tidy(() => {
    const x = zeros([2, 3], { dtype: 'float64' });
    assert.equal(x.toString(), 'Tensor(shape=[2, 3], dtype=float64, device=cpu)');
    assert.equal(tensor([true], { dtype: 'bool' }).item(), 1);
    assert.equal(tensor([-3], { dtype: 'int64' }).item(), -3);
    const w = zeros([2], { requiresGrad: true });
    assert.equal(w.requiresGrad, true);
    const d = w.detach();
    assert.equal(d.requiresGrad, false);
    d.fill_(3); // detach shares storage
    assert.deepEqual(w.toArray(), [3, 3]);
    const s = zeros([1]);
    s.dispose();
    assert.equal(s.toString(), 'Tensor(disposed)');
  });
});

test('shape, dtype and device come back from one native call', () => {
  const t = tensor([[1, 2, 3]], { dtype: 'int32' });
  try {
    assert.deepEqual(t.meta, { shape: [1, 3], dtype: 'int32', device: 'cpu' });
    assert.equal(String(t), 'Tensor(shape=[1, 3], dtype=int32, device=cpu)');
  } finally {
    t.dispose();
  }
});
