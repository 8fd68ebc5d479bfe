import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32, quantileSorted, stratifiedBootstrapCi } from '../../src/eval/bootstrap.js';
import { rocAuc } from '../../src/eval/roc.js';

const labels = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1];
const scores = [0.1, 0.3, 0.2, 0.6, 0.4, 0.35, 0.7, 0.5, 0.9, 0.3];

test('mulberry32 is deterministic, in [0, 1), and seed-dependent', () => {
  const a = mulberry32(42);
  const b = mulberry32(42);
  const xs = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(xs, Array.from({ length: 1000 }, () => b()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.notEqual(mulberry32(43)(), mulberry32(42)());
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.05);
});

test('quantile interpolates linearly like numpy.percentile', () => {
  // h = (5-1)*0.1 = 0.4 -> 1 + 0.4*(2-1) = 1.4
  assert.equal(quantileSorted([1, 2, 3, 4, 5], 0.1), 1.4);
  assert.equal(quantileSorted([1, 2, 3, 4, 5], 0.5), 3);
  assert.equal(quantileSorted([1, 2, 3, 4, 5], 1), 5);
  assert.ok(Number.isNaN(quantileSorted([], 0.5)));
});

test('same seed, same interval; different seed, different interval', () => {
  const r1 = stratifiedBootstrapCi(labels, scores, rocAuc, { seed: 1 });
  const r2 = stratifiedBootstrapCi(labels, scores, rocAuc, { seed: 1 });
  const r3 = stratifiedBootstrapCi(labels, scores, rocAuc, { seed: 2 });
  assert.deepEqual(r1, r2);
  assert.notDeepEqual([r1.lo, r1.hi], [r3.lo, r3.hi]);
  assert.equal(r1.B, 2000);
  assert.equal(r1.valid, 2000); // stratified: both classes in every replicate, AUC always defined
  assert.equal(r1.value, rocAuc(labels, scores));
  assert.ok(r1.lo <= r1.value && r1.value <= r1.hi);
  assert.ok(r1.lo >= 0 && r1.hi <= 1);
});

test('every replicate keeps the class counts', () => {
  let calls = 0;
  stratifiedBootstrapCi(
    labels,
    scores,
    (l) => {
      calls++;
      assert.equal(l.filter((x) => x === 1).length, 4);
      assert.equal(l.length, 10);
      return 0;
    },
    { B: 50 },
  );
  assert.equal(calls, 51); // 50 replicates + the original sample
});

test('constant metric gives a degenerate interval; NaN replicates are dropped', () => {
  const c = stratifiedBootstrapCi(labels, scores, () => 0.25, { B: 20 });
  assert.deepEqual([c.lo, c.hi], [0.25, 0.25]);
  let k = 0;
  const n = stratifiedBootstrapCi(labels, scores, () => (k++ % 2 ? Number.NaN : 1), { B: 10 });
  assert.equal(n.valid, 5);
});

test('bad options throw', () => {
  assert.throws(() => stratifiedBootstrapCi(labels, scores, rocAuc, { B: 0 }), /B = 0/);
  assert.throws(() => stratifiedBootstrapCi(labels, scores, rocAuc, { level: 1 }), /level/);
  assert.throws(() => stratifiedBootstrapCi([0], [1, 2], rocAuc), /differ in length/);
});
