/**
 * Data parallelism over a process group: the same weights on every rank at the start (broadcast
 * from rank 0) and gradients averaged over ranks after each backward, in buckets.
 *
 * Overlap: PyTorch's DDP launches a bucket's all-reduce from autograd hooks while backward is
 * still running. Here backward is one synchronous call into libtorch, so the buckets are
 * reduced after it returns; they are pipelined instead: bucket k's all-reduce runs on Gloo's
 * threads while bucket k+1 is being packed, and all of them are in flight together.
 */
import { Tensor, noGrad, zeros, keep } from './deps.js';
import type { ProcessGroup } from './process-group.js';
import type { Module } from '../nn/module.js';

/** Copies rank 0's parameters and buffers to every rank (in place). */
export async function broadcastState(pg: ProcessGroup, modules: Module[], root = 0): Promise<void> {
  if (pg.worldSize === 1) return;
  const pending: Promise<void>[] = [];
  for (const m of modules) for (const [, t] of m.stateDict()) pending.push(pg.broadcast(t, root));
  await Promise.all(pending);
}

interface Bucket {
  params: Tensor[];
  offsets: number[];
  buffer: Tensor;
}

export interface GradientReducerOptions {
  /** Bucket size in bytes (PyTorch DDP's bucket_cap_mb default is 25 MB). */
  bucketBytes?: number;
}

export class GradientReducer {
  readonly buckets: Bucket[] = [];
  /** Milliseconds spent in the last reduce() (packing, communication, unpacking). */
  lastMs = 0;

  constructor(readonly pg: ProcessGroup, params: Tensor[], o: GradientReducerOptions = {}) {
    const cap = o.bucketBytes ?? 25 * 1024 * 1024;
    // Reverse order: the last layers' gradients are the first ones backward produces (as DDP).
    let cur: Tensor[] = [];
    let bytes = 0;
    const flush = () => {
      if (!cur.length) return;
      const offsets: number[] = [];
      let n = 0;
      for (const p of cur) {
        offsets.push(n);
        n += p.numel;
      }
      this.buckets.push({ params: cur, offsets, buffer: keep(zeros([n], { dtype: cur[0]!.dtype as 'float32' })) });
      cur = [];
      bytes = 0;
    };
    for (const p of [...params].reverse()) {
      if (cur.length && (cur[0]!.dtype !== p.dtype || bytes + p.numel * 4 > cap)) flush();
      cur.push(p);
      bytes += p.numel * 4;
    }
    flush();
  }

  /** Averages every parameter's gradient over the ranks (a missing gradient counts as zero). */
  async reduce(): Promise<void> {
    const t0 = performance.now();
    const w = this.pg.worldSize;
    if (w > 1) {
      const pending: Promise<void>[] = [];
      for (const b of this.buckets) {
        noGrad(() => {
          b.params.forEach((p, i) => {
            const slot = b.buffer.narrow(0, b.offsets[i]!, p.numel);
            const g = p.grad;
            if (g) {
              const v = slot.view(...p.shape);
              v.copy_(g);
              v.dispose();
              g.dispose();
            } else slot.zero_();
            slot.dispose();
          });
        });
        pending.push(this.pg.allReduce(b.buffer, 'sum'));
      }
      await Promise.all(pending);
      for (const b of this.buckets) {
        noGrad(() => {
          b.buffer.div_(w);
          b.params.forEach((p, i) => {
            const slot = b.buffer.narrow(0, b.offsets[i]!, p.numel);
            const v = slot.view(...p.shape);
            const g = p.grad;
            if (g) {
              g.copy_(v);
              g.dispose();
            } else {
              const c = v.clone('preserve');
              p.setGrad(c);
              c.dispose();
            }
            v.dispose();
            slot.dispose();
          });
        });
      }
    }
    this.lastMs = performance.now() - t0;
  }

  dispose(): void {
    for (const b of this.buckets) b.buffer.dispose();
    this.buckets.length = 0;
  }
}
