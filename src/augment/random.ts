/**
 * Per-image random parameters. They are drawn on the engine from the caller's Generator (so one
 * seed reproduces a run) and read back: the arithmetic on a few numbers per image is cheaper in
 * JavaScript than as dozens of tiny tensor operations.
 */
import { rand, type Generator } from '../tensor/index.js';

/** `count` draws from U[0, 1) in float64 (53-bit), consumed from `generator`. */
export function uniforms(count: number, generator: Generator): Float64Array {
  if (count === 0) return new Float64Array(0);
  const t = rand([count], { generator, dtype: 'float64' });
  try {
    return t.data() as Float64Array;
  } finally {
    t.dispose();
  }
}
