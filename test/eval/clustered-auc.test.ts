// The clustered AUC: weighted Mann-Whitney worked by hand and against the AUC of replicated data,
// the cluster bootstrap against a brute-force replay of the same draws, and the property that
// makes it the right interval for windows: copying every window of a woman changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { weightedAuc, clusteredAucCi, pairedClusteredAucDifference } from '../../src/eval/clustered-auc.js';
import { mulberry32, quantileSorted } from '../../src/eval/bootstrap.js';
import { rocAuc } from '../../src/eval/roc.js';

const close = (a: number, b: number, tol = 1e-12, msg = ''): void => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b}`);

test('weighted AUC worked by hand, ties counted half', () => {
  // positives 0.9 (x2); negatives 0.1 (x1), 0.8 (x3): 0.9 beats all 4 negative copies.
  assert.equal(weightedAuc([1, 0, 1, 0], [0.9, 0.1, 0.2, 0.8], [2, 1, 0, 3]), 1);
  // positives 0.9, 0.2 (x2); negatives 0.1, 0.8: wins 2 + 2 of 3 x 2 pairs.
  close(weightedAuc([1, 0, 1, 0], [0.9, 0.1, 0.2, 0.8], [1, 1, 2, 1]), 2 / 3);
  assert.equal(weightedAuc([1, 0], [0.5, 0.5], [1, 1]), 0.5);
  assert.ok(Number.isNaN(weightedAuc([1, 0], [0.5, 0.4], [0, 1])));
  assert.throws(() => weightedAuc([1, 0], [0.5, 0.4], [1]), /differ in length/);
});

function randomItems(n: number, seed: number, clusters: number): { labels: number[]; scores: number[]; patients: string[] } {
  const r = mulberry32(seed);
  const labels = Array.from({ length: n }, () => (r() < 0.3 ? 1 : 0));
  labels[0] = 1;
  labels[1] = 0;
  // Scores on a coarse grid so that ties occur; positives a little higher.
  const scores = labels.map((l) => Math.round((r() + 0.4 * l) * 20) / 20);
  const patients = labels.map(() => `w${Math.floor(r() * clusters)}`);
  return { labels, scores, patients };
}

test('integer weights give the AUC of the data with each item repeated that often', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const { labels, scores } = randomItems(40, seed, 5);
    const r = mulberry32(100 + seed);
    const w = labels.map(() => Math.floor(r() * 4));
    w[0] = 1;
    w[1] = 1;
    const repLabels = labels.flatMap((l, i) => Array<number>(w[i]!).fill(l));
    const repScores = scores.flatMap((s, i) => Array<number>(w[i]!).fill(s));
    close(weightedAuc(labels, scores, w), rocAuc(repLabels, repScores), 1e-12, `seed ${seed}`);
  }
});

/** The cluster bootstrap written the slow way: replay mulberry32's draws, repeat the items, rocAuc. */
function bruteForce(labels: number[], scores: number[][], patients: string[], B: number, seed: number): number[][] {
  const order: string[] = [];
  for (const p of patients) if (!order.includes(p)) order.push(p);
  const members = order.map((p) => patients.flatMap((q, i) => (q === p ? [i] : [])));
  const rand = mulberry32(seed);
  const stats: number[][] = scores.map(() => []);
  for (let b = 0; b < B; b++) {
    const drawn = order.map(() => members[Math.floor(rand() * members.length)]!).flat();
    const l = drawn.map((i) => labels[i]!);
    if (!l.includes(0) || !l.includes(1)) continue;
    scores.forEach((s, k) => stats[k]!.push(rocAuc(l, drawn.map((i) => s[i]!))));
  }
  return stats;
}

test('the cluster bootstrap interval equals a brute-force replay of the same draws', () => {
  const { labels, scores, patients } = randomItems(60, 7, 6);
  const r = clusteredAucCi(labels, scores, patients, { B: 300, seed: 4 });
  const [stats] = bruteForce(labels, [scores], patients, 300, 4);
  const sorted = stats!.sort((a, b) => a - b);
  assert.equal(r.valid, sorted.length);
  close(r.value, rocAuc(labels, scores));
  close(r.lo, quantileSorted(sorted, 0.025));
  close(r.hi, quantileSorted(sorted, 0.975));
  assert.ok(r.lo < r.value && r.value < r.hi);
});

test('two women worked by hand: the replicates are 1, 0 and 3/4', () => {
  // Woman A: lesion window 0.9, background 0.1; woman B: lesion 0.2, background 0.8.
  // Draws AA (AUC 1), BB (0) a quarter of the time each, AB or BA (3/4) half the time.
  const r = clusteredAucCi([1, 0, 1, 0], [0.9, 0.1, 0.2, 0.8], ['A', 'A', 'B', 'B'], { B: 4000, seed: 1 });
  assert.equal(r.value, 0.75);
  assert.equal(r.lo, 0);
  assert.equal(r.hi, 1);
  const mid = clusteredAucCi([1, 0, 1, 0], [0.9, 0.1, 0.2, 0.8], ['A', 'A', 'B', 'B'], { B: 4000, seed: 1, level: 0.4 });
  // The central 40 % lies inside the AB mass (from 25 % to 75 % of the replicates).
  assert.equal(mid.lo, 0.75);
  assert.equal(mid.hi, 0.75);
});

test('copying every window of a woman leaves the interval as it was; resampling windows would narrow it', () => {
  const { labels, scores, patients } = randomItems(120, 3, 20);
  const copies = 5;
  const rep = <T>(xs: T[]): T[] => xs.flatMap((x) => Array<T>(copies).fill(x));
  const once = clusteredAucCi(labels, scores, patients, { B: 500, seed: 2 });
  const copied = clusteredAucCi(rep(labels), rep(scores), rep(patients), { B: 500, seed: 2 });
  close(copied.lo, once.lo);
  close(copied.hi, once.hi);
  // Each copy its own cluster: 5 times the "evidence", an interval about 1/sqrt(5) as wide (0.44 here).
  const asWindows = clusteredAucCi(rep(labels), rep(scores), rep(patients).map((_, i) => `item${i}`), { B: 500, seed: 2 });
  assert.ok(asWindows.hi - asWindows.lo < 0.6 * (once.hi - once.lo), `${asWindows.hi - asWindows.lo} vs ${once.hi - once.lo}`);
});

test('paired difference: the same draws for both scorers, checked against the brute-force replay', () => {
  const { labels, scores, patients } = randomItems(60, 3, 6);
  const r = mulberry32(9);
  const other = scores.map((s) => s + (r() - 0.5) * 0.6);
  const d = pairedClusteredAucDifference(labels, scores, other, patients, { B: 300, seed: 5 });
  const [a, b] = bruteForce(labels, [scores, other], patients, 300, 5);
  const diffs = a!.map((x, i) => x - b![i]!);
  const sorted = [...diffs].sort((x, y) => x - y);
  close(d.aucA, rocAuc(labels, scores));
  close(d.aucB, rocAuc(labels, other));
  close(d.value, d.aucA - d.aucB);
  close(d.lo, quantileSorted(sorted, 0.025));
  close(d.hi, quantileSorted(sorted, 0.975));
  close(d.notAbove, diffs.filter((x) => x <= 1e-15).length / diffs.length);
});

test('paired difference of a scorer with itself is exactly 0; a perfect scorer beats a poor one', () => {
  const { labels, scores, patients } = randomItems(60, 5, 6);
  const same = pairedClusteredAucDifference(labels, scores, scores, patients, { B: 200 });
  assert.deepEqual([same.value, same.lo, same.hi, same.notAbove], [0, 0, 0, 1]);
  const perfect = labels.map((l) => l);
  const better = pairedClusteredAucDifference(labels, perfect, scores, patients, { B: 200 });
  assert.ok(better.lo > 0 && better.notAbove === 0, `${better.lo} ${better.notAbove}`);
});

test('bad input: clusters of another length, one class only, bad level', () => {
  assert.throws(() => clusteredAucCi([1, 0], [0.2, 0.1], ['a']), /clusters \(1\) and labels \(2\)/);
  assert.throws(() => clusteredAucCi([1, 1], [0.2, 0.1], ['a', 'b']), /all 2 samples are positive/);
  assert.throws(() => pairedClusteredAucDifference([1, 0], [0.2, 0.1], [0.3], ['a', 'b']), /differ in length/);
  assert.throws(() => clusteredAucCi([1, 0], [0.2, 0.1], ['a', 'b'], { level: 1 }), /level = 1/);
  assert.throws(() => clusteredAucCi([1, 0], [0.2, 0.1], ['a', 'b'], { B: 0 }), /B = 0/);
});
