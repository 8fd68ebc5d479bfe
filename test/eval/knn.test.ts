// Weighted kNN on features against a brute-force vote written out in JS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, randn, randint, manualSeed } from '../../src/tensor/index.js';
import { knnScores, knnAccuracy } from '../../src/eval/knn.js';

test('scores equal a brute-force cosine top-k vote weighted by exp(sim/T)', () => {
  manualSeed(5);
  const train = randn([12, 3]);
  const labels = randint(0, 3, [12]);
  const test_ = randn([4, 3]);
  const k = 5;
  const T = 0.1;
  const s = knnScores(train, labels, test_, 3, { k, temperature: T });
  const tr = train.toArray();
  const lb = labels.toArray();
  const te = test_.toArray();
  const norm = (v: number[]) => Math.hypot(...v);
  const got = s.toArray();
  for (let i = 0; i < 4; i++) {
    const q = te.slice(i * 3, i * 3 + 3);
    const sims = Array.from({ length: 12 }, (_, j) => {
      const r = tr.slice(j * 3, j * 3 + 3);
      return { j, sim: (q[0]! * r[0]! + q[1]! * r[1]! + q[2]! * r[2]!) / (norm(q) * norm(r)) };
    }).sort((a, b) => b.sim - a.sim).slice(0, k);
    const expect = [0, 0, 0];
    for (const { j, sim } of sims) expect[lb[j]!]! += Math.exp(sim / T);
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(got[i * 3 + c]! - expect[c]!) < 1e-3 * Math.max(1, expect[c]!), `row ${i} class ${c}`);
  }
  for (const t of [train, labels, test_, s]) t.dispose();
});

test('accuracy is 1 when test points coincide with their class cluster', () => {
  const train = tensor([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]]);
  const labels = tensor([0, 0, 1, 1], { dtype: 'int64' });
  const q = tensor([[1, 0.05], [0.05, 1]]);
  const ql = tensor([0, 1], { dtype: 'int64' });
  assert.equal(knnAccuracy(train, labels, q, ql, 2, { k: 2 }), 1);
});
