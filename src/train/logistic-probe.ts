/**
 * Linear evaluation by the protocol of Kornblith, Shlens & Le (CVPR 2019, "Do Better ImageNet
 * Models Transfer Better?"): L2-penalised multinomial logistic regression on frozen features,
 * fitted to convergence by L-BFGS, with the penalty chosen on held-out training data. Here that
 * choice is an inner cross-validation grouped by patient and stratified by label, and features
 * are standardised with statistics of the rows being fitted only, so nothing about held-out rows
 * or patients reaches a fit. Pure TypeScript on Float64Array: feature
 * matrices of ~20000 x 1024 fit in memory and need no tensors.
 */
import { kFoldByPatient } from '../data/splits.js';
import type { Seed } from '../data/rng.js';
import type { LbfgsOptions, LbfgsStopReason } from '../optim/lbfgs.js';
import { fitSoftmaxRegression, softmaxLogProbabilities, type SoftmaxRegressionProblem } from './softmax-regression.js';

export type FeatureMatrix = Float64Array | Float32Array;

/** 10^-4 .. 10^2 in half decades: 13 values. */
export const DEFAULT_PROBE_LAMBDAS: readonly number[] = Array.from({ length: 13 }, (_, i) => 10 ** (-4 + i / 2));

/** Probe fits stop at a gradient inf-norm of 1e-6 or 1000 iterations unless told otherwise. */
export const DEFAULT_PROBE_LBFGS: LbfgsOptions = { gradientTolerance: 1e-6, maxIterations: 1000 };

/** A constant feature gets this std, so it standardises to 0 instead of dividing by zero. */
export const STD_FLOOR = 1e-6;

export interface LogisticProbeOptions {
  /** Default: largest label + 1. Every class must have training rows. */
  classes?: number;
  /** Penalty grid; default DEFAULT_PROBE_LAMBDAS. A single value skips the inner cross-validation. */
  lambdas?: readonly number[];
  /** Inner folds (patient-grouped, label-stratified). Default 3. */
  innerFolds?: number;
  /** Seed of the inner fold assignment. Default 0. */
  seed?: Seed;
  /**
   * Per-class loss weights, or 'balanced' (n / (classes * count_c), as sklearn). Each inner fit
   * recomputes 'balanced' from its own training part; out-of-fold log losses are weighted by the
   * weights of the whole training set, so that the score matches what the final fit optimises.
   */
  classWeights?: 'balanced' | readonly number[];
  /** Penalty used when no inner fold can be formed; default the middle of the sorted grid. */
  fallbackLambda?: number;
  /** L-BFGS settings for every fit; merged over DEFAULT_PROBE_LBFGS. */
  lbfgs?: LbfgsOptions;
}

export interface InnerScore {
  lambda: number;
  /** Out-of-fold mean log loss over all training rows (class-weighted when classWeights is set). */
  logLoss: number;
}

export type LambdaSelection = 'inner-cv' | 'single-lambda' | 'fallback';

/** Plain data (JSON.stringify-able as is): everything needed to predict and to audit the fit. */
export interface LogisticProbe {
  classes: number;
  dims: number;
  /** Training-row feature means and population stds (floored at STD_FLOOR). */
  mean: number[];
  std: number[];
  /** classes x dims, acting on standardised features. */
  weights: number[][];
  bias: number[];
  lambda: number;
  /** Class weights used in the final fit, or null. */
  classWeights: number[] | null;
  /** One per grid value, ascending lambda; empty when no cross-validation ran. */
  innerScores: InnerScore[];
  selection: LambdaSelection;
  /** Inner folds actually used (0 without cross-validation). */
  innerFolds: number;
  /** Why folds were reduced or the fallback was taken, and fits that did not converge. */
  notes: string[];
  /** The final fit on all training rows. */
  fit: { objective: number; iterations: number; converged: boolean; reason: LbfgsStopReason };
}

export interface Standardization {
  mean: Float64Array;
  std: Float64Array;
}

// mean_j = sum_r x_rj / n, std_j = max(sqrt(sum_r (x_rj - mean_j)^2 / n), STD_FLOOR) (population std, as sklearn StandardScaler).
export function standardizationOf(x: FeatureMatrix, dims: number, rowIndices: ArrayLike<number>): Standardization {
  const n = rowIndices.length;
  if (n === 0) throw new Error('standardisation needs at least one row');
  const mean = new Float64Array(dims);
  const std = new Float64Array(dims);
  for (let i = 0; i < n; i++) {
    const offset = rowIndices[i]! * dims;
    for (let j = 0; j < dims; j++) mean[j]! += x[offset + j]!;
  }
  for (let j = 0; j < dims; j++) mean[j]! /= n;
  // Two passes: the one-pass sum-of-squares formula loses digits on large-offset features.
  for (let i = 0; i < n; i++) {
    const offset = rowIndices[i]! * dims;
    for (let j = 0; j < dims; j++) std[j]! += (x[offset + j]! - mean[j]!) ** 2;
  }
  for (let j = 0; j < dims; j++) std[j] = Math.max(Math.sqrt(std[j]! / n), STD_FLOOR);
  return { mean, std };
}

/** The given rows of x, standardised, as a new dense matrix. */
export function standardizeRows(x: FeatureMatrix, dims: number, rowIndices: ArrayLike<number>, s: Standardization): Float64Array {
  const out = new Float64Array(rowIndices.length * dims);
  for (let i = 0; i < rowIndices.length; i++) {
    const from = rowIndices[i]! * dims;
    const to = i * dims;
    for (let j = 0; j < dims; j++) out[to + j] = (x[from + j]! - s.mean[j]!) / s.std[j]!;
  }
  return out;
}

function range(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

function pick(labels: ArrayLike<number>, rowIndices: ArrayLike<number>): Int32Array {
  return Int32Array.from({ length: rowIndices.length }, (_, i) => labels[rowIndices[i]!]!);
}

function classCounts(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]! += 1;
  return counts;
}

// w_c = n / (classes * count_c), sklearn's class_weight='balanced'.
function balancedWeights(labels: ArrayLike<number>, classes: number): number[] {
  return classCounts(labels, classes).map((count) => (count === 0 ? 0 : labels.length / (classes * count)));
}

function resolveClassWeights(spec: LogisticProbeOptions['classWeights'], labels: ArrayLike<number>, classes: number): number[] | null {
  if (spec === undefined) return null;
  if (spec === 'balanced') return balancedWeights(labels, classes);
  if (spec.length !== classes || spec.some((w) => !(w >= 0 && Number.isFinite(w)))) {
    throw new Error(`classWeights must be 'balanced' or ${classes} finite non-negative numbers, got [${spec.join(', ')}]`);
  }
  return [...spec];
}

function rowWeightsOf(labels: Int32Array, classWeights: number[] | null): Float64Array | null {
  return classWeights ? Float64Array.from(labels, (y) => classWeights[y]!) : null;
}

export interface InnerFold {
  /** Row indices, ascending. */
  train: Int32Array;
  test: Int32Array;
}

export interface InnerFoldPlan {
  /** Empty when no valid split exists. */
  folds: InnerFold[];
  notes: string[];
}

/**
 * Patient-grouped, label-stratified inner folds (kFoldByPatient), or none. A split is valid when
 * every inner training part holds every class present in the rows; otherwise the fold count is
 * lowered (down to 2) and, failing that, no folds are returned. Notes say why.
 */
export function planInnerFolds(labels: ArrayLike<number>, groups: readonly string[], folds: number, seed: Seed): InnerFoldPlan {
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`innerFolds must be an integer >= 2, got ${folds}`);
  if (groups.length !== labels.length) throw new Error(`${labels.length} labels but ${groups.length} patient ids`);
  const notes: string[] = [];
  const patients = new Set(groups).size;
  if (patients < 2) {
    notes.push(`no inner cross-validation: ${patients} patient(s), and patient-grouped folds need at least 2`);
    return { folds: [], notes };
  }
  const present = new Set(Array.from(labels)).size;
  const items = Array.from({ length: labels.length }, (_, i) => ({ patientId: groups[i]!, label: labels[i]!, row: i }));
  let k = Math.min(folds, patients);
  if (k < folds) notes.push(`inner folds lowered from ${folds} to ${k}: only ${patients} patients`);
  for (; k >= 2; k--) {
    const split = kFoldByPatient(items, k, seed).map((f) => ({
      train: Int32Array.from(f.train, (it) => it.row).sort(),
      test: Int32Array.from(f.test, (it) => it.row).sort(),
    }));
    const missing = split.findIndex((f) => new Set(pick(labels, f.train)).size < present);
    if (missing < 0) return { folds: split, notes };
    notes.push(`${k} inner folds rejected: the training part of fold ${missing} lacks a class (too few patients in it)`);
  }
  notes.push('no inner cross-validation: no patient-grouped split leaves every class in every inner training part');
  return { folds: [], notes };
}

interface ValidatedInput {
  rows: number;
  dims: number;
  classes: number;
  labels: Int32Array;
}

function validate(x: FeatureMatrix, rows: number, dims: number, labels: ArrayLike<number>, groups: readonly string[], classesOption?: number): ValidatedInput {
  if (!Number.isInteger(rows) || !Number.isInteger(dims) || rows < 1 || dims < 1) throw new Error(`rows and dims must be positive integers, got ${rows} x ${dims}`);
  if (x.length !== rows * dims) throw new Error(`feature matrix has ${x.length} values, expected ${rows} x ${dims} = ${rows * dims}`);
  if (labels.length !== rows) throw new Error(`${rows} feature rows but ${labels.length} labels`);
  if (groups.length !== rows) throw new Error(`${rows} feature rows but ${groups.length} patient ids`);
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) throw new Error(`feature value ${i} (row ${Math.floor(i / dims)}) is ${x[i]}`);
  const ints = Int32Array.from(labels);
  let maxLabel = -1;
  for (let i = 0; i < rows; i++) {
    if (ints[i] !== labels[i] || ints[i]! < 0) throw new Error(`label ${i} is ${labels[i]}; labels must be integers >= 0`);
    maxLabel = Math.max(maxLabel, ints[i]!);
  }
  const classes = classesOption ?? maxLabel + 1;
  if (!Number.isInteger(classes) || classes < 2) throw new Error(`a probe needs at least 2 classes, got ${classes}`);
  if (maxLabel >= classes) throw new Error(`label ${maxLabel} is outside 0..${classes - 1}`);
  const counts = classCounts(ints, classes);
  const absent = counts.flatMap((c, k) => (c === 0 ? [k] : []));
  if (absent.length) {
    // Its unpenalised bias would run to -infinity: the probe cannot estimate a class it never saw.
    throw new Error(`class(es) ${absent.join(', ')} have no training rows; a logistic probe cannot be fitted`);
  }
  return { rows, dims, classes, labels: ints };
}

function sortedGrid(lambdas: readonly number[]): number[] {
  if (lambdas.length === 0) throw new Error('the lambda grid is empty');
  for (const l of lambdas) if (!(l >= 0 && Number.isFinite(l))) throw new Error(`lambda ${l} must be finite and >= 0`);
  return [...new Set(lambdas)].sort((a, b) => a - b);
}

/** Log loss of every grid value, pooled over the out-of-fold predictions of all inner folds. */
function innerCrossValidation(
  x: FeatureMatrix,
  input: ValidatedInput,
  folds: InnerFold[],
  grid: number[],
  options: LogisticProbeOptions,
  scoringWeights: number[] | null,
  notes: string[],
): InnerScore[] {
  const { dims, classes, labels } = input;
  const lbfgs = { ...DEFAULT_PROBE_LBFGS, ...options.lbfgs };
  const lossSum = new Float64Array(grid.length);
  let weightSum = 0;
  for (let r = 0; r < input.rows; r++) weightSum += scoringWeights ? scoringWeights[labels[r]!]! : 1;

  folds.forEach((fold, f) => {
    // Each inner fit standardises with its own training part, as the final fit will.
    const s = standardizationOf(x, dims, fold.train);
    const trainX = standardizeRows(x, dims, fold.train, s);
    const testX = standardizeRows(x, dims, fold.test, s);
    const trainLabels = pick(labels, fold.train);
    const testLabels = pick(labels, fold.test);
    const rowWeights = rowWeightsOf(trainLabels, resolveClassWeights(options.classWeights, trainLabels, classes));
    // Largest penalty first, each fit warm-started from the last: the path is smooth in lambda.
    let start: Float64Array | undefined;
    for (let g = grid.length - 1; g >= 0; g--) {
      const problem: SoftmaxRegressionProblem = { x: trainX, rows: fold.train.length, dims, classes, labels: trainLabels, rowWeights, lambda: grid[g]! };
      const fit = fitSoftmaxRegression(problem, lbfgs, start);
      if (!fit.optimisation.converged) notes.push(`inner fold ${f}, lambda ${grid[g]}: L-BFGS stopped by ${fit.optimisation.reason}`);
      start = fit.params;
      const logP = softmaxLogProbabilities(fit.params, testX, fold.test.length, dims, classes);
      for (let i = 0; i < fold.test.length; i++) {
        const y = testLabels[i]!;
        lossSum[g]! -= (scoringWeights ? scoringWeights[y]! : 1) * logP[i * classes + y]!;
      }
    }
  });
  return grid.map((lambda, g) => ({ lambda, logLoss: lossSum[g]! / weightSum }));
}

/** Smallest log loss; exact ties go to the larger penalty (the simpler model). */
function bestLambda(scores: InnerScore[]): number {
  let best = scores[scores.length - 1]!;
  for (let g = scores.length - 2; g >= 0; g--) if (scores[g]!.logLoss < best.logLoss) best = scores[g]!;
  return best.lambda;
}

/**
 * Fits the probe on training rows x (rows x dims, row-major) with integer labels and a patient
 * id per row: inner cross-validation over the lambda grid, then a refit on all rows.
 */
export function fitLogisticProbe(
  x: FeatureMatrix,
  rows: number,
  dims: number,
  labels: Int32Array | readonly number[],
  groups: readonly string[],
  options: LogisticProbeOptions = {},
): LogisticProbe {
  const input = validate(x, rows, dims, labels, groups, options.classes);
  const grid = sortedGrid(options.lambdas ?? DEFAULT_PROBE_LAMBDAS);
  const classWeights = resolveClassWeights(options.classWeights, input.labels, input.classes);
  const notes: string[] = [];

  let lambda: number;
  let selection: LambdaSelection;
  let innerScores: InnerScore[] = [];
  let innerFolds = 0;
  if (grid.length === 1) {
    lambda = grid[0]!;
    selection = 'single-lambda';
  } else {
    const plan = planInnerFolds(input.labels, groups, options.innerFolds ?? 3, options.seed ?? 0);
    notes.push(...plan.notes);
    if (plan.folds.length === 0) {
      lambda = sortedGrid([options.fallbackLambda ?? grid[Math.floor((grid.length - 1) / 2)]!])[0]!;
      selection = 'fallback';
      notes.push(`lambda ${lambda} used without cross-validation`);
    } else {
      innerFolds = plan.folds.length;
      innerScores = innerCrossValidation(x, input, plan.folds, grid, options, classWeights, notes);
      lambda = bestLambda(innerScores);
      selection = 'inner-cv';
    }
  }

  const all = range(rows);
  const s = standardizationOf(x, dims, all);
  const problem: SoftmaxRegressionProblem = {
    x: standardizeRows(x, dims, all, s),
    rows,
    dims,
    classes: input.classes,
    labels: input.labels,
    rowWeights: rowWeightsOf(input.labels, classWeights),
    lambda,
  };
  const { params, optimisation } = fitSoftmaxRegression(problem, { ...DEFAULT_PROBE_LBFGS, ...options.lbfgs });
  if (!optimisation.converged) notes.push(`final fit: L-BFGS stopped by ${optimisation.reason}`);

  const k = input.classes;
  return {
    classes: k,
    dims,
    mean: Array.from(s.mean),
    std: Array.from(s.std),
    weights: Array.from({ length: k }, (_, c) => Array.from(params.subarray(c * dims, (c + 1) * dims))),
    bias: Array.from(params.subarray(k * dims, k * dims + k)),
    lambda,
    classWeights,
    innerScores,
    selection,
    innerFolds,
    notes,
    fit: { objective: optimisation.value, iterations: optimisation.iterations, converged: optimisation.converged, reason: optimisation.reason },
  };
}

/** softmax(W (x - mean)/std + b) for every row: rows x classes, row-major. */
export function predictProbabilities(probe: LogisticProbe, x: FeatureMatrix, rows: number): Float64Array {
  const { dims, classes } = probe;
  if (x.length !== rows * dims) throw new Error(`feature matrix has ${x.length} values, expected ${rows} x ${dims}`);
  const s = { mean: Float64Array.from(probe.mean), std: Float64Array.from(probe.std) };
  const params = new Float64Array(classes * dims + classes);
  probe.weights.forEach((w, c) => params.set(w, c * dims));
  params.set(probe.bias, classes * dims);
  const logP = softmaxLogProbabilities(params, standardizeRows(x, dims, range(rows), s), rows, dims, classes);
  return logP.map(Math.exp);
}

/** Checks the shape of a parsed probe (e.g. JSON.parse of a saved one) before it is used to predict. */
export function logisticProbeFromJSON(value: unknown): LogisticProbe {
  const p = value as LogisticProbe;
  const isNumbers = (a: unknown, n: number) => Array.isArray(a) && a.length === n && a.every((v) => typeof v === 'number' && Number.isFinite(v));
  const ok =
    p !== null &&
    typeof p === 'object' &&
    Number.isInteger(p.classes) &&
    Number.isInteger(p.dims) &&
    isNumbers(p.mean, p.dims) &&
    isNumbers(p.std, p.dims) &&
    isNumbers(p.bias, p.classes) &&
    Array.isArray(p.weights) &&
    p.weights.length === p.classes &&
    p.weights.every((w) => isNumbers(w, p.dims)) &&
    typeof p.lambda === 'number';
  if (!ok) throw new Error('not a logistic probe: expected classes, dims, mean, std, weights (classes x dims), bias and lambda');
  return p;
}
