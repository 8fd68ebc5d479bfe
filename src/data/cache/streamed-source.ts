/**
 * Images read from a safetensors file per batch, so memory stays O(batch) and a dataset larger
 * than memory trains.
 *
 * Node has no mmap. Positional reads (pread) on one open file handle are the streaming answer:
 * they go through the OS page cache, so a file that fits in memory is read from disk once and
 * then served from RAM like a mapping would be, while a larger one is paged in and out by the
 * kernel instead of being held by this process. The reads run on libuv's thread pool, so they
 * proceed while libtorch computes on the main thread (see prefetch.ts).
 *
 * The handle keeps the file that was opened: `mammoclr prepare` replaces files by rename, so a
 * run keeps reading the old, complete file. A file truncated in place makes the next read fail
 * with the file's name.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { keep, tensor, type Tensor } from '../../tensor/index.js';
import { readFullyAt, readSafetensorsHeader, DTYPE_SIZE, type SafeDtype } from '../../tensor/safetensors-format.js';
import { checkIndices, type ImageSource } from './image-source.js';

const STREAMABLE: readonly SafeDtype[] = ['F16', 'BF16', 'F32'];

export class StreamedImageSource implements ImageSource {
  readonly count: number;
  readonly shape: readonly [number, number, number];
  /** Bytes of one stored image. */
  readonly imageBytes: number;
  #closed = false;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    /** The file's `__metadata__` (the prepared record table lives there). */
    readonly metadata: Record<string, string>,
    readonly dtype: SafeDtype,
    shape: number[],
    /** File offset of image 0. */
    private readonly start: number,
  ) {
    this.count = shape[0]!;
    this.shape = [shape[1]!, shape[2]!, shape[3]!];
    this.imageBytes = shape[1]! * shape[2]! * shape[3]! * DTYPE_SIZE[dtype];
  }

  /** Opens `path` and checks its header (the whole file's size included); reads no pixels. */
  static async open(path: string, tensorName = 'images'): Promise<StreamedImageSource> {
    const handle = await open(path, 'r');
    try {
      const header = await readSafetensorsHeader(handle, path);
      const info = header.tensors[tensorName];
      if (!info) throw new Error(`${path}: no "${tensorName}" tensor`);
      if (info.shape.length !== 4 || !STREAMABLE.includes(info.dtype)) {
        throw new Error(`${path}: "${tensorName}" is ${info.dtype} [${info.shape.join(', ')}], expected [N, C, H, W] of ${STREAMABLE.join(', ')}`);
      }
      return new StreamedImageSource(path, handle, header.metadata, info.dtype, info.shape, header.dataStart + info.dataOffsets[0]);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  async batch(indices: ArrayLike<number>): Promise<Tensor> {
    if (this.#closed) throw new Error(`${this.path}: the image source is closed`);
    checkIndices(indices, this.count, this.path);
    const b = indices.length;
    const size = this.imageBytes;
    // Each distinct image is read once, in file order, one read per run of consecutive images
    // (a sorted or sequential batch is one read); the reads run in parallel on the thread pool.
    const distinct = [...new Set(Array.from(indices))].sort((x, y) => x - y);
    const slot = new Map(distinct.map((k, i) => [k, i]));
    const staged = new Uint8Array(distinct.length * size);
    const reads: Promise<void>[] = [];
    for (let i = 0; i < distinct.length;) {
      let j = i + 1;
      while (j < distinct.length && distinct[j] === distinct[j - 1]! + 1) j++;
      reads.push(readFullyAt(this.handle, staged.subarray(i * size, j * size), this.start + distinct[i]! * size, this.path));
      i = j;
    }
    await Promise.all(reads);
    let bytes = staged;
    if (!isStrictlyIncreasing(indices)) {
      bytes = new Uint8Array(b * size);
      for (let i = 0; i < b; i++) {
        const s = slot.get(indices[i]!)!;
        bytes.set(staged.subarray(s * size, (s + 1) * size), i * size);
      }
    }
    return keep(this.toFloat32(bytes, [b, ...this.shape]));
  }

  // The engine does the half -> float conversion (vectorised, exact), not a JS loop.
  private toFloat32(bytes: Uint8Array, shape: number[]): Tensor {
    if (this.dtype === 'F32') return tensor(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4), shape);
    const half = tensor(new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2), shape, { dtype: this.dtype === 'F16' ? 'float16' : 'bfloat16' });
    try {
      return half.float();
    } finally {
      half.dispose();
    }
  }

  /** Closes the file once reads in flight have finished. */
  async dispose(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.handle.close();
  }
}

function isStrictlyIncreasing(xs: ArrayLike<number>): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i]! <= xs[i - 1]!) return false;
  return true;
}
