/**
 * Synchronized BatchNorm (SimCLR's global_bn, PyTorch's SyncBatchNorm): in training, every rank
 * normalises with the mean and variance of the global batch.
 *
 * Every rank computes its batch's per-channel mean and biased variance (two-pass, as BatchNorm
 * itself) and count; a differentiable all-gather (native AllGatherFn: its backward all-reduces
 * the gradient and keeps this rank's slice) hands every rank all of them, and they are combined
 * as Chan et al.'s parallel variance: mean = sum n_r m_r / M, var = sum n_r (v_r + (m_r -
 * mean)^2) / M. The backward pass is exact: each rank's input receives the gradient of every
 * rank's loss through the shared statistics, as in PyTorch's SyncBatchNorm backward (which also
 * gathers per-rank mean, variance and count). The one-pass E[x^2] - E[x]^2 over summed moments
 * would be cheaper to all-reduce but cancels catastrophically where a channel's mean is large
 * against its spread (deep, small feature maps): there the normalisation, and after a few steps
 * the whole training, departed from one process's by 1e-3. The running variance stores the
 * unbiased M/(M-1) var as BatchNorm does. Statistics are computed in float32.
 */
import { Tensor, noGrad, tidy, tensor, F } from './deps.js';
import { BatchNorm, type BatchNormSync } from '../nn/layers.js';
import type { Module } from '../nn/module.js';
import type { ProcessGroup } from './process-group.js';
import { allGatherWithGrad } from './autograd-ops.js';

class GlobalBatchStats implements BatchNormSync {
  constructor(readonly pg: ProcessGroup) {}

  forward(bn: BatchNorm, x: Tensor): Tensor {
    const t = bn.tensors();
    noGrad(() => t.numBatchesTracked.add_(1));
    return tidy(() => {
      const c = x.size(1);
      const dims = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)];
      const shape = [1, c, ...Array.from({ length: x.ndim - 2 }, () => 1)];
      const xf = x.dtype === 'float32' || x.dtype === 'float64' ? x : x.float();
      // Sums over max(1, n) rather than means: a rank without samples contributes zeros, not NaN.
      const n = x.numel / c;
      const localMean = xf.sum(dims).div(Math.max(1, n));
      const localVar = xf.sub(localMean.view(...shape)).square().sum(dims).div(Math.max(1, n));
      const local = F.cat([localMean, localVar, tensor([n], { dtype: xf.dtype as 'float32' })], 0);
      const all = allGatherWithGrad(this.pg, local).view(this.pg.worldSize, 2 * c + 1);
      const counts = all.narrow(1, 2 * c, 1);
      const total = counts.sum();
      const means = all.narrow(1, 0, c);
      const mean = means.mul(counts).sum(0).div(total);
      const varBiased = all.narrow(1, c, c).add(means.sub(mean).square()).mul(counts).sum(0).div(total);
      const m = noGrad(() => total.item());
      noGrad(() => {
        t.runningMean.mul_(1 - bn.momentum).add_(mean.detach(), bn.momentum);
        t.runningVar.mul_(1 - bn.momentum).add_(varBiased.detach().mul(m / Math.max(1, m - 1)), bn.momentum);
      });
      let scale = varBiased.add(bn.eps).rsqrt();
      if (t.weight) scale = scale.mul(t.weight);
      let shift = mean.mul(scale).neg();
      if (t.bias) shift = shift.add(t.bias);
      const y = xf.mul(scale.view(...shape)).add(shift.view(...shape));
      return y.dtype === x.dtype ? y : y.to(x.dtype);
    });
  }
}

/** Makes every BatchNorm inside `module` synchronized over `pg` in training (a no-op for one rank). */
export function convertSyncBatchNorm<M extends Module>(module: M, pg: ProcessGroup): M {
  if (pg.worldSize === 1) return module;
  const sync = new GlobalBatchStats(pg);
  const visit = (m: Module) => {
    if (m instanceof BatchNorm) m.sync = sync;
    for (const [, child] of m.children()) visit(child);
  };
  visit(module);
  return module;
}

/** Undoes convertSyncBatchNorm: every BatchNorm inside `module` uses its local batch again. */
export function revertSyncBatchNorm<M extends Module>(module: M): M {
  const visit = (m: Module) => {
    if (m instanceof BatchNorm) m.sync = null;
    for (const [, child] of m.children()) visit(child);
  };
  visit(module);
  return module;
}
