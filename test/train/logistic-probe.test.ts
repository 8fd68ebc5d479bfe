import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/data/rng.js';
import {
  DEFAULT_PROBE_LAMBDAS,
  STD_FLOOR,
  fitLogisticProbe,
  logisticProbeFromJSON,
  planInnerFolds,
  predictProbabilities,
  type LogisticProbe,
} from '../../src/train/logistic-probe.js';
import { parameterCount, softmaxRegressionObjective } from '../../src/train/softmax-regression.js';

const close = (got: number, want: number, tol: number, what = '') =>
  assert.ok(Math.abs(got - want) <= tol, `${what} ${got} != ${want} (tol ${tol})`);
const norm = (p: LogisticProbe) => Math.sqrt(p.weights.flat().reduce((s, w) => s + w * w, 0));
const tight = { gradientTolerance: 1e-10, maxIterations: 5000 };

/** rows x dims standard normal features; the label is 1 when signal * x0 + noise > 0. */
function synthetic(rows: number, dims: number, signal: number, seed: number, rowsPerPatient = 2) {
  const rng = createRng(seed, 'probe-test');
  const x = new Float64Array(rows * dims).map(() => rng.normal());
  const labels = Array.from({ length: rows }, (_, r) => (signal * x[r * dims]! + rng.normal() > 0 ? 1 : 0));
  const groups = Array.from({ length: rows }, (_, r) => `p${Math.floor(r / rowsPerPatient)}`);
  return { x, labels, groups };
}

/** Every gradient entry of f at params against the central difference with step 1e-6. */
function assertGradientIsFiniteDifference(f: (p: Float64Array, g: Float64Array) => number, params: Float64Array, tol: number): void {
  const grad = new Float64Array(params.length);
  f(params, grad);
  const scratch = new Float64Array(params.length);
  const h = 1e-6;
  for (let k = 0; k < params.length; k++) {
    const plus = Float64Array.from(params);
    const minus = Float64Array.from(params);
    plus[k]! += h;
    minus[k]! -= h;
    close(grad[k]!, (f(plus, scratch) - f(minus, scratch)) / (2 * h), tol, `d/dparam[${k}]`);
  }
}

test('objective gradient matches central finite differences (3 classes, row weights, penalty)', () => {
  const rng = createRng(7, 'gradient');
  const rows = 9;
  const dims = 4;
  const classes = 3;
  const problem = {
    x: new Float64Array(rows * dims).map(() => rng.normal()),
    rows,
    dims,
    classes,
    labels: Int32Array.from({ length: rows }, (_, r) => r % classes),
    rowWeights: Float64Array.from({ length: rows }, () => 0.5 + rng.next()),
    lambda: 0.3,
  };
  const params = new Float64Array(parameterCount(classes, dims)).map(() => rng.normal());
  assertGradientIsFiniteDifference(softmaxRegressionObjective(problem), params, 1e-8);
});

test('two classes: the objective equals the sum of weighted -log softmax terms, and its gradient matches finite differences', () => {
  const rng = createRng(8, 'binary-gradient');
  const rows = 11;
  const dims = 3;
  const problem = {
    x: new Float64Array(rows * dims).map(() => 3 * rng.normal()),
    rows,
    dims,
    classes: 2,
    labels: Int32Array.from({ length: rows }, (_, r) => (r * 7) % 3 === 0 ? 1 : 0),
    rowWeights: Float64Array.from({ length: rows }, () => 0.5 + rng.next()),
    lambda: 0.2,
  };
  const f = softmaxRegressionObjective(problem);
  // Large weights push some logits past +-30, where a naive log(1 + exp) would lose the loss.
  const params = new Float64Array(parameterCount(2, dims)).map(() => 4 * rng.normal());
  const grad = new Float64Array(params.length);
  const value = f(params, grad);
  let loss = 0;
  let weightSum = 0;
  let penalty = 0;
  for (let r = 0; r < rows; r++) {
    const z = [0, 1].map((c) => params[2 * dims + c]! + [0, 1, 2].reduce((s, j) => s + params[c * dims + j]! * problem.x[r * dims + j]!, 0));
    const m = Math.max(z[0]!, z[1]!);
    const logSum = m + Math.log(Math.exp(z[0]! - m) + Math.exp(z[1]! - m));
    loss -= problem.rowWeights[r]! * (z[problem.labels[r]!]! - logSum);
    weightSum += problem.rowWeights[r]!;
  }
  for (let k = 0; k < 2 * dims; k++) penalty += params[k]! ** 2;
  close(value, loss / weightSum + 0.1 * penalty, 1e-12, 'objective');
  assertGradientIsFiniteDifference(f, params, 1e-7);
  close(grad[2 * dims]! + grad[2 * dims + 1]!, 0, 1e-15, 'bias gradients sum to zero');
});

test('1-D binary probe equals an independent Newton solution of the logistic objective', () => {
  const raw = [0.3, 1.2, -0.7, 2.5, 1.9, -1.4, 0.8, 3.1, -0.2, 1.5];
  const y = [0, 1, 0, 1, 0, 0, 1, 1, 0, 1]; // x = 1.9 is a negative among positives: not separable
  const lambda = 0.1;
  const n = raw.length;
  const probe = fitLogisticProbe(Float64Array.from(raw), n, 1, y, raw.map((_, i) => `p${i}`), { lambdas: [lambda], lbfgs: tight });
  assert.equal(probe.selection, 'single-lambda');
  assert.ok(probe.fit.converged, probe.fit.reason);

  // Standardise by hand (population std), then Newton on the 2-class softmax written as binary
  // logistic regression on the logit difference: mean log-loss + (lambda/4) w^2 (the softmax
  // penalty (lambda/2)(W0^2 + W1^2) at its minimum W0 = -W1 = -w/2).
  const mean = raw.reduce((s, v) => s + v, 0) / n;
  const std = Math.sqrt(raw.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  const z = raw.map((v) => (v - mean) / std);
  let w = 0;
  let b = 0;
  for (let it = 0; it < 100; it++) {
    let gw = (lambda / 2) * w;
    let gb = 0;
    let hww = lambda / 2;
    let hwb = 0;
    let hbb = 0;
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-(w * z[i]! + b)));
      gw += ((p - y[i]!) * z[i]!) / n;
      gb += (p - y[i]!) / n;
      const v = (p * (1 - p)) / n;
      hww += v * z[i]! * z[i]!;
      hwb += v * z[i]!;
      hbb += v;
    }
    const det = hww * hbb - hwb * hwb;
    w -= (hbb * gw - hwb * gb) / det;
    b -= (hww * gb - hwb * gw) / det;
  }
  close(probe.mean[0]!, mean, 1e-15, 'mean');
  close(probe.std[0]!, std, 1e-15, 'std');
  close(probe.weights[1]![0]! - probe.weights[0]![0]!, w, 1e-6, 'w');
  close(probe.bias[1]! - probe.bias[0]!, b, 1e-6, 'b');
  close(probe.weights[0]![0]!, -probe.weights[1]![0]!, 1e-6, 'W0 = -W1');
  close(probe.bias[0]!, -probe.bias[1]!, 1e-12, 'zero-sum bias');
  const p = predictProbabilities(probe, Float64Array.from(raw), n);
  raw.forEach((_, i) => close(p[2 * i + 1]!, 1 / (1 + Math.exp(-(w * z[i]! + b))), 1e-6, `p[${i}]`));
});

test('separable data: the penalty keeps weights finite; a larger penalty shrinks them', () => {
  const raw = Float64Array.from([-3, -2, -1.5, -1, 1, 1.5, 2, 3]);
  const y = [0, 0, 0, 0, 1, 1, 1, 1];
  const groups = y.map((_, i) => `p${i}`);
  const norms = [1e-4, 1e-2, 1, 100].map((lambda) => {
    const probe = fitLogisticProbe(raw, 8, 1, y, groups, { lambdas: [lambda], lbfgs: tight });
    assert.ok(probe.fit.converged, `lambda ${lambda}: ${probe.fit.reason}`);
    assert.ok([...probe.weights.flat(), ...probe.bias].every(Number.isFinite));
    return norm(probe);
  });
  for (let i = 1; i < norms.length; i++) assert.ok(norms[i]! < norms[i - 1]!, `norms ${norms}`);
  assert.ok(norms[0]! < 100, `norm ${norms[0]} at lambda 1e-4`); // unpenalised it would diverge
});

test('inner cross-validation picks a larger penalty on pure-noise features than on informative ones', () => {
  const informative = synthetic(200, 8, 3, 1);
  const noise = synthetic(200, 8, 0, 2);
  const fit = (d: typeof informative) => fitLogisticProbe(d.x, 200, 8, d.labels, d.groups, { seed: 3 });
  const a = fit(informative);
  const b = fit(noise);
  assert.equal(a.selection, 'inner-cv');
  assert.equal(a.innerFolds, 3);
  assert.equal(a.innerScores.length, DEFAULT_PROBE_LAMBDAS.length);
  assert.deepEqual(
    a.innerScores.map((s) => s.lambda),
    [...DEFAULT_PROBE_LAMBDAS],
  );
  assert.ok(b.lambda > a.lambda, `noise picked ${b.lambda}, informative ${a.lambda}`);
  assert.ok(b.lambda >= 1, `noise picked ${b.lambda}`);
  // The chosen score is the minimum of the recorded ones.
  for (const probe of [a, b]) {
    const chosen = probe.innerScores.find((s) => s.lambda === probe.lambda)!;
    assert.ok(probe.innerScores.every((s) => s.logLoss >= chosen.logLoss));
  }
  // With noise, nothing beats predicting the base rate: its out-of-fold log loss is near ln 2.
  const best = Math.min(...b.innerScores.map((s) => s.logLoss));
  assert.ok(best > 0.6 && best < 0.75, `noise log loss ${best}`);
  assert.ok(Math.min(...a.innerScores.map((s) => s.logLoss)) < 0.4);
});

test('inner folds never split a patient, cover every row once, and are stratified', () => {
  const rng = createRng(5, 'groups');
  const rows = 120;
  // Patients with 1 to 4 rows; a patient's rows share a label, about 30 % positive.
  const groups: string[] = [];
  const labels: number[] = [];
  for (let p = 0; groups.length < rows; p++) {
    const label = rng.next() < 0.3 ? 1 : 0;
    for (let j = 0, m = 1 + rng.int(4); j < m && groups.length < rows; j++) {
      groups.push(`patient-${p}`);
      labels.push(label);
    }
  }
  const plan = planInnerFolds(labels, groups, 3, 11);
  assert.equal(plan.folds.length, 3);
  assert.deepEqual(plan.notes, []);
  const seen = new Array<number>(rows).fill(0);
  for (const fold of plan.folds) {
    const trainPatients = new Set(Array.from(fold.train, (r) => groups[r]!));
    for (const r of fold.test) {
      assert.ok(!trainPatients.has(groups[r]!), `patient ${groups[r]} is in both parts of a fold`);
      seen[r]! += 1;
    }
    assert.equal(fold.train.length + fold.test.length, rows);
  }
  assert.ok(seen.every((c) => c === 1), 'every row is out-of-fold exactly once');
  const positivePatients = plan.folds.map((f) => new Set(Array.from(f.test).filter((r) => labels[r] === 1).map((r) => groups[r])).size);
  assert.ok(Math.max(...positivePatients) - Math.min(...positivePatients) <= 1, `positive patients per fold ${positivePatients}`);
});

test('too few patients: folds are lowered, then the fallback penalty is used, and the notes say why', () => {
  const x = Float64Array.from([0, 1, 2, 3, 4, 5]);
  const labels = [0, 1, 0, 1, 0, 1];
  const twoPatients = ['a', 'a', 'a', 'b', 'b', 'b'];
  const lowered = planInnerFolds(labels, twoPatients, 3, 0);
  assert.equal(lowered.folds.length, 2);
  assert.match(lowered.notes[0]!, /lowered from 3 to 2: only 2 patients/);

  const onePatient = fitLogisticProbe(x, 6, 1, labels, new Array(6).fill('a'));
  assert.equal(onePatient.selection, 'fallback');
  assert.equal(onePatient.lambda, 0.1); // middle of 10^-4 .. 10^2
  assert.deepEqual(onePatient.innerScores, []);
  assert.match(onePatient.notes.join('\n'), /1 patient\(s\)/);

  // The only positive patient cannot be in every inner training part.
  const onePositive = fitLogisticProbe(x, 6, 1, [0, 0, 0, 0, 1, 1], ['a', 'b', 'c', 'd', 'e', 'e'], { fallbackLambda: 2 });
  assert.equal(onePositive.selection, 'fallback');
  assert.equal(onePositive.lambda, 2);
  assert.match(onePositive.notes.join('\n'), /lacks a class/);
});

test('standardisation uses training statistics only; a constant feature is floored, not divided by zero', () => {
  // Feature 0 varies, feature 1 is constant 5 in training.
  const train = Float64Array.from([1, 5, 2, 5, 4, 5, 5, 5]);
  const probe = fitLogisticProbe(train, 4, 2, [0, 0, 1, 1], ['a', 'b', 'c', 'd'], { lambdas: [0.5], lbfgs: tight });
  assert.deepEqual(probe.mean, [3, 5]);
  close(probe.std[0]!, Math.sqrt((4 + 1 + 1 + 4) / 4), 1e-15, 'population std');
  assert.equal(probe.std[1], STD_FLOOR);
  // Nothing in training varies feature 1, so the penalty leaves its weight at 0, and a test value
  // of 6 there (a million standardised units) changes nothing.
  assert.ok(probe.weights.every((w) => Math.abs(w[1]!) < 1e-12));

  // Test rows far from the training distribution: predictions use the stored training mean and
  // std, and one row's prediction does not depend on the other test rows.
  const testX = Float64Array.from([10, 6, 20, 6, -7, 6]);
  const p = predictProbabilities(probe, testX, 3);
  for (let r = 0; r < 3; r++) {
    const zs = (testX[2 * r]! - 3) / probe.std[0]!;
    const logits = probe.weights.map((w, c) => w[0]! * zs + probe.bias[c]!);
    const max = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - max));
    const sum = e[0]! + e[1]!;
    close(p[2 * r]!, e[0]! / sum, 1e-12, `p[${r}, 0]`);
    close(p[2 * r + 1]!, e[1]! / sum, 1e-12, `p[${r}, 1]`);
    const alone = predictProbabilities(probe, testX.slice(2 * r, 2 * r + 2), 1);
    assert.deepEqual(Array.from(alone), [p[2 * r]!, p[2 * r + 1]!]);
  }
});

test('balanced class weights: n / (classes * count); they raise the minority probability', () => {
  const d = synthetic(120, 3, 1, 9, 1);
  const labels = d.labels.map((l, r) => (r % 4 === 0 ? l : 0)); // mostly negative
  const positives = labels.filter((l) => l === 1).length;
  const plain = fitLogisticProbe(d.x, 120, 3, labels, d.groups, { lambdas: [0.01] });
  const balanced = fitLogisticProbe(d.x, 120, 3, labels, d.groups, { lambdas: [0.01], classWeights: 'balanced' });
  assert.deepEqual(balanced.classWeights, [120 / (2 * (120 - positives)), 120 / (2 * positives)]);
  assert.equal(plain.classWeights, null);
  const meanPositive = (probe: LogisticProbe) => {
    const p = predictProbabilities(probe, d.x, 120);
    let s = 0;
    for (let r = 0; r < 120; r++) s += p[2 * r + 1]!;
    return s / 120;
  };
  assert.ok(meanPositive(balanced) > meanPositive(plain) + 0.1);
});

test('three classes: probabilities sum to 1; the probe survives a JSON round trip', () => {
  const rng = createRng(4, 'three');
  const rows = 90;
  const labels = Array.from({ length: rows }, (_, r) => r % 3);
  const x = Float64Array.from({ length: rows * 2 }, (_, i) => (i % 2 === 0 ? labels[Math.floor(i / 2)]! : 0) + rng.normal());
  const probe = fitLogisticProbe(Float32Array.from(x), rows, 2, Int32Array.from(labels), labels.map((_, r) => `p${r}`), { seed: 1 });
  assert.equal(probe.classes, 3);
  assert.equal(probe.weights.length, 3);
  const p = predictProbabilities(probe, x, rows);
  for (let r = 0; r < rows; r++) close(p[3 * r]! + p[3 * r + 1]! + p[3 * r + 2]!, 1, 1e-12, `row ${r}`);
  const restored = logisticProbeFromJSON(JSON.parse(JSON.stringify(probe)));
  assert.deepEqual(predictProbabilities(restored, x, rows), p);
  assert.throws(() => logisticProbeFromJSON({ ...probe, bias: [0] }), /not a logistic probe/);
});

test('rejects a class without training rows and inputs whose sizes disagree', () => {
  const x = Float64Array.from([0, 1, 2, 3]);
  const g = ['a', 'b', 'c', 'd'];
  assert.throws(() => fitLogisticProbe(x, 4, 1, [0, 0, 2, 2], g), /class\(es\) 1 have no training rows/);
  assert.throws(() => fitLogisticProbe(x, 4, 1, [0, 0, 0, 0], g), /at least 2 classes/);
  assert.throws(() => fitLogisticProbe(x, 4, 1, [0, 1], g), /4 feature rows but 2 labels/);
  assert.throws(() => fitLogisticProbe(x, 3, 1, [0, 1, 0], g.slice(0, 3)), /expected 3 x 1/);
  assert.throws(() => fitLogisticProbe(x, 4, 1, [0, 1, 0.5, 1], g), /must be integers/);
});
