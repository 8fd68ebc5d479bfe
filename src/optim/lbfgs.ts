/**
 * Limited-memory BFGS for smooth unconstrained minimisation on plain Float64Arrays, for small
 * convex problems such as a logistic probe on frozen features (no tensors, no autograd: the
 * objective supplies its own gradient).
 */

/** Writes the gradient at x into grad and returns the objective value at x. */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Correction pairs kept (m). Default 10. */
  history?: number;
  /** Default 1000. */
  maxIterations?: number;
  /** Stop when max_i |grad_i| <= this. Default 1e-8. */
  gradientTolerance?: number;
  /** Stop when (f_prev - f) <= this * max(|f_prev|, |f|, 1). Default 1e-15 (0 disables). */
  relativeTolerance?: number;
  /** Sufficient-decrease constant of the Wolfe conditions. Default 1e-4. */
  c1?: number;
  /** Curvature constant of the strong Wolfe conditions. Default 0.9 (quasi-Newton value). */
  c2?: number;
  /** Objective evaluations allowed per line search. Default 40. */
  maxLineSearchEvaluations?: number;
}

export type LbfgsStopReason = 'gradient' | 'relative-change' | 'max-iterations' | 'line-search-failed';

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  gradient: Float64Array;
  iterations: number;
  evaluations: number;
  /** True when stopped by the gradient or the relative-change test. */
  converged: boolean;
  reason: LbfgsStopReason;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function infNorm(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** The objective restricted to the ray x + alpha d; every trial point's x and gradient are kept. */
class Ray {
  readonly x: Float64Array;
  readonly grad: Float64Array;
  value = Number.NaN;
  slope = Number.NaN;
  evaluations = 0;

  constructor(
    private readonly f: ObjectiveWithGradient,
    private readonly origin: Float64Array,
    private readonly direction: Float64Array,
  ) {
    this.x = new Float64Array(origin.length);
    this.grad = new Float64Array(origin.length);
  }

  at(alpha: number): { value: number; slope: number } {
    for (let i = 0; i < this.x.length; i++) this.x[i] = this.origin[i]! + alpha * this.direction[i]!;
    this.value = this.f(this.x, this.grad);
    this.slope = dot(this.grad, this.direction);
    this.evaluations++;
    return { value: this.value, slope: this.slope };
  }
}

interface TrialPoint {
  alpha: number;
  value: number;
  slope: number;
}

// Minimiser of the cubic through two points with their slopes (Nocedal & Wright 2006, eq. 3.59),
// kept inside the central 80 % of the bracket so that the bracket always shrinks; bisection when
// the cubic has no minimum there.
function cubicStep(a: TrialPoint, b: TrialPoint): number {
  const lo = Math.min(a.alpha, b.alpha);
  const hi = Math.max(a.alpha, b.alpha);
  const margin = 0.1 * (hi - lo);
  const d1 = a.slope + b.slope - (3 * (a.value - b.value)) / (a.alpha - b.alpha);
  const radicand = d1 * d1 - a.slope * b.slope;
  if (radicand >= 0) {
    const d2 = Math.sign(b.alpha - a.alpha) * Math.sqrt(radicand);
    const t = b.alpha - (b.alpha - a.alpha) * ((b.slope + d2 - d1) / (b.slope - a.slope + 2 * d2));
    if (Number.isFinite(t) && t >= lo + margin && t <= hi - margin) return t;
  }
  return (lo + hi) / 2;
}

// Below this relative size a difference of two objective values is rounding noise (a sum over
// thousands of rows carries about n * 1e-16 of relative error).
const VALUE_NOISE = 1e-11;

// phi(b) - phi(a); where the two values agree to rounding, the trapezoid rule on the slopes,
// (b - a)(phi'(a) + phi'(b))/2, instead (Hager & Zhang, SIAM J. Optim. 2005;16:170-192, whose
// approximate Wolfe conditions rest on it). Near a minimum the gradient is still accurate long
// after the values stop resolving the decrease, and without this the search would stall there.
function change(a: TrialPoint, b: TrialPoint): number {
  const difference = b.value - a.value;
  if (!Number.isFinite(difference)) return difference; // NaN: an undefined point never passes
  if (Math.abs(difference) > VALUE_NOISE * Math.max(Math.abs(a.value), Math.abs(b.value))) return difference;
  return ((b.alpha - a.alpha) * (a.slope + b.slope)) / 2;
}

/**
 * Step length satisfying the strong Wolfe conditions (Nocedal & Wright 2006, Algorithms 3.5
 * and 3.6). Returns the accepted alpha (ray.x/ray.grad hold that point), or, when the budget runs
 * out, the best step found with sufficient decrease, or 0 when there is none.
 */
function strongWolfeStep(ray: Ray, f0: number, slope0: number, initial: number, c1: number, c2: number, budget: number): number {
  const origin: TrialPoint = { alpha: 0, value: f0, slope: slope0 };
  // Written so that NaN (an undefined objective) fails it.
  const armijo = (p: TrialPoint) => change(origin, p) <= c1 * p.alpha * slope0;
  const curvature = (p: TrialPoint) => Math.abs(p.slope) <= -c2 * slope0;
  const evaluate = (alpha: number): TrialPoint => ({ alpha, ...ray.at(alpha) });

  let prev = origin;
  let alpha = initial;
  let bracket: [TrialPoint, TrialPoint] | null = null; // [lo (best so far), hi]
  while (ray.evaluations < budget) {
    const p = evaluate(alpha);
    if (!armijo(p) || (prev.alpha > 0 && change(prev, p) >= 0)) {
      bracket = [prev, p];
      break;
    }
    if (curvature(p)) return p.alpha;
    if (p.slope >= 0) {
      bracket = [p, prev];
      break;
    }
    prev = p;
    alpha *= 2;
  }
  if (!bracket) return fallbackStep(ray, prev);

  let [lo, hi] = bracket;
  while (ray.evaluations < budget) {
    const p = evaluate(cubicStep(lo, hi));
    if (!armijo(p) || change(lo, p) >= 0) hi = p;
    else {
      if (curvature(p)) return p.alpha;
      if (p.slope * (hi.alpha - lo.alpha) >= 0) hi = lo;
      lo = p;
    }
    if (Math.abs(hi.alpha - lo.alpha) <= 1e-16 * Math.max(1, lo.alpha)) break;
  }
  return fallbackStep(ray, lo);
}

// Out of budget: accept the best point with sufficient decrease (re-evaluated so that ray holds
// it); its curvature condition may fail, which the caller's update check tolerates.
function fallbackStep(ray: Ray, best: TrialPoint): number {
  if (best.alpha === 0) return 0;
  if (ray.value !== best.value || ray.slope !== best.slope) ray.at(best.alpha);
  return best.alpha;
}

// L-BFGS with the two-loop recursion (Nocedal & Wright 2006, Numerical Optimization, Algorithm 7.4 / 7.5).
export function minimizeLbfgs(f: ObjectiveWithGradient, x0: ArrayLike<number>, options: LbfgsOptions = {}): LbfgsResult {
  const m = options.history ?? 10;
  const maxIterations = options.maxIterations ?? 1000;
  const gradientTolerance = options.gradientTolerance ?? 1e-8;
  const relativeTolerance = options.relativeTolerance ?? 1e-15;
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;
  const lineBudget = options.maxLineSearchEvaluations ?? 40;
  if (!(m >= 1) || !Number.isInteger(m)) throw new Error(`L-BFGS history must be a positive integer, got ${m}`);
  if (!(0 < c1 && c1 < c2 && c2 < 1)) throw new Error(`L-BFGS needs 0 < c1 < c2 < 1, got c1 = ${c1}, c2 = ${c2}`);

  const n = x0.length;
  let x = Float64Array.from(x0);
  let grad = new Float64Array(n);
  let value = f(x, grad);
  let evaluations = 1;
  if (!Number.isFinite(value)) throw new Error(`L-BFGS: the objective is ${value} at the starting point`);

  const sHistory: Float64Array[] = [];
  const yHistory: Float64Array[] = [];
  const rhoHistory: number[] = [];
  const alphas = new Float64Array(m);
  const direction = new Float64Array(n);

  const finish = (iterations: number, reason: LbfgsStopReason): LbfgsResult => ({
    x,
    value,
    gradient: grad,
    iterations,
    evaluations,
    converged: reason === 'gradient' || reason === 'relative-change',
    reason,
  });

  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (infNorm(grad) <= gradientTolerance) return finish(iteration, 'gradient');

    // Two-loop recursion: direction = -H grad with H0 = gamma I, gamma = s'y / y'y of the newest pair.
    direction.set(grad);
    for (let i = sHistory.length - 1; i >= 0; i--) {
      alphas[i] = rhoHistory[i]! * dot(sHistory[i]!, direction);
      const y = yHistory[i]!;
      for (let j = 0; j < n; j++) direction[j]! -= alphas[i]! * y[j]!;
    }
    if (sHistory.length > 0) {
      const y = yHistory[yHistory.length - 1]!;
      const gamma = 1 / (rhoHistory[rhoHistory.length - 1]! * dot(y, y));
      for (let j = 0; j < n; j++) direction[j]! *= gamma;
    }
    for (let i = 0; i < sHistory.length; i++) {
      const beta = rhoHistory[i]! * dot(yHistory[i]!, direction);
      const s = sHistory[i]!;
      for (let j = 0; j < n; j++) direction[j]! += s[j]! * (alphas[i]! - beta);
    }
    for (let j = 0; j < n; j++) direction[j] = -direction[j]!;

    let slope = dot(grad, direction);
    if (!(slope < 0)) {
      // Rounding can make the quasi-Newton direction uphill; restart from steepest descent.
      sHistory.length = yHistory.length = rhoHistory.length = 0;
      for (let j = 0; j < n; j++) direction[j] = -grad[j]!;
      slope = dot(grad, direction);
    }
    // Unit step is the natural quasi-Newton guess; without curvature yet, a step of length ~1 in x.
    const initial = sHistory.length > 0 ? 1 : Math.min(1, 1 / Math.sqrt(-slope));

    const ray = new Ray(f, x, direction);
    const alpha = strongWolfeStep(ray, value, slope, initial, c1, c2, lineBudget);
    evaluations += ray.evaluations;
    if (alpha === 0) return finish(iteration, 'line-search-failed');

    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      s[j] = ray.x[j]! - x[j]!;
      y[j] = ray.grad[j]! - grad[j]!;
    }
    const previousValue = value;
    x = Float64Array.from(ray.x);
    grad = Float64Array.from(ray.grad);
    value = ray.value;

    // Keep the pair only with positive curvature, so that H stays positive definite.
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (sHistory.length === m) {
        sHistory.shift();
        yHistory.shift();
        rhoHistory.shift();
      }
      sHistory.push(s);
      yHistory.push(y);
      rhoHistory.push(1 / sy);
    }

    if (infNorm(grad) <= gradientTolerance) return finish(iteration + 1, 'gradient');
    if (previousValue - value <= relativeTolerance * Math.max(Math.abs(previousValue), Math.abs(value), 1)) {
      return finish(iteration + 1, 'relative-change');
    }
  }
  return finish(maxIterations, 'max-iterations');
}
