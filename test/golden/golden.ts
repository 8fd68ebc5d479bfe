/**
 * The golden files: PyTorch's answers, written by test/golden/make_golden.py and committed, so
 * the comparisons run where Python is absent. Errors are measured as max |a - b| / max |b| over
 * a tensor: float32 rounding scales with the tensor's magnitude, not with each element's, and an
 * element-wise relative error would blow up on entries that are near zero by cancellation.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadSafetensors, disposeAll, type Tensor } from '../../src/tensor/index.js';

/** The source folder (compiled tests run from dist/test/golden, the files stay in test/golden). */
export const GOLDEN_DIR = fileURLToPath(new URL('../../../test/golden/', import.meta.url));

export class Golden {
  constructor(readonly file: string, readonly tensors: Map<string, Tensor>, readonly metadata: Record<string, string>) {}

  get(name: string): Tensor {
    const t = this.tensors.get(name);
    if (!t) throw new Error(`${this.file} has no tensor ${name}`);
    return t;
  }

  /** The tensors under `prefix`, with the prefix removed (a state dict, for instance). */
  under(prefix: string): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const [k, v] of this.tensors) if (k.startsWith(prefix)) out.set(k.slice(prefix.length), v);
    if (!out.size) throw new Error(`${this.file} has no tensor under ${prefix}`);
    return out;
  }

  number(key: string): number {
    const v = Number(this.metadata[key]);
    if (this.metadata[key] === undefined || !Number.isFinite(v)) throw new Error(`${this.file} has no numeric metadata ${key}`);
    return v;
  }

  json<T>(key: string): T {
    const v = this.metadata[key];
    if (v === undefined) throw new Error(`${this.file} has no metadata ${key}`);
    return JSON.parse(v) as T;
  }

  dispose(): void {
    disposeAll(this.tensors);
  }
}

export async function loadGolden(name: string): Promise<Golden> {
  const file = `${name}.safetensors`;
  const { tensors, metadata } = await loadSafetensors(join(GOLDEN_DIR, file));
  return new Golden(file, tensors, metadata);
}

/** max |a - b| / scale, with scale = max |expected| unless given. */
export function relativeError(actual: Tensor | number[], expected: Tensor | number[], scale?: number): number {
  const a = Array.isArray(actual) ? actual : actual.toArray();
  const b = Array.isArray(expected) ? expected : expected.toArray();
  assert.equal(a.length, b.length, `${a.length} values against ${b.length}`);
  let diff = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    max = Math.max(max, Math.abs(b[i]!));
  }
  const s = scale ?? max;
  assert.ok(s > 0, 'the reference is all zeros: nothing to compare against');
  // Math.max propagates NaN: a NaN anywhere fails every tolerance.
  return Number.isNaN(diff) ? Infinity : diff / s;
}

/** Where the measured errors are reported (node:test's diagnostics, shown with the results). */
export interface Reporter {
  diagnostic(message: string): void;
}

/** Asserts equal shapes and relativeError <= tol, and reports the measured error. */
export function assertClose(t: Reporter, what: string, actual: Tensor, expected: Tensor, tol: number, scale?: number): number {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  const err = relativeError(actual, expected, scale);
  t.diagnostic(`${what}: ${err.toExponential(2)} (tolerance ${tol.toExponential(0)})`);
  assert.ok(err <= tol, `${what}: relative error ${err.toExponential(3)} above ${tol}`);
  return err;
}
