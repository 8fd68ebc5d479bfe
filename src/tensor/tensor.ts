/**
 * The Tensor: a typed handle on a libtorch tensor. Methods mirror PyTorch's names (camelCase)
 * and call ATen operators through the dispatcher, so autograd and autocast behave as in PyTorch.
 */
import { native, type Handle } from './native.js';
import { callRaw, isHandle, CARRIER } from './dispatch.js';
import { RELEASABLE, keep, track } from './scope.js';
import { TensorOps } from './ops/generated.js';
import * as aten from './ops/aten.js';
import { registerTensorClass } from './ops/call.js';
import { SCALAR_TYPE, MEMORY_FORMAT, dtypeOfCode, scalarTypeOf, viewAs, type DType, type MemoryFormat, type AnyTypedArray } from './dtype.js';

export type Scalar = number | boolean;
export type Device = 'cpu' | 'cuda' | `cuda:${number}`;

/** Wraps whatever an operator returned: handles become Tensors, arrays stay arrays. */
export function wrapResult(v: unknown): unknown {
  if (isHandle(v)) return new Tensor(v);
  if (Array.isArray(v)) return v.map(wrapResult);
  return v;
}

/**
 * Calls any ATen operator by name that returns one tensor: an escape hatch for users reaching an
 * operator the table does not list (mammoclr's own code calls the table's functions, ops/aten.ts).
 */
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

export class Tensor extends TensorOps {
  readonly [RELEASABLE] = true;
  readonly [CARRIER] = true;
  #handle: Handle;
  /** The borrowed view `grad` hands out, owned by this tensor (see `grad`). */
  #grad: Tensor | null = null;
  /** True for a gradient view: its owner, not the borrower, frees it. */
  #borrowed = false;

  /** Internal: tensors are made by the creation functions and operators. */
  constructor(handle: Handle) {
    super();
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
  /** Shape, dtype and device read together, in one native call. */
  get meta(): { shape: number[]; dtype: DType; device: string } {
    const [shape, code, device] = native.meta(this.#handle);
    return { shape, dtype: dtypeOfCode(code), device };
  }
  override toString(): string {
    if (this.isDisposed) return 'Tensor(disposed)';
    const { shape, dtype, device } = this.meta;
    return `Tensor(shape=[${shape.join(', ')}], dtype=${dtype}, device=${device})`;
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
    const dtype = this.dtype;
    if (dtype === 'float32') return viewAs(native.toBuffer(this.#handle), dtype) as Float32Array;
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
    // Hand-written: dtype, device and memory format names become the schema's codes.
    return aten.to$dtype_layout(this, o.dtype === undefined ? null : scalarTypeOf(o.dtype), null,
      o.device ?? null, null, false, o.copy ?? false, o.memoryFormat === undefined ? null : MEMORY_FORMAT[o.memoryFormat]);
  }
  float(): Tensor {
    return this.to('float32');
  }
  /** Hand-written: the memory format's name becomes the schema's code. */
  contiguous(format: MemoryFormat = 'contiguous'): Tensor {
    return aten.contiguous(this, MEMORY_FORMAT[format]);
  }
  /** Hand-written: the memory format's name becomes the schema's code. */
  clone(format: MemoryFormat = 'preserve'): Tensor {
    return aten.clone(this, MEMORY_FORMAT[format]);
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

  // ---- hand-written: each chooses between overloads on a JS-side condition or converts arguments ----
  // (the one-op methods are made from the operator table: see TensorOps in ops/generated.ts)
  /** Sum of all elements, or along dims; two overloads chosen by whether dims are given. */
  sum(dim?: number | number[], keepdim = false): Tensor {
    return dim === undefined ? aten.sum(this) : aten.sum$dim_IntList(this, dim, keepdim);
  }
  /** Mean of all elements, or along dims; two overloads chosen by whether dims are given. */
  mean(dim?: number | number[], keepdim = false): Tensor {
    return dim === undefined ? aten.mean(this) : aten.mean$dim(this, dim, keepdim);
  }
  /** p-norm along dims (all elements when dim is omitted): two overloads chosen by whether dims are given. */
  norm(p: number = 2, dim?: number | number[], keepdim = false): Tensor {
    return dim === undefined ? aten.norm$Scalar(this, p) : aten.norm$ScalarOpt_dim(this, p, dim, keepdim);
  }
  /** Drops size-1 dimensions (all, or the one given): two overloads chosen by whether a dim is given. */
  squeeze(dim?: number): Tensor {
    return dim === undefined ? aten.squeeze(this) : aten.squeeze$dim(this, dim);
  }
  /** Pieces of a size each, or of the sizes listed: two operators chosen by the argument's kind. */
  split(size: number | number[], dim = 0): Tensor[] {
    return typeof size === 'number' ? aten.split$Tensor(this, size, dim) : aten.split_with_sizes(this, size, dim);
  }
}

registerTensorClass(Tensor);
