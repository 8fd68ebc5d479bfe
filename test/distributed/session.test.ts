/** The training session on 2 ranks: shared weights, averaged gradients, per-rank seeds, agreement. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRanks } from './helpers.js';

test('a session of 2 ranks: rank 0\'s weights everywhere, gradients averaged, a seed per rank, SyncBatchNorm while open', async () => {
  const rs = await runRanks('session.js', 2);
  for (const r of rs) assert.equal(r.code, 0, `rank ${r.rank}: ${r.stderr}`);
  const [r0, r1] = rs.map((r) => r.json);
  assert.notDeepEqual(r0.localWeight, r1.localWeight);
  assert.deepEqual(r1.weight, r0.localWeight);
  assert.deepEqual(r0.weight, r0.localWeight);
  // seed 5: 6 + 7919 (rank + 1); resumed at step 3 adds 3 * 104729.
  assert.deepEqual([r0.augmentSeed, r1.augmentSeed], [String(6 + 7919), String(6 + 2 * 7919)]);
  assert.deepEqual([r0.resumedSeed, r1.resumedSeed], [String(6 + 7919 + 3 * 104_729), String(6 + 2 * 7919 + 3 * 104_729)]);
  for (const o of [r0, r1]) {
    assert.equal(o.world, 2);
    // The mean of x_0 = [1, 10, -1] and x_1 = [2, 20, -1].
    assert.deepEqual(o.grad, [1.5, 15, -1]);
    assert.equal(o.synced, true);
    assert.equal(o.stopWhenRank1Asks, true);
    assert.equal(o.stopWhenNoneAsks, false);
    assert.equal(o.sum, 2);
    assert.equal(o.revertedAfterClose, true);
  }
  assert.deepEqual([r0.isMain, r1.isMain], [true, false]);
});
