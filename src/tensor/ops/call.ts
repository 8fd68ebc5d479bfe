/**
 * The calls the generated operator code makes: entry `i` of the operator table, its handle
 * resolved on first use and kept in a typed array (no per-call string building or map lookup).
 */
import { native, type Handle } from '../native.js';
import { isHandle, CARRIER } from '../dispatch.js';
import { OPS } from './table.js';
import type { Tensor } from '../tensor.js';

const handles = new Int32Array(OPS.length).fill(-1);

/** `aten::name.overload` of table entry i (for resolving and for error messages). */
export function qualifiedName(i: number): string {
  const func = OPS[i]!.func;
  return `aten::${func.slice(0, func.indexOf('('))}`;
}

function resolve(i: number): number {
  const q = qualifiedName(i);
  const dot = q.indexOf('.');
  const h = native.resolveOp(dot < 0 ? q : q.slice(0, dot), dot < 0 ? '' : q.slice(dot + 1));
  handles[i] = h;
  return h;
}

/** The handle of table entry i, resolved once. */
export function handleOf(i: number): number {
  const h = handles[i]!;
  return h >= 0 ? h : resolve(i);
}

// The Tensor class, registered by tensor.ts (which imports this module, so it cannot be imported back).
let TensorClass: new (h: Handle) => Tensor;
export function registerTensorClass(cls: new (h: Handle) => Tensor): void {
  TensorClass = cls;
}

/** Whether v is a Tensor (chooses between a Tensor and a Scalar overload). */
export function isTensor(v: unknown): v is Tensor {
  return v instanceof TensorClass;
}

function toNative(args: unknown[]): unknown[] {
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a !== null && typeof a === 'object') {
      if ((a as Record<symbol, unknown>)[CARRIER]) args[k] = (a as Tensor).handle;
      else if (Array.isArray(a)) args[k] = toNative(a.slice());
    }
  }
  return args;
}

function call(i: number, args: unknown[]): unknown {
  return native.callOp(handleOf(i), toNative(args));
}

/** Calls entry i, which returns one tensor. */
export function one(i: number, args: unknown[]): Tensor {
  const r = call(i, args);
  if (!isHandle(r)) throw new Error(`${qualifiedName(i)} did not return a tensor`);
  return new TensorClass(r);
}

/** Calls entry i, which returns several tensors (a list or a tuple). */
export function many(i: number, args: unknown[]): Tensor[] {
  const r = call(i, args);
  if (!Array.isArray(r)) throw new Error(`${qualifiedName(i)} did not return a list`);
  return r.map((x) => {
    if (!isHandle(x)) throw new Error(`${qualifiedName(i)} returned a non-tensor`);
    return new TensorClass(x);
  });
}

/** A tuple's tensors under the names the schema gives them ({ values, indices }). */
export function named(ts: Tensor[], names: string[]): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  names.forEach((n, k) => (out[n] = ts[k]!));
  return out;
}

/** Calls an in-place entry and returns its first argument (the duplicate handle the operator returns is released). */
export function inPlace(i: number, args: unknown[]): Tensor {
  const self = args[0] as Tensor;
  const r = call(i, args);
  if (isHandle(r)) native.dispose(r);
  return self;
}
