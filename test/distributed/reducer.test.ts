/** The gradient reducer (averaging overlapped with backward) on 2 ranks with hand-worked values. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRanks } from './helpers.js';

test('gradients are averaged over ranks, a parameter without a gradient counts as zero, a second backward is refused', async () => {
  const rs = await runRanks('reducer.js', 2);
  for (const r of rs) assert.equal(r.code, 0, `rank ${r.rank}: ${r.stderr}`);
  const [r0, r1] = rs.map((r) => r.json);
  // Before reduce(): the local gradient x_r, untouched by the all-reduce in flight.
  assert.deepEqual(r0.localGrad, [1, 10, -1]);
  assert.deepEqual(r1.localGrad, [2, 20, -1]);
  for (const o of [r0, r1]) {
    assert.deepEqual(o.a, [1.5, 15, -1]);
    assert.deepEqual(o.b, [0, 0]);
    // 12-byte buckets: b alone (reverse order), then a; only a's started inside backward.
    assert.deepEqual(o.buckets, [1, 1]);
    assert.equal(o.overlapped, 1);
    assert.match(o.secondBackward, /second gradient before the gradients were averaged/);
  }
});
