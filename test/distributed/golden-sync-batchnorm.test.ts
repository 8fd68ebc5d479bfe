/**
 * SyncBatchNorm on 2 ranks (Gloo on loopback, batch 4 each) against torch.nn.BatchNorm2d in
 * training on the joined batch of 8 (test/golden, make_golden.py). The two shards have different
 * means and spreads, so statistics of one shard would be far off. Each rank's weight and bias
 * gradients are those of its own outputs (the gradient reducer sums them afterwards, as DDP
 * does around PyTorch's SyncBatchNorm), so their sum over the ranks is PyTorch's.
 *
 * Tolerance 1e-5 relative to the largest reference value: float32 statistics combined from
 * shards (Chan et al.'s parallel variance) instead of one pass over the batch, and per-channel
 * sums over 160 values in backward; the error is a few float32 roundings of each (measured: at
 * most 2.2e-7, on the weight gradient).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/tensor/index.js';
import { runRanks } from './helpers.js';
import { loadGolden, assertClose } from '../golden/golden.js';

test('SyncBatchNorm on 2 ranks = torch BatchNorm2d on the joined batch: output, gradients, running statistics', async (t) => {
  const ranks = await runRanks('golden-sync-batchnorm.js', 2);
  for (const r of ranks) assert.equal(r.code, 0, `rank ${r.rank}: ${r.stderr}`);
  const [a, b] = ranks.map((r) => r.json);
  assert.equal(a.world, 2);
  const g = await loadGolden('sync-batchnorm');
  const asTensor = (v: number[], like: string) => tensor(Float32Array.from(v), g.get(like).shape);
  const sum = (k: string) => (a[k] as number[]).map((v, i) => v + b[k][i]);
  const got = [
    ['output', asTensor([...a.y, ...b.y], 'train.output'), 'train.output'],
    ['input gradient', asTensor([...a.dx, ...b.dx], 'train.grad.input'), 'train.grad.input'],
    ['weight gradient (sum over ranks)', asTensor(sum('dw'), 'train.grad.weight'), 'train.grad.weight'],
    ['bias gradient (sum over ranks)', asTensor(sum('db'), 'train.grad.bias'), 'train.grad.bias'],
  ] as const;
  try {
    for (const [what, actual, key] of got) assertClose(t, what, actual, g.get(key), 1e-5);
    for (const r of [a, b]) {
      assertClose(t, `rank ${r.rank} running_mean`, asTensor(r.runningMean, 'train.after.running_mean'), g.get('train.after.running_mean'), 1e-5);
      assertClose(t, `rank ${r.rank} running_var`, asTensor(r.runningVar, 'train.after.running_var'), g.get('train.after.running_var'), 1e-5);
      assert.equal(r.numBatchesTracked, g.get('train.after.num_batches_tracked').item());
    }
  } finally {
    for (const [, actual] of got) actual.dispose();
    g.dispose();
  }
});
