import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minimizeLbfgs, type ObjectiveWithGradient } from '../../src/optim/lbfgs.js';

// f(a, b) = (1 - a)^2 + 100 (b - a^2)^2, minimum 0 at (1, 1).
const rosenbrock: ObjectiveWithGradient = (x, g) => {
  const a = x[0]!;
  const b = x[1]!;
  g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
  g[1] = 200 * (b - a * a);
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
};

test('Rosenbrock from (-1.2, 1) reaches (1, 1) to 1e-6', () => {
  const r = minimizeLbfgs(rosenbrock, [-1.2, 1]);
  assert.ok(r.converged, `stopped by ${r.reason} after ${r.iterations} iterations`);
  assert.ok(Math.abs(r.x[0]! - 1) < 1e-6, `a = ${r.x[0]}`);
  assert.ok(Math.abs(r.x[1]! - 1) < 1e-6, `b = ${r.x[1]}`);
  assert.ok(r.value < 1e-12);
  assert.ok(r.iterations < 100, `${r.iterations} iterations`);
});

test('Rosenbrock with a history of 1 (one correction pair) still converges', () => {
  const r = minimizeLbfgs(rosenbrock, [-1.2, 1], { history: 1 });
  assert.ok(r.converged, r.reason);
  assert.ok(Math.abs(r.x[0]! - 1) < 1e-6 && Math.abs(r.x[1]! - 1) < 1e-6, `${r.x}`);
});

test('ill-conditioned quadratic: minimiser solves A x = b', () => {
  // The line search compares values of f, and near the minimum f only resolves x to about
  // sqrt(machine epsilon), hence 1e-7 rather than the gradient tolerance.
  // f = x'Ax/2 - b'x with A = diag(1, 10, 100, 1000, 10000) plus a coupling between x0 and x1,
  // so the minimiser is A^-1 b, worked out by hand below.
  const n = 5;
  const A = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 10 ** i : 0)));
  A[0]![1] = A[1]![0] = 2;
  const b = [1, 2, 3, 4, 5];
  const quadratic: ObjectiveWithGradient = (x, g) => {
    let v = 0;
    for (let i = 0; i < n; i++) {
      let ax = 0;
      for (let j = 0; j < n; j++) ax += A[i]![j]! * x[j]!;
      g[i] = ax - b[i]!;
      v += 0.5 * x[i]! * ax - b[i]! * x[i]!;
    }
    return v;
  };
  // [[1, 2], [2, 10]] [x0, x1] = [1, 2]: det 6, x0 = (10 - 4)/6 = 1, x1 = (2 - 2)/6 = 0.
  const want = [1, 0, 3 / 100, 4 / 1000, 5 / 10000];
  const r = minimizeLbfgs(quadratic, new Float64Array(n), { gradientTolerance: 1e-12 });
  assert.ok(r.converged, r.reason);
  r.x.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-7, `x[${i}] = ${v}, want ${want[i]}`));
  // f* = -b'A^-1 b / 2 = -(1*1 + 2*0 + 3*0.03 + 4*0.004 + 5*0.0005)/2
  assert.ok(Math.abs(r.value - -(1 + 0.09 + 0.016 + 0.0025) / 2) < 1e-14);
});

test('starting at the minimum stops at once; maxIterations is honoured and reported', () => {
  const atMin = minimizeLbfgs(rosenbrock, [1, 1]);
  assert.equal(atMin.iterations, 0);
  assert.equal(atMin.reason, 'gradient');
  const capped = minimizeLbfgs(rosenbrock, [-1.2, 1], { maxIterations: 3 });
  assert.equal(capped.iterations, 3);
  assert.equal(capped.reason, 'max-iterations');
  assert.equal(capped.converged, false);
});

test('NaN regions are stepped back from', () => {
  // sqrt(1 + x^2), minimum at 0, made undefined for x > 3: from x = -10 the gradient is nearly
  // flat, so the secant step overshoots far into the undefined region.
  const values: number[] = [];
  const r = minimizeLbfgs((x, g) => {
    const v = x[0]! > 3 ? Number.NaN : Math.sqrt(1 + x[0]! ** 2);
    g[0] = x[0]! / Math.sqrt(1 + x[0]! ** 2);
    values.push(v);
    return v;
  }, [-10]);
  assert.ok(r.converged, r.reason);
  assert.ok(Math.abs(r.x[0]!) < 1e-8, `${r.x[0]}`);
  assert.ok(values.some((v) => Number.isNaN(v)), 'the line search should have met the NaN region');
});

test('rejects bad options', () => {
  assert.throws(() => minimizeLbfgs(rosenbrock, [0, 0], { history: 0 }), /history/);
  assert.throws(() => minimizeLbfgs(rosenbrock, [0, 0], { c1: 0.9, c2: 0.1 }), /c1 < c2/);
  assert.throws(() => minimizeLbfgs(() => Number.NaN, [0]), /starting point/);
});
