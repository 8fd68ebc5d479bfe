/**
 * Data-parallel label training (trainClassifier with a group) against the single-process run:
 * 2 processes on loopback with Gloo sharing a global batch of 8 (4 each) against 1 process with
 * batch 8, for 2 epochs of 3 SGD steps (8, 8 and a final 4 images), momentum 0.9, weight decay
 * 5e-4, SyncBatchNorm on the 2 ranks, no augmentation. Tolerance: epoch losses within 1e-5
 * relative, every weight, running statistic and predicted probability within 1e-5 absolute.
 * Measured: about 1e-6 (the differences are printed), the float32 noise floor of this tiny
 * network: the same single process on 2 threads instead of 1 differs from itself by 5e-7 in
 * the loss and 7e-7 in the weights (BatchNorm over 4-image batches amplifies rounding).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRanks, runScript, type RankResult } from './helpers.js';

const LOSS_TOL = 1e-5;
const TOL = 1e-5;

function maxDiff(a: Record<string, number[]> | number[], b: Record<string, number[]> | number[]): number {
  const flat = (x: Record<string, number[]> | number[]) => (Array.isArray(x) ? x : Object.keys(x).sort().flatMap((k) => x[k]!));
  if (!Array.isArray(a)) assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
  const [fa, fb] = [flat(a), flat(b)];
  assert.equal(fa.length, fb.length);
  return fa.reduce((m, v, i) => Math.max(m, Math.abs(v - fb[i]!)), 0);
}

function ok(r: RankResult): any {
  assert.equal(r.code, 0, `rank ${r.rank} failed: ${r.stderr}\n${r.stdout}`);
  assert.ok(r.json, `rank ${r.rank} printed no JSON: ${r.stdout}`);
  return r.json;
}

for (const [trainable, weights] of [['all', 'none'], ['layer4', 'balanced']] as const) {
  test(`2 ranks x batch 4 = 1 process x batch 8: trainable ${trainable}, class weights ${weights}`, async (t) => {
    const args = [trainable, weights, '8', '2'];
    const [single, dist] = await Promise.all([runScript('supervised.js', {}, { args }), runRanks('supervised.js', 2, { args })]);
    const s = ok(single);
    const d = dist.map(ok);
    assert.deepEqual([s.world, d[0].world], [1, 2]);
    s.losses.forEach((l: number, i: number) => assert.ok(Math.abs(l - d[0].losses[i]) <= LOSS_TOL * Math.abs(l), `epoch ${i + 1}: ${l} vs ${d[0].losses[i]}`));
    assert.notEqual(s.losses[0], s.losses[1], 'the steps really train');
    const w = maxDiff(s.weights, d[0].weights);
    const p = maxDiff(s.probabilities, d[0].probabilities);
    t.diagnostic(`trainable ${trainable}: max |loss diff| ${Math.max(...s.losses.map((l: number, i: number) => Math.abs(l - d[0].losses[i])))}, max |weight diff| ${w}, max |probability diff| ${p}`);
    assert.ok(w < TOL, `weights and running statistics differ by ${w}`);
    assert.ok(p < TOL, `predictions differ by ${p}`);
    assert.equal(maxDiff(d[0].weights, d[1].weights), 0, 'the ranks must hold identical weights');
    assert.equal(maxDiff(d[0].probabilities, d[1].probabilities), 0, 'the ranks must predict alike');
  });
}

test('a global batch that is not a multiple of the processes is refused on every rank', async () => {
  const dist = await runRanks('supervised.js', 2, { args: ['all', 'none', '7', '1'] });
  for (const r of dist) {
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /batch size 7 is not a multiple of the 2 processes/);
  }
});
