import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/tensor/index.js';
import { tsne, jointProbabilities } from '../../src/explain/tsne.js';

/** Three Gaussian clusters in 60-D (so PCA to 50 runs), unit variance, centres 12 apart on three axes. */
function clusters(n: number, seed: number): { x: Float32Array; labels: number[]; dim: number } {
  const dim = 60;
  let s = seed;
  const u = (): number => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const g = (): number => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  const x = new Float32Array(n * dim);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    labels.push(c);
    for (let j = 0; j < dim; j++) x[i * dim + j] = g() + (j === c * 7 ? 12 : 0);
  }
  return { x, labels, dim };
}

const dist = (e: Float32Array, i: number, j: number): number => Math.hypot(e[2 * i]! - e[2 * j]!, e[2 * i + 1]! - e[2 * j + 1]!);

test('joint affinities P are symmetric, sum to 1 and put no mass on the diagonal', () => {
  const { x, dim } = clusters(120, 3);
  const p = jointProbabilities(tensor(x, [120, dim]), 10);
  const a = p.toFloat32Array();
  let sum = 0;
  let asym = 0;
  for (let i = 0; i < 120; i++) {
    assert.ok(a[i * 120 + i]! < 1e-12);
    for (let j = 0; j < 120; j++) {
      sum += a[i * 120 + j]!;
      asym = Math.max(asym, Math.abs(a[i * 120 + j]! - a[j * 120 + i]!));
    }
  }
  assert.ok(Math.abs(sum - 1) < 1e-4, `sum ${sum}`);
  assert.ok(asym < 1e-9);
  p.dispose();
});

test('three well-separated clusters stay separated; KL falls; same seed, same output', () => {
  const n = 300;
  const { x, labels, dim } = clusters(n, 42);
  const r = tsne(x, n, dim, { iterations: 500, init: 'random', seed: 7 });
  console.log(`# t-SNE ${n} points x 500 iterations: ${r.seconds.toFixed(2)} s, KL ${r.kl.map((k) => k.kl.toFixed(3)).join(' ')}`);
  const e = r.embedding;
  assert.equal(e.length, 2 * n);
  assert.ok(e.every(Number.isFinite));
  // 1-NN (leave-one-out) accuracy in the embedding.
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bd = Infinity;
    for (let j = 0; j < n; j++) if (j !== i && dist(e, i, j) < bd) { bd = dist(e, i, j); best = j; }
    if (labels[best] === labels[i]) correct++;
  }
  assert.equal(correct / n, 1);
  // Between-cluster centroid distances far exceed the mean within-cluster spread.
  const cent = [0, 1, 2].map((c) => {
    const idx = labels.flatMap((l, i) => (l === c ? [i] : []));
    return [idx.reduce((s, i) => s + e[2 * i]!, 0) / idx.length, idx.reduce((s, i) => s + e[2 * i + 1]!, 0) / idx.length] as const;
  });
  const spread = labels.reduce((s, c, i) => s + Math.hypot(e[2 * i]! - cent[c]![0], e[2 * i + 1]! - cent[c]![1]), 0) / n;
  const between = Math.min(...[[0, 1], [0, 2], [1, 2]].map(([a, b]) => Math.hypot(cent[a!]![0] - cent[b!]![0], cent[a!]![1] - cent[b!]![1])));
  assert.ok(between > 4 * spread, `between ${between.toFixed(2)} vs within ${spread.toFixed(2)}`);
  // KL after the exaggeration phase only decreases (to rounding), and ends well below its value then.
  const after = r.kl.filter((k) => k.iteration >= 250);
  for (let i = 1; i < after.length; i++) assert.ok(after[i]!.kl <= after[i - 1]!.kl + 1e-3, `KL rose at ${after[i]!.iteration}`);
  assert.ok(after[after.length - 1]!.kl < after[0]!.kl);
  assert.equal(r.learningRate, 50); // auto: max(300 / 12 / 4, 50)

  const again = tsne(x, n, dim, { iterations: 500, init: 'random', seed: 7 });
  assert.deepEqual(again.embedding, e);
  const other = tsne(x, n, dim, { iterations: 50, init: 'random', seed: 8 });
  const first = tsne(x, n, dim, { iterations: 50, init: 'random', seed: 7 });
  assert.notDeepEqual(other.embedding, first.embedding);
  // PCA initialisation (the default) is deterministic too.
  const pa = tsne(x, n, dim, { iterations: 100 });
  const pb = tsne(x, n, dim, { iterations: 100 });
  assert.deepEqual(pa.embedding, pb.embedding);
});

test('rejects a perplexity too large for the data', () => {
  const { x, dim } = clusters(60, 1);
  assert.throws(() => tsne(x, 60, dim), /perplexity 30 needs more than/);
});
