/**
 * Mixed precision: inside `autocast`, operators that benefit (convolutions, matmuls) run in
 * bf16/fp16 and precision-sensitive ones stay float32, exactly as torch.autocast decides,
 * because the rules live in libtorch's dispatcher.
 */
import { native } from './native.js';
import { scalarTypeOf } from './dtype.js';
import { cpuFeatures } from './engine.js';

export type AutocastDtype = 'bfloat16' | 'float16';

export interface AutocastOptions {
  device?: 'cpu' | 'cuda';
  dtype?: AutocastDtype;
  enabled?: boolean;
}

/**
 * The region's settings with their defaults. bfloat16 on every device, CUDA included: it keeps
 * float32's exponent range, so gradients need no loss scaling; float16 would, and nothing here
 * scales losses, so float16 runs only when asked for.
 */
export function resolveAutocast(options: AutocastOptions): Required<AutocastOptions> {
  const dtype = options.dtype ?? 'bfloat16';
  if (dtype !== 'bfloat16' && dtype !== 'float16') throw new Error(`autocast: dtype must be bfloat16 or float16, got '${String(dtype)}'`);
  return { device: options.device ?? 'cpu', dtype, enabled: options.enabled ?? true };
}

export function autocast<T>(options: AutocastOptions, fn: () => T): T {
  const { device, dtype, enabled } = resolveAutocast(options);
  const code = scalarTypeOf(dtype);
  const [wasEnabled, previousDtype] = native.setAutocast(device, enabled, code);
  native.autocastNesting(true);
  try {
    const r = fn();
    if (r instanceof Promise) throw new Error('autocast() takes a synchronous function');
    return r;
  } finally {
    native.setAutocast(device, wasEnabled, previousDtype);
    native.autocastNesting(false);
  }
}

/** bf16 autocast pays off on CPUs with native bf16 dot products (AVX512-BF16 or AMX). */
export function cpuHasFastBf16(): boolean {
  const f = cpuFeatures();
  return f.avx512bf16 || f.amxBf16;
}
