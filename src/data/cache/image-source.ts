/**
 * Where training images come from, one batch at a time: a tensor already in memory, or a
 * prepared file read from disk per batch (streamed-source.ts). Training code sees only this
 * interface, so a dataset larger than memory trains with the same data order and numbers.
 */
import { keep, tensor, type Tensor } from '../../tensor/index.js';

export interface ImageSource {
  /** Images in the source. */
  readonly count: number;
  /** [C, H, W] of every image. */
  readonly shape: readonly [number, number, number];
  /**
   * float32 [B, C, H, W], values as stored ([0, 1] for prepared files), in the order of
   * `indices` (any order, repeats allowed). The caller owns the tensor; it is never part of an
   * enclosing tidy() scope.
   */
  batch(indices: ArrayLike<number>): Promise<Tensor>;
  /** Frees what the source holds (its tensor, its file handle). */
  dispose(): Promise<void>;
}

/** Throws unless every index is an integer in [0, count). */
export function checkIndices(indices: ArrayLike<number>, count: number, what: string): void {
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i]!;
    if (!Number.isInteger(k) || k < 0 || k >= count) throw new RangeError(`${what}: index ${k} is not in [0, ${count})`);
  }
}

/**
 * Images held in one tensor [N, C, H, W] (today's in-memory training). A float16 tensor (a
 * prepared file loaded as is, half the memory of float32) is cast per batch; the cast is exact,
 * so the batches equal those of the tensor cast up front.
 */
export class TensorImageSource implements ImageSource {
  readonly count: number;
  readonly shape: readonly [number, number, number];

  /** With `owned`, dispose() frees the tensor too; otherwise the caller keeps it. */
  constructor(readonly images: Tensor, private readonly owned = false) {
    const s = images.shape;
    if (s.length !== 4) throw new Error(`images must be [N, C, H, W], got [${s.join(', ')}]`);
    this.count = s[0]!;
    this.shape = [s[1]!, s[2]!, s[3]!];
  }

  async batch(indices: ArrayLike<number>): Promise<Tensor> {
    checkIndices(indices, this.count, 'image batch');
    const idx = tensor(Array.from(indices), { dtype: 'int64' });
    try {
      const picked = this.images.indexSelect(0, idx);
      if (picked.dtype === 'float32') return keep(picked);
      const cast = picked.float();
      picked.dispose();
      return keep(cast);
    } finally {
      idx.dispose();
    }
  }

  async dispose(): Promise<void> {
    if (this.owned && !this.images.isDisposed) this.images.dispose();
  }
}
