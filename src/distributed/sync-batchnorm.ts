/**
 * Synchronized BatchNorm (SimCLR's global_bn, PyTorch's SyncBatchNorm): in training, every rank
 * normalises with the mean and variance of the global batch.
 *
 * The statistics come from per-channel sums S1 = sum x and S2 = sum x^2 and the count, summed
 * over ranks with a differentiable all-reduce (native AllReduceSumFn: its backward is again an
 * all-reduce sum), so the backward pass is exact: each rank's input receives the gradient of
 * every rank's loss through the shared statistics, as in PyTorch's SyncBatchNorm backward.
 * mean = S1/M, var = S2/M - mean^2 (biased, for normalising); the running variance stores the
 * unbiased M/(M-1) var as BatchNorm does. Statistics are computed in float32 (E[x^2] - E[x]^2
 * loses about 1e-6 relative precision against a two-pass variance, within the tests' tolerance).
 */
import { Tensor, noGrad, tidy, tensor, F } from './deps.js';
import { BatchNorm, type BatchNormSync } from '../nn/layers.js';
import type { Module } from '../nn/module.js';
import type { ProcessGroup } from './process-group.js';
import { allReduceSumWithGrad } from './autograd-ops.js';

class GlobalBatchStats implements BatchNormSync {
  constructor(readonly pg: ProcessGroup) {}

  forward(bn: BatchNorm, x: Tensor): Tensor {
    const t = bn.tensors();
    noGrad(() => t.numBatchesTracked.add_(1));
    return tidy(() => {
      const c = x.size(1);
      const dims = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)];
      const count = x.numel / c;
      const xf = x.dtype === 'float32' || x.dtype === 'float64' ? x : x.float();
      const local = F.cat([xf.sum(dims), xf.square().sum(dims), tensor([count], { dtype: xf.dtype as 'float32' })], 0);
      const global = allReduceSumWithGrad(this.pg, local);
      const total = global.narrow(0, 2 * c, 1);
      const mean = global.narrow(0, 0, c).div(total);
      const varBiased = global.narrow(0, c, c).div(total).sub(mean.square());
      const m = noGrad(() => total.item());
      noGrad(() => {
        t.runningMean.mul_(1 - bn.momentum).add_(mean.detach(), bn.momentum);
        t.runningVar.mul_(1 - bn.momentum).add_(varBiased.detach().mul(m / Math.max(1, m - 1)), bn.momentum);
      });
      const shape = [1, c, ...Array.from({ length: x.ndim - 2 }, () => 1)];
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
