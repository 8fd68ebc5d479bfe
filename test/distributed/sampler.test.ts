import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DistributedSampler } from '../../src/distributed/sampler.js';

test('one epoch\'s shards are disjoint, equal-sized and cover the dataset (no padding needed)', () => {
  const n = 120;
  for (const w of [1, 2, 3, 4]) {
    const shards = Array.from({ length: w }, (_, r) => new DistributedSampler(n, { rank: r, worldSize: w, seed: 5 }).indices(2));
    const all = shards.flat();
    assert.equal(all.length, n);
    assert.equal(new Set(all).size, n, 'disjoint');
    assert.deepEqual([...all].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i), 'covering');
    for (const s of shards) assert.equal(s.length, n / w);
  }
});

test('padding repeats the first indices; dropLast drops the tail', () => {
  const n = 10;
  const pad = Array.from({ length: 3 }, (_, r) => new DistributedSampler(n, { rank: r, worldSize: 3, seed: 1 }).indices(0));
  assert.deepEqual(pad.map((s) => s.length), [4, 4, 4]);
  const all = pad.flat();
  assert.equal(new Set(all).size, n, 'every example is seen');
  const order = new DistributedSampler(n, { rank: 0, worldSize: 3, seed: 1 }).epochOrder(0);
  assert.deepEqual(all.filter((x, i) => all.indexOf(x) !== i).sort(), order.slice(0, 2).sort(), 'the two extra slots repeat the first two of the permutation');
  const drop = Array.from({ length: 3 }, (_, r) => new DistributedSampler(n, { rank: r, worldSize: 3, seed: 1, dropLast: true }).indices(0));
  assert.deepEqual(drop.map((s) => s.length), [3, 3, 3]);
  assert.equal(new Set(drop.flat()).size, 9);
});

test('the shuffle depends on the epoch and the seed, and is the same on every rank', () => {
  const a = new DistributedSampler(50, { rank: 0, worldSize: 2, seed: 0 });
  const b = new DistributedSampler(50, { rank: 1, worldSize: 2, seed: 0 });
  assert.deepEqual(a.epochOrder(3), b.epochOrder(3));
  assert.notDeepEqual(a.indices(0), a.indices(1));
  assert.notDeepEqual(a.indices(0), new DistributedSampler(50, { rank: 0, worldSize: 2, seed: 1 }).indices(0));
  const plain = new DistributedSampler(6, { rank: 1, worldSize: 2, shuffle: false });
  assert.deepEqual(plain.indices(), [1, 3, 5]);
  assert.throws(() => new DistributedSampler(6, { rank: 2, worldSize: 2 }), /rank 2 is not in \[0, 2\)/);
});

test('deal: a given order round-robin, unpadded; a global batch of a multiple of W is the same set on W ranks', () => {
  const order = [7, 3, 9, 0, 5, 1, 8, 2, 6, 4, 10];
  const shares = [0, 1, 2].map((r) => new DistributedSampler(order.length, { rank: r, worldSize: 3 }).deal(order));
  assert.deepEqual(shares, [[7, 0, 8, 4], [3, 5, 2, 10], [9, 1, 6]]);
  // Global batch 6 = local batch 2: step 1 of every rank together is order[6..12).
  assert.deepEqual(shares.flatMap((s) => s.slice(2, 4)).sort((a, b) => a - b), order.slice(6).sort((a, b) => a - b));
});
