/**
 * Differentiable collectives (native/src/distributed.cc, torch::autograd::Function): they run
 * synchronously inside forward and backward, on the calling thread.
 */
import { native } from '../tensor/native.js';
import { Tensor } from './deps.js';
import type { ProcessGroup } from './process-group.js';
import { ntXent, type NtXentOptions, type NtXentResult } from '../nn/ntxent.js';

/**
 * Every rank's rows concatenated in rank order (dim 0), with the gradient flowing back to this
 * rank's rows: backward all-reduces (sums) the incoming gradient and keeps this rank's slice,
 * as lightly's and solo-learn's GatherLayer. The shapes must agree across ranks.
 * Half-precision inputs are gathered in float32.
 */
export function allGatherWithGrad(pg: ProcessGroup, x: Tensor): Tensor {
  if (x.dtype === 'float32' || x.dtype === 'float64') return new Tensor(native.allGatherWithGrad(pg.handle, x.handle));
  const f = x.float();
  try {
    return new Tensor(native.allGatherWithGrad(pg.handle, f.handle));
  } finally {
    f.dispose();
  }
}

/** y = sum over ranks of x, whose backward is again an all-reduce sum (every rank's loss depends on y). */
export function allReduceSumWithGrad(pg: ProcessGroup, x: Tensor): Tensor {
  return new Tensor(native.allReduceSumWithGrad(pg.handle, x.handle));
}

/**
 * NT-Xent over the global batch: every rank gathers all ranks' projections (z1, z2 hold this
 * rank's N pairs) and computes the same loss over the W*N pairs, with 2WN-2 negatives per anchor.
 * With gradients averaged over ranks afterwards (GradientReducer), W ranks of batch N get
 * exactly the gradient of one rank of batch W*N: the gather's backward sums the W identical
 * gradients of the loss, and the average divides by W.
 */
export function ntXentGlobal(pg: ProcessGroup, z1: Tensor, z2: Tensor, o: NtXentOptions = {}): NtXentResult {
  if (pg.worldSize === 1) return ntXent(z1, z2, o);
  const g1 = allGatherWithGrad(pg, z1);
  const g2 = allGatherWithGrad(pg, z2);
  try {
    return ntXent(g1, g2, o);
  } finally {
    g1.dispose();
    g2.dispose();
  }
}
