/**
 * Data parallelism over a process group: the same weights on every rank at the start (broadcast
 * from rank 0) and gradients averaged over ranks, in buckets, overlapped with backward: as in
 * PyTorch's DDP, a hook on each parameter (in the addon) fills its bucket as autograd produces
 * the gradient, and a full bucket's all-reduce starts on Gloo's threads while backward goes on
 * with the earlier layers. reduce() then waits for the buckets still in flight.
 */
import { Tensor } from './deps.js';
import { native, type ReducerHandle } from '../tensor/native.js';
import type { ProcessGroup } from './process-group.js';
import type { Module } from '../nn/module.js';

/** Copies rank 0's parameters and buffers to every rank (in place). */
export async function broadcastState(pg: ProcessGroup, modules: Module[], root = 0): Promise<void> {
  if (pg.worldSize === 1) return;
  const pending: Promise<void>[] = [];
  for (const m of modules) for (const [, t] of m.stateDict()) pending.push(pg.broadcast(t, root));
  await Promise.all(pending);
}

export interface GradientReducerOptions {
  /** Bucket size in bytes (PyTorch DDP's bucket_cap_mb default is 25 MB). */
  bucketBytes?: number;
}

/**
 * Averages the gradients of `params` over the ranks after every backward: call reduce() after
 * each backward, before the optimiser step. Every rank must run the same graph (the buckets
 * complete in the same order everywhere); a parameter without a gradient counts as zero.
 */
export class GradientReducer {
  /** Parameters per bucket, in the order they are reduced. */
  readonly buckets: number[];
  /** Milliseconds reduce() waited for communication still in flight after backward. */
  lastMs = 0;
  /** Buckets whose all-reduce had started during the last backward (the overlap). */
  lastOverlapped = 0;
  #handle: ReducerHandle | null;

  constructor(readonly pg: ProcessGroup, params: Tensor[], o: GradientReducerOptions = {}) {
    this.#handle = native.createGradientReducer(pg.handle, params.map((p) => p.handle), o.bucketBytes ?? 25 * 1024 * 1024);
    this.buckets = native.gradientReducerBuckets(this.#handle);
  }

  async reduce(): Promise<void> {
    if (!this.#handle) throw new Error('the gradient reducer was disposed');
    const t0 = performance.now();
    try {
      this.lastOverlapped = await native.finishGradientReduction(this.#handle);
    } catch (e) {
      throw new Error(`averaging the gradients failed on rank ${this.pg.rank} of ${this.pg.worldSize}: ${(e as Error).message}`);
    }
    this.lastMs = performance.now() - t0;
  }

  /** Removes the hooks from the parameters and frees the buckets. */
  dispose(): void {
    if (this.#handle) native.disposeGradientReducer(this.#handle);
    this.#handle = null;
  }
}
