/** Every collective between 2 processes on loopback with Gloo, checked value by value. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRanks } from './helpers.js';

test('all-reduce (sum, average, max), broadcast, all-gather, reduce-scatter, barrier across 2 ranks', async () => {
  const rs = await runRanks('collectives.js', 2);
  for (const r of rs) {
    assert.equal(r.code, 0, r.stderr);
    const j = r.json;
    assert.equal(j.worldSize, 2);
    assert.deepEqual(j.sum, [3, 30]);
    assert.deepEqual(j.average, [1.5, 3]);
    assert.deepEqual(j.max, [1, 0]);
    assert.deepEqual(j.broadcast, [7, 8]);
    assert.deepEqual(j.gathered, [[0, 0], [1, 1]]);
    // inputs[i] on rank r is [100 i + r, 1]: rank i receives sum over r.
    assert.deepEqual(j.reduceScatter, r.rank === 0 ? [1, 2] : [201, 2]);
  }
  // Rank 0 awaited the barrier while rank 1 slept 300 ms: its event loop kept ticking meanwhile.
  assert.ok(rs[0]!.json.loopTicks > 50, `event loop ticks during the barrier: ${rs[0]!.json.loopTicks}`);
});
