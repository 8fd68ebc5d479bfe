/**
 * The Tensor: a typed handle on a libtorch tensor. Methods mirror PyTorch's names (camelCase)
 * and call ATen operators through the dispatcher, so autograd and autocast behave as in PyTorch.
 */
import { native, type Handle } from './native.js';
import { callRaw, isHandle, CARRIER } from './dispatch.js';
import { RELEASABLE, keep, track } from './scope.js';
import { SCALAR_TYPE, MEMORY_FORMAT, dtypeOfCode, scalarTypeOf, viewAs, type DType, type MemoryFormat, type AnyTypedArray } from './dtype.js';

export type Scalar = number | boolean;
export type Device = 'cpu' | 'cuda' | `cuda:${number}`;

/** Wraps whatever an operator returned: handles become Tensors, arrays stay arrays. */
export function wrapResult(v: unknown): unknown {
  if (isHandle(v)) return new Tensor(v);
  if (Array.isArray(v)) return v.map(wrapResult);
  return v;
}

/** Calls an operator that returns one tensor. */
export function op(name: string, overload: string, ...args: unknown[]): Tensor {
  const r = callRaw(name, overload, args);
  if (!isHandle(r)) throw new Error(`aten::${name}.${overload} did not return a tensor`);
  return new Tensor(r);
}

/** Calls an operator that returns several tensors. */
export function opMany(name: string, overload: string, ...args: unknown[]): Tensor[] {
  const r = callRaw(name, overload, args);
  if (!Array.isArray(r)) throw new Error(`aten::${name}.${overload} did not return a list`);
  return r.map((x) => {
    if (!isHandle(x)) throw new Error(`aten::${name}.${overload} returned a non-tensor`);
    return new Tensor(x);
  });
}

function scalarOrTensor(name: string, self: Tensor, other: Tensor | Scalar, ...rest: unknown[]): Tensor {
  return other instanceof Tensor ? op(name, 'Tensor', self, other, ...rest) : op(name, 'Scalar', self, other, ...rest);
}

/** Runs an in-place operator and returns `self` (the duplicate handle the operator returns is released). */
function inPlace(self: Tensor, name: string, overload: string, ...args: unknown[]): Tensor {
  const r = callRaw(name, overload, [self, ...args]);
  if (isHandle(r)) native.dispose(r);
  return self;
}

export class Tensor {
  readonly [RELEASABLE] = true;
  readonly [CARRIER] = true;
  #handle: Handle;
  /** The borrowed view `grad` hands out, owned by this tensor (see `grad`). */
  #grad: Tensor | null = null;
  /** True for a gradient view: its owner, not the borrower, frees it. */
  #borrowed = false;

  /** Internal: tensors are made by the creation functions and operators. */
  constructor(handle: Handle) {
    this.#handle = handle;
    track(this);
  }

  get handle(): Handle {
    return this.#handle;
  }

  // ---- metadata ----
  get shape(): number[] {
    return native.meta(this.#handle)[0];
  }
  get dtype(): DType {
    return dtypeOfCode(native.meta(this.#handle)[1]);
  }
  get device(): string {
    return native.meta(this.#handle)[2];
  }
  get requiresGrad(): boolean {
    return native.meta(this.#handle)[3];
  }
  get strides(): number[] {
    return native.meta(this.#handle)[4];
  }
  get ndim(): number {
    return this.shape.length;
  }
  get numel(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
  size(dim: number): number {
    const s = this.shape;
    const d = dim < 0 ? s.length + dim : dim;
    if (!Number.isInteger(d) || d < 0 || d >= s.length) throw new RangeError(`size(${dim}): dimension out of range for a ${s.length}-d tensor`);
    return s[d]!;
  }
  isContiguous(format: MemoryFormat = 'contiguous'): boolean {
    return native.isContiguous(this.#handle, MEMORY_FORMAT[format]);
  }
  toString(): string {
    if (this.isDisposed) return 'Tensor(disposed)';
    return `Tensor(shape=[${this.shape.join(', ')}], dtype=${this.dtype}, device=${this.device})`;
  }

  // ---- lifetime ----
  get isDisposed(): boolean {
    return native.isDisposed(this.#handle);
  }
  /** Frees the native tensor (and the gradient view it lent); a no-op on a borrowed `grad`. */
  dispose(): void {
    if (this.#borrowed) return;
    native.dispose(this.#handle);
    this.#releaseGrad();
  }
  [Symbol.dispose](): void {
    if (!this.isDisposed) this.dispose();
  }

  // ---- reading back ----
  /** A copy of the elements in row-major order; float16/bfloat16 come back as raw bits. */
  data(): AnyTypedArray {
    return viewAs(native.toBuffer(this.#handle), this.dtype);
  }
  /** The elements as float32 (converting any dtype). */
  toFloat32Array(): Float32Array {
    if (this.dtype === 'float32') return this.data() as Float32Array;
    const f = this.to('float32');
    try {
      return f.data() as Float32Array;
    } finally {
      f.dispose();
    }
  }
  /** The elements as plain numbers (float64 conversion for every dtype). */
  toArray(): number[] {
    const f = this.to('float64');
    try {
      return Array.from(f.data() as Float64Array);
    } finally {
      f.dispose();
    }
  }
  item(): number {
    return Number(native.item(this.#handle));
  }

  // ---- conversion and layout ----
  /** Converts dtype and/or device, and optionally memory format (like PyTorch's `to`). */
  to(target: DType | Device | { dtype?: DType; device?: Device; memoryFormat?: MemoryFormat; copy?: boolean }): Tensor {
    const o = typeof target === 'string' ? (target in SCALAR_TYPE ? { dtype: target as DType } : { device: target as Device }) : target;
    return op('to', 'dtype_layout', this, o.dtype === undefined ? null : scalarTypeOf(o.dtype), null,
      o.device ?? null, null, false, o.copy ?? false, o.memoryFormat === undefined ? null : MEMORY_FORMAT[o.memoryFormat]);
  }
  float(): Tensor {
    return this.to('float32');
  }
  contiguous(format: MemoryFormat = 'contiguous'): Tensor {
    return op('contiguous', '', this, MEMORY_FORMAT[format]);
  }
  clone(format: MemoryFormat = 'preserve'): Tensor {
    return op('clone', '', this, MEMORY_FORMAT[format]);
  }
  detach(): Tensor {
    return op('detach', '', this);
  }

  // ---- autograd ----
  /** Marks a leaf tensor as trainable (in place); returns this. */
  requiresGrad_(on = true): Tensor {
    native.setRequiresGrad(this.#handle, on);
    return this;
  }
  /**
   * The accumulated gradient, or null: PyTorch's `w.grad`, nothing to free. It is a view this
   * tensor owns and lends: reading it any number of times holds one handle, and the same Tensor
   * comes back while libtorch keeps the same gradient (backward accumulates into it in place).
   * The view is freed when the gradient is cleared or replaced (`setGrad`, `zeroGrad`, a later
   * read that finds a new one) or this tensor is disposed; its own `dispose()` does nothing, so
   * no borrower can free it under another. `clone()` it to keep the values past that.
   */
  get grad(): Tensor | null {
    const h = native.grad(this.#handle);
    if (!h) {
      this.#releaseGrad();
      return null;
    }
    const lent = this.#grad;
    if (lent && !native.isDisposed(lent.#handle) && native.sameTensor(lent.#handle, h)) {
      native.dispose(h);
      return lent;
    }
    this.#releaseGrad();
    // keep(): a tidy() around the read must not free what the parameter owns
    const view = keep(new Tensor(h));
    view.#borrowed = true;
    this.#grad = view;
    return view;
  }
  /** Sets or clears (null) the gradient; clearing is zero_grad(set_to_none=True). */
  setGrad(g: Tensor | null): void {
    native.setGrad(this.#handle, g ? g.handle : null);
    if (g !== this.#grad) this.#releaseGrad();
  }
  #releaseGrad(): void {
    const lent = this.#grad;
    this.#grad = null;
    if (lent && !native.isDisposed(lent.#handle)) native.dispose(lent.#handle);
  }
  backward(gradient?: Tensor, options: { retainGraph?: boolean } = {}): void {
    native.backward(this.#handle, gradient ? gradient.handle : null, options.retainGraph ?? false);
  }

  // ---- element-wise arithmetic (broadcasting) ----
  add(other: Tensor | Scalar, alpha: Scalar = 1): Tensor {
    return scalarOrTensor('add', this, other, alpha);
  }
  sub(other: Tensor | Scalar, alpha: Scalar = 1): Tensor {
    return scalarOrTensor('sub', this, other, alpha);
  }
  mul(other: Tensor | Scalar): Tensor {
    return scalarOrTensor('mul', this, other);
  }
  div(other: Tensor | Scalar): Tensor {
    return scalarOrTensor('div', this, other);
  }
  pow(exponent: Tensor | Scalar): Tensor {
    return exponent instanceof Tensor ? op('pow', 'Tensor_Tensor', this, exponent) : op('pow', 'Tensor_Scalar', this, exponent);
  }
  neg(): Tensor { return op('neg', '', this); }
  exp(): Tensor { return op('exp', '', this); }
  log(): Tensor { return op('log', '', this); }
  log1p(): Tensor { return op('log1p', '', this); }
  sqrt(): Tensor { return op('sqrt', '', this); }
  rsqrt(): Tensor { return op('rsqrt', '', this); }
  abs(): Tensor { return op('abs', '', this); }
  square(): Tensor { return op('square', '', this); }
  reciprocal(): Tensor { return op('reciprocal', '', this); }
  sign(): Tensor { return op('sign', '', this); }
  floor(): Tensor { return op('floor', '', this); }
  ceil(): Tensor { return op('ceil', '', this); }
  round(): Tensor { return op('round', '', this); }
  sin(): Tensor { return op('sin', '', this); }
  cos(): Tensor { return op('cos', '', this); }
  relu(): Tensor { return op('relu', '', this); }
  sigmoid(): Tensor { return op('sigmoid', '', this); }
  tanh(): Tensor { return op('tanh', '', this); }
  clamp(min: Scalar | null, max: Scalar | null = null): Tensor {
    return op('clamp', '', this, min, max);
  }
  clampMin(min: Scalar): Tensor {
    return op('clamp_min', '', this, min);
  }
  minimum(other: Tensor): Tensor { return op('minimum', '', this, other); }
  maximum(other: Tensor): Tensor { return op('maximum', '', this, other); }

  // ---- comparisons and logic ----
  eq(o: Tensor | Scalar): Tensor { return scalarOrTensor('eq', this, o); }
  ne(o: Tensor | Scalar): Tensor { return scalarOrTensor('ne', this, o); }
  lt(o: Tensor | Scalar): Tensor { return scalarOrTensor('lt', this, o); }
  le(o: Tensor | Scalar): Tensor { return scalarOrTensor('le', this, o); }
  gt(o: Tensor | Scalar): Tensor { return scalarOrTensor('gt', this, o); }
  ge(o: Tensor | Scalar): Tensor { return scalarOrTensor('ge', this, o); }
  logicalNot(): Tensor { return op('logical_not', '', this); }
  logicalAnd(o: Tensor): Tensor { return op('logical_and', '', this, o); }
  logicalOr(o: Tensor): Tensor { return op('logical_or', '', this, o); }
  isnan(): Tensor { return op('isnan', '', this); }
  isfinite(): Tensor { return op('isfinite', '', this); }
  any(): Tensor { return op('any', '', this); }
  all(): Tensor { return op('all', '', this); }
  maskedFill(mask: Tensor, value: Scalar): Tensor {
    return op('masked_fill', 'Scalar', this, mask, value);
  }

  // ---- reductions ----
  sum(dim?: number | number[], keepdim = false): Tensor {
    return dim === undefined ? op('sum', '', this) : op('sum', 'dim_IntList', this, [dim].flat(), keepdim);
  }
  mean(dim?: number | number[], keepdim = false): Tensor {
    return dim === undefined ? op('mean', '', this) : op('mean', 'dim', this, [dim].flat(), keepdim);
  }
  /** Sample variance (Bessel-corrected unless unbiased=false). */
  var(dim?: number | number[], keepdim = false, unbiased = true): Tensor {
    return op('var', 'dim', this, dim === undefined ? null : [dim].flat(), unbiased, keepdim);
  }
  std(dim?: number | number[], keepdim = false, unbiased = true): Tensor {
    return op('std', 'dim', this, dim === undefined ? null : [dim].flat(), unbiased, keepdim);
  }
  prod(): Tensor { return op('prod', '', this); }
  /** The maximum over all elements. */
  max(): Tensor { return op('max', '', this); }
  min(): Tensor { return op('min', '', this); }
  /** Maximum along a dimension: values and their indices. */
  maxDim(dim: number, keepdim = false): { values: Tensor; indices: Tensor } {
    const [values, indices] = opMany('max', 'dim', this, dim, keepdim);
    return { values: values!, indices: indices! };
  }
  minDim(dim: number, keepdim = false): { values: Tensor; indices: Tensor } {
    const [values, indices] = opMany('min', 'dim', this, dim, keepdim);
    return { values: values!, indices: indices! };
  }
  argmax(dim?: number, keepdim = false): Tensor { return op('argmax', '', this, dim ?? null, keepdim); }
  argmin(dim?: number, keepdim = false): Tensor { return op('argmin', '', this, dim ?? null, keepdim); }
  logsumexp(dim: number | number[], keepdim = false): Tensor {
    return op('logsumexp', '', this, [dim].flat(), keepdim);
  }
  /** p-norm along dims (all elements when dim is omitted). */
  norm(p: number = 2, dim?: number | number[], keepdim = false): Tensor {
    return dim === undefined ? op('norm', 'Scalar', this, p) : op('norm', 'ScalarOpt_dim', this, p, [dim].flat(), keepdim);
  }
  cumsum(dim: number): Tensor { return op('cumsum', '', this, dim); }
  softmax(dim: number): Tensor { return op('softmax', 'int', this, dim, null); }
  logSoftmax(dim: number): Tensor { return op('log_softmax', 'int', this, dim, null); }
  topk(k: number, dim = -1, largest = true, sorted = true): { values: Tensor; indices: Tensor } {
    const [values, indices] = opMany('topk', '', this, k, dim, largest, sorted);
    return { values: values!, indices: indices! };
  }
  sort(dim = -1, descending = false): { values: Tensor; indices: Tensor } {
    const [values, indices] = opMany('sort', '', this, dim, descending);
    return { values: values!, indices: indices! };
  }
  argsort(dim = -1, descending = false): Tensor { return op('argsort', '', this, dim, descending); }

  // ---- linear algebra ----
  matmul(o: Tensor): Tensor { return op('matmul', '', this, o); }
  mm(o: Tensor): Tensor { return op('mm', '', this, o); }
  t(): Tensor { return op('t', '', this); }

  // ---- shape ----
  view(...shape: number[]): Tensor { return op('view', '', this, shape); }
  reshape(...shape: number[]): Tensor { return op('reshape', '', this, shape); }
  permute(...dims: number[]): Tensor { return op('permute', '', this, dims); }
  transpose(dim0: number, dim1: number): Tensor { return op('transpose', 'int', this, dim0, dim1); }
  flatten(startDim = 0, endDim = -1): Tensor { return op('flatten', 'using_ints', this, startDim, endDim); }
  unsqueeze(dim: number): Tensor { return op('unsqueeze', '', this, dim); }
  squeeze(dim?: number): Tensor { return dim === undefined ? op('squeeze', '', this) : op('squeeze', 'dim', this, dim); }
  expand(...shape: number[]): Tensor { return op('expand', '', this, shape, false); }
  expandAs(o: Tensor): Tensor { return op('expand_as', '', this, o); }
  repeat(...times: number[]): Tensor { return op('repeat', '', this, times); }
  /** Elements start..end (exclusive) with a step along one dim, as a view (Python's x[:, a:b:s]). */
  slice(dim: number, start: number | null, end: number | null = null, step = 1): Tensor {
    return op('slice', 'Tensor', this, dim, start, end, step);
  }
  narrow(dim: number, start: number, length: number): Tensor { return op('narrow', '', this, dim, start, length); }
  select(dim: number, index: number): Tensor { return op('select', 'int', this, dim, index); }
  indexSelect(dim: number, index: Tensor): Tensor { return op('index_select', '', this, dim, index); }
  /** Advanced indexing x[i0, i1, ...] with index tensors (null keeps a dimension whole). */
  index(indices: (Tensor | null)[]): Tensor { return op('index', 'Tensor', this, indices); }
  gather(dim: number, index: Tensor): Tensor { return op('gather', '', this, dim, index, false); }
  scatter(dim: number, index: Tensor, src: Tensor): Tensor { return op('scatter', 'src', this, dim, index, src); }
  /** Out-of-place scatter_add: out[i][index[i][j]] += src[i][j] along dim. */
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor { return op('scatter_add', '', this, dim, index, src); }
  flip(...dims: number[]): Tensor { return op('flip', '', this, dims); }
  split(size: number | number[], dim = 0): Tensor[] {
    return typeof size === 'number' ? opMany('split', 'Tensor', this, size, dim) : opMany('split_with_sizes', '', this, size, dim);
  }
  chunk(chunks: number, dim = 0): Tensor[] { return opMany('chunk', '', this, chunks, dim); }
  diagonal(offset = 0, dim1 = 0, dim2 = 1): Tensor { return op('diagonal', '', this, offset, dim1, dim2); }
  oneHot(numClasses: number): Tensor { return op('one_hot', '', this, numClasses); }

  // ---- in place (for optimisers and running statistics; never on tensors autograd needs) ----
  add_(other: Tensor | Scalar, alpha: Scalar = 1): Tensor {
    return other instanceof Tensor ? inPlace(this, 'add_', 'Tensor', other, alpha) : inPlace(this, 'add_', 'Scalar', other, alpha);
  }
  sub_(other: Tensor | Scalar, alpha: Scalar = 1): Tensor {
    return other instanceof Tensor ? inPlace(this, 'sub_', 'Tensor', other, alpha) : inPlace(this, 'sub_', 'Scalar', other, alpha);
  }
  mul_(other: Tensor | Scalar): Tensor {
    return other instanceof Tensor ? inPlace(this, 'mul_', 'Tensor', other) : inPlace(this, 'mul_', 'Scalar', other);
  }
  div_(other: Tensor | Scalar): Tensor {
    return other instanceof Tensor ? inPlace(this, 'div_', 'Tensor', other) : inPlace(this, 'div_', 'Scalar', other);
  }
  /** this += value * t1 * t2 */
  addcmul_(t1: Tensor, t2: Tensor, value: Scalar = 1): Tensor { return inPlace(this, 'addcmul_', '', t1, t2, value); }
  /** this += value * t1 / t2 */
  addcdiv_(t1: Tensor, t2: Tensor, value: Scalar = 1): Tensor { return inPlace(this, 'addcdiv_', '', t1, t2, value); }
  copy_(src: Tensor): Tensor { return inPlace(this, 'copy_', '', src, false); }
  zero_(): Tensor { return inPlace(this, 'zero_', ''); }
  fill_(value: Scalar): Tensor { return inPlace(this, 'fill_', 'Scalar', value); }
  clamp_(min: Scalar | null, max: Scalar | null = null): Tensor { return inPlace(this, 'clamp_', '', min, max); }
  relu_(): Tensor { return inPlace(this, 'relu_', ''); }
}
