import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, zeros, ones, tidy, F, Tensor, noGrad, enableGrad, isGradEnabled, gradients, keep } from '../../src/tensor/index.js';
import { assertClose, randomArray, prod } from './helpers.js';

interface Param { shape: number[]; values: number[] }

/**
 * Checks autograd against central finite differences in float64: `fn` maps the parameter tensors
 * (all requiring grad) to a scalar tensor.
 */
function gradCheck(params: Param[], fn: (ps: Tensor[]) => Tensor, what: string, h = 1e-6, tol = 1e-6): void {
  const analytic = tidy(() => {
    const ps = params.map((p) => tensor(new Float64Array(p.values), p.shape, { requiresGrad: true }));
    const out = fn(ps);
    assert.deepEqual(out.shape, [], `${what}: output must be a scalar`);
    out.backward();
    return ps.map((p) => {
      const g = p.grad;
      assert.ok(g, `${what}: no gradient`);
      return g.toArray();
    });
  });
  const evalAt = (vals: number[][]): number =>
    tidy(() => noGrad(() => fn(params.map((p, i) => tensor(new Float64Array(vals[i]!), p.shape))).item()));
  params.forEach((p, pi) => {
    const numeric = p.values.map((_, k) => {
      const plus = params.map((q) => [...q.values]);
      const minus = params.map((q) => [...q.values]);
      plus[pi]![k]! += h;
      minus[pi]![k]! -= h;
      return (evalAt(plus) - evalAt(minus)) / (2 * h);
    });
    assertClose(analytic[pi]!, numeric, tol, tol, `${what} param ${pi}`);
  });
}

const P = (shape: number[], seed: number, lo = -1, hi = 1): Param => ({ shape, values: randomArray(prod(shape), seed, lo, hi) });
/** Contracts a non-scalar output with fixed random weights so every output element matters. */
function contract(out: Tensor, seed: number): Tensor {
  const w = tensor(new Float64Array(randomArray(out.numel, seed)), out.shape);
  return out.mul(w).sum();
}

test('gradcheck: composite of add/mul/exp/log/sum', () => {
  gradCheck([P([3, 4], 1), P([4], 2, 0.5, 1.5)], ([a, b]) =>
    a!.exp().add(b!.mul(b!)).add(1).log().mul(a!).sum().add(a!.mul(b!).sum(1).square().sum()), 'composite');
});

test('gradcheck: matmul', () => {
  gradCheck([P([3, 4], 3), P([4, 2], 4)], ([a, b]) => contract(a!.matmul(b!), 5), 'matmul');
  gradCheck([P([2, 3, 4], 6), P([4], 7)], ([a, b]) => contract(a!.matmul(b!), 8), 'batched matmul vector');
});

test('gradcheck: conv2d w.r.t. input, weight and bias', () => {
  gradCheck([P([2, 4, 5, 5], 10), P([4, 2, 3, 3], 11), P([4], 12)],
    ([x, w, b]) => contract(F.conv2d(x!, w!, b!, { stride: [2, 1], padding: 1, dilation: [1, 2], groups: 2 }), 13), 'conv2d');
});

test('gradcheck: batchNorm in training (input, weight, bias)', () => {
  gradCheck([P([4, 3, 2, 2], 20, -2, 2), P([3], 21, 0.5, 1.5), P([3], 22)],
    ([x, w, b]) => contract(F.batchNorm(x!, { weight: w!, bias: b!, training: true }), 23), 'batchNorm', 1e-6, 1e-5);
});

test('gradcheck: crossEntropy (plain, weighted, label smoothing)', () => {
  const target = () => tensor([2, 0, 3], { dtype: 'int64' });
  gradCheck([P([3, 4], 30, -2, 2)], ([l]) => F.crossEntropy(l!, target()), 'crossEntropy');
  gradCheck([P([3, 4], 31, -2, 2)], ([l]) => F.crossEntropy(l!, target(), { weight: tensor([0.5, 2, 1, 3], { dtype: 'float64' }) }), 'weighted crossEntropy');
  gradCheck([P([3, 4], 32, -2, 2)], ([l]) => F.crossEntropy(l!, target(), { labelSmoothing: 0.2 }), 'smoothed crossEntropy');
});

test('gradcheck: logsumexp, softmax, normalize', () => {
  gradCheck([P([3, 5], 40, -3, 3)], ([x]) => contract(x!.logsumexp(1), 41), 'logsumexp');
  gradCheck([P([3, 5], 42, -3, 3)], ([x]) => contract(x!.logSoftmax(1), 43), 'logSoftmax');
  gradCheck([P([3, 5], 44)], ([x]) => contract(F.normalize(x!), 45), 'normalize');
  gradCheck([P([3, 5], 46)], ([x]) => contract(F.normalize(x!, 0), 47), 'normalize dim 0');
});

test('gradcheck: gridSample w.r.t. input and grid', () => {
  // grid points kept away from pixel centres, where bilinear sampling has kinks
  gradCheck([P([1, 2, 4, 5], 50), P([1, 3, 3, 2], 51, -0.9, 0.9)],
    ([x, g]) => contract(F.gridSample(x!, g!), 52), 'gridSample', 1e-7, 1e-5);
});

test('gradcheck: interpolate (bilinear and area)', () => {
  gradCheck([P([1, 2, 3, 4], 60)], ([x]) => contract(F.interpolate(x!, [5, 7], 'bilinear'), 61), 'bilinear');
  gradCheck([P([1, 2, 6, 4], 62)], ([x]) => contract(F.interpolate(x!, [3, 2], 'area'), 63), 'area');
  gradCheck([P([1, 1, 5, 5], 64)], ([x]) => contract(F.maxPool2d(x!, 2), 65), 'maxPool2d');
});

test('backward(gradient) for a non-scalar output is a vector-Jacobian product', () => {
  tidy(() => {
    const x = tensor([1, -2, 3], { dtype: 'float64', requiresGrad: true });
    const y = x.mul(x).mul(x); // dy/dx = 3x^2
    y.backward(tensor([1, 0.5, -1], { dtype: 'float64' }));
    assert.deepEqual(x.grad!.toArray(), [3, 6, -27]);
    const z = x.mul(2);
    assert.throws(() => z.backward(), /implicitly created only for scalar outputs/);
  });
});

test('gradients() w.r.t. an intermediate activation equals the analytic value', () => {
  tidy(() => {
    const x = tensor([-1, 2, -3, 4], { dtype: 'float64', requiresGrad: true });
    const w = tensor([0.5, -1, 2, 3], { dtype: 'float64' });
    const a = x.relu();
    const y = w.mul(a).sum();
    const [ga, gx] = gradients([y], [a, x]);
    assert.deepEqual(ga!.toArray(), [0.5, -1, 2, 3]);
    assert.deepEqual(gx!.toArray(), [0, -1, 0, 3]);
    // gradients() does not touch .grad
    assert.equal(x.grad, null);
    // gradOutputs weight a non-scalar output
    const x2 = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const sq = x2.square();
    const [g2] = gradients([sq], [x2], { gradOutputs: [tensor([10, 100], { dtype: 'float64' })] });
    assert.deepEqual(g2!.toArray(), [20, 400]);
    // unused inputs: error by default, null with allowUnused
    const u = tensor([1], { dtype: 'float64', requiresGrad: true });
    const y3 = x2.sum();
    assert.throws(() => gradients([y3], [u], { retainGraph: true }));
    const [gu] = gradients([y3], [u], { allowUnused: true });
    assert.equal(gu, null);
  });
});

test('gradients() with createGraph gives differentiable gradients (second derivative)', () => {
  tidy(() => {
    const x = tensor([2, -1], { dtype: 'float64', requiresGrad: true });
    const y = x.pow(3).sum();
    const [g] = gradients([y], [x], { createGraph: true }); // 3x^2
    assert.deepEqual(g!.toArray(), [12, 3]);
    assert.equal(g!.requiresGrad, true);
    const [h] = gradients([g!.sum()], [x]); // 6x
    assert.deepEqual(h!.toArray(), [12, -6]);
  });
});

test('noGrad produces tensors without requiresGrad and restores the mode, also after a throw', () => {
  tidy(() => {
    const w = ones([2], { requiresGrad: true });
    assert.equal(isGradEnabled(), true);
    const y = noGrad(() => {
      assert.equal(isGradEnabled(), false);
      return w.mul(3);
    });
    assert.equal(y.requiresGrad, false);
    assert.equal(isGradEnabled(), true);
    assert.equal(w.mul(3).requiresGrad, true);
    assert.throws(() => noGrad(() => { throw new Error('boom'); }), /boom/);
    assert.equal(isGradEnabled(), true);
    // enableGrad inside noGrad records again
    const z = noGrad(() => enableGrad(() => w.mul(2)));
    assert.equal(z.requiresGrad, true);
    assert.equal(isGradEnabled(), true);
    assert.throws(() => noGrad(() => Promise.resolve(1)), /synchronous/);
    assert.equal(isGradEnabled(), true);
  });
});

test('requiresGrad_ on leaves; results of leaves without grad do not require grad', () => {
  tidy(() => {
    const x = tensor([1, 2]);
    assert.equal(x.requiresGrad, false);
    assert.equal(x.requiresGrad_(), x);
    assert.equal(x.requiresGrad, true);
    assert.equal(x.add(1).requiresGrad, true);
    x.requiresGrad_(false);
    assert.equal(x.requiresGrad, false);
    assert.equal(x.add(1).requiresGrad, false);
    // only floating tensors can require grad
    assert.throws(() => tensor([1], { dtype: 'int64' }).requiresGrad_(), /floating point|complex/);
    assert.equal(x.grad, null);
  });
});

test('grad accumulates across two backward calls (retainGraph) and setGrad(null) clears it', () => {
  tidy(() => {
    const x = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const y = x.square().sum();
    y.backward(undefined, { retainGraph: true });
    assert.deepEqual(x.grad!.toArray(), [2, 4, 6]);
    y.backward();
    assert.deepEqual(x.grad!.toArray(), [4, 8, 12]);
    // the graph is freed now
    assert.throws(() => y.backward(), /second time|freed/);
    x.setGrad(null);
    assert.equal(x.grad, null);
    x.square().sum().backward();
    assert.deepEqual(x.grad!.toArray(), [2, 4, 6]);
    // setGrad with a tensor replaces it, and the next backward adds to it
    x.setGrad(tensor([100, 100, 100], { dtype: 'float64' }));
    x.sum().backward();
    assert.deepEqual(x.grad!.toArray(), [101, 101, 101]);
  });
});

test('detach cuts the graph', () => {
  tidy(() => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const y = x.mul(x.detach()).sum(); // d/dx = x (detached factor is a constant)
    y.backward();
    assert.deepEqual(x.grad!.toArray(), [1, 2]);
  });
});

test('a parameter kept out of tidy keeps its gradient across steps', () => {
  const w = keep(zeros([2], { dtype: 'float64', requiresGrad: true }));
  try {
    for (let step = 0; step < 3; step++) tidy(() => w.add(tensor([1, 2], { dtype: 'float64' })).square().sum().backward());
    // sum over steps of 2(w + c) with w = 0
    assert.deepEqual(w.grad!.toArray(), [6, 12]);
  } finally {
    w.dispose();
  }
});
