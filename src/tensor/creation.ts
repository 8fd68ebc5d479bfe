/** Making tensors: from typed arrays and nested numbers, constant fills, ranges and random draws. */
import { native } from './native.js';
import { Tensor, type Scalar, type Device } from './tensor.js';
import * as aten from './ops/aten.js';
import { scalarTypeOf, dtypeOfArray, type DType, type AnyTypedArray } from './dtype.js';
import { Generator } from './random.js';

export interface TensorOptions {
  dtype?: DType;
  device?: Device;
  requiresGrad?: boolean;
}

type Nested = number | boolean | Nested[];

function inferShape(v: Nested): number[] {
  const shape: number[] = [];
  let cur: Nested = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0]!;
  }
  checkRectangular(v, shape, 0);
  return shape;
}

/** Every sub-array at depth d must have length shape[d] and leaves must sit at the last depth. */
function checkRectangular(v: Nested, shape: number[], depth: number): void {
  if (!Array.isArray(v)) {
    if (depth !== shape.length) throw new Error(`tensor(): ragged nested array: a value at depth ${depth}, expected depth ${shape.length}`);
    if (typeof v !== 'number' && typeof v !== 'boolean') throw new Error(`tensor(): values must be numbers or booleans, got ${typeof v}`);
    return;
  }
  if (depth >= shape.length || v.length !== shape[depth]) {
    throw new Error(`tensor(): ragged nested array: length ${v.length} at depth ${depth}, expected ${shape[depth] ?? 'a number'}`);
  }
  for (const x of v) checkRectangular(x, shape, depth + 1);
}

function finish(t: Tensor, o: TensorOptions): Tensor {
  let out = t;
  if (o.device && o.device !== 'cpu') {
    out = t.to(o.device);
    t.dispose();
  }
  if (o.requiresGrad) out.requiresGrad_(true);
  return out;
}

/**
 * A tensor from a typed array (with a shape) or from nested number arrays (shape inferred).
 * The data are copied. Numbers default to float32; a typed array keeps its own type unless dtype says otherwise.
 */
export function tensor(data: AnyTypedArray | Nested, shapeOrOptions?: number[] | TensorOptions, maybeOptions: TensorOptions = {}): Tensor {
  const shapeGiven = Array.isArray(shapeOrOptions) ? shapeOrOptions : undefined;
  const o = (Array.isArray(shapeOrOptions) ? maybeOptions : shapeOrOptions) ?? {};
  if (ArrayBuffer.isView(data)) {
    const arr = data as AnyTypedArray;
    const shape = shapeGiven ?? [arr.length];
    // A Uint16Array holds raw half-precision bits for float16/bfloat16, and integers (16-bit pixels) otherwise.
    if (arr instanceof Uint16Array && o.dtype !== 'float16' && o.dtype !== 'bfloat16') {
      if (!o.dtype) dtypeOfArray(arr);
      return tensor(Int32Array.from(arr), shape, o);
    }
    const natural = arr instanceof Uint16Array ? o.dtype! : dtypeOfArray(arr);
    const raw = new Tensor(native.fromBuffer(arr, shape, scalarTypeOf(natural)));
    if (!o.dtype || o.dtype === natural) return finish(raw, o);
    const cast = raw.to(o.dtype);
    raw.dispose();
    return finish(cast, o);
  }
  const shape = shapeGiven ?? inferShape(data);
  const flat: (number | boolean)[] = Array.isArray(data) ? ((data as unknown[]).flat(Infinity as 1) as (number | boolean)[]) : [data];
  const expected = shape.reduce((a, b) => a * b, 1);
  if (flat.length !== expected) throw new Error(`tensor(): ${flat.length} values do not fill shape [${shape.join(', ')}] (ragged or wrong shape)`);
  const values = Float64Array.from(flat, (x) => Number(x));
  const dtype = o.dtype ?? 'float32';
  const raw = new Tensor(native.fromBuffer(values, shape, scalarTypeOf('float64')));
  const cast = raw.to(dtype);
  raw.dispose();
  return finish(cast, o);
}

function withGrad(o: TensorOptions, t: Tensor): Tensor {
  if (o.requiresGrad) t.requiresGrad_(true);
  return t;
}

export function zeros(shape: number[], o: TensorOptions = {}): Tensor {
  return withGrad(o, aten.zeros(shape, scalarTypeOf(o.dtype ?? 'float32'), null, o.device ?? null, null));
}
export function ones(shape: number[], o: TensorOptions = {}): Tensor {
  return withGrad(o, aten.ones(shape, scalarTypeOf(o.dtype ?? 'float32'), null, o.device ?? null, null));
}
export function empty(shape: number[], o: TensorOptions = {}): Tensor {
  return withGrad(o, aten.empty$memory_format(shape, scalarTypeOf(o.dtype ?? 'float32'), null, o.device ?? null, null, null));
}
export function full(shape: number[], value: Scalar, o: TensorOptions = {}): Tensor {
  const t = aten.full(shape, value, scalarTypeOf(o.dtype ?? 'float32'), null, o.device ?? null, null);
  if (o.requiresGrad) t.requiresGrad_(true);
  return t;
}
export function zerosLike(t: Tensor): Tensor {
  return aten.zeros_like(t, null, null, null, null, null);
}
export function onesLike(t: Tensor): Tensor {
  return aten.ones_like(t, null, null, null, null, null);
}
/** start, start+step, ... below end; int64 unless a dtype is given. */
export function arange(start: number, end?: number, step = 1, o: TensorOptions = {}): Tensor {
  const [s, e] = end === undefined ? [0, start] : [start, end];
  return withGrad(o, aten.arange$start_step(s, e, step, scalarTypeOf(o.dtype ?? 'int64'), null, o.device ?? null, null));
}
export function eye(n: number, o: TensorOptions = {}): Tensor {
  return withGrad(o, aten.eye(n, scalarTypeOf(o.dtype ?? 'float32'), null, o.device ?? null, null));
}
export function linspace(start: number, end: number, steps: number, o: TensorOptions = {}): Tensor {
  return withGrad(o, aten.linspace(start, end, steps, scalarTypeOf(o.dtype ?? 'float32'), null, o.device ?? null, null));
}

export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}

/** Standard normal draws. */
export function randn(shape: number[], o: RandomOptions = {}): Tensor {
  const t = aten.randn$generator(shape, o.generator?.handle ?? null, scalarTypeOf(o.dtype ?? 'float32'), null, o.device ?? null, null);
  if (o.requiresGrad) t.requiresGrad_(true);
  return t;
}
/** Uniform draws in [0, 1). */
export function rand(shape: number[], o: RandomOptions = {}): Tensor {
  const t = aten.rand$generator(shape, o.generator?.handle ?? null, scalarTypeOf(o.dtype ?? 'float32'), null, o.device ?? null, null);
  if (o.requiresGrad) t.requiresGrad_(true);
  return t;
}
/** Integers uniform in [low, high). */
export function randint(low: number, high: number, shape: number[], o: RandomOptions = {}): Tensor {
  return aten.randint$low_generator(low, high, shape, o.generator?.handle ?? null, scalarTypeOf(o.dtype ?? 'int64'), null, o.device ?? null, null);
}
/** A random permutation of 0..n-1. */
export function randperm(n: number, o: RandomOptions = {}): Tensor {
  return aten.randperm$generator(n, o.generator?.handle ?? null, scalarTypeOf(o.dtype ?? 'int64'), null, o.device ?? null, null);
}
/** 0/1 draws: with probability p everywhere (shape given) or per element (probabilities tensor). */
export function bernoulli(pOrProbs: number | Tensor, shape: number[] = [], o: RandomOptions = {}): Tensor {
  if (pOrProbs instanceof Tensor) return aten.bernoulli(pOrProbs, o.generator?.handle ?? null);
  const base = empty(shape, o);
  try {
    return aten.bernoulli$p(base, pOrProbs, o.generator?.handle ?? null);
  } finally {
    base.dispose();
  }
}
