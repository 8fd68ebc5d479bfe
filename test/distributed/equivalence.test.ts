/**
 * Data-parallel equivalence: 2 processes on loopback with Gloo, batch B = 4 each, against 1
 * process with batch 2B = 8, for 3 SGD steps (momentum 0.9, weight decay 1e-4). Tolerance:
 * losses within 1e-6 relative and every weight within 1e-6 absolute (float32; measured about
 * 6e-8, the order of float32 rounding of a different summation order).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRanks, runScript, type RankResult } from './helpers.js';

const TOL = 1e-6;

function maxWeightDiff(a: Record<string, number[]>, b: Record<string, number[]>): number {
  assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
  let m = 0;
  for (const k of Object.keys(a)) {
    assert.equal(a[k]!.length, b[k]!.length);
    a[k]!.forEach((v, i) => (m = Math.max(m, Math.abs(v - b[k]![i]!))));
  }
  return m;
}

function ok(r: RankResult): any {
  assert.equal(r.code, 0, `rank ${r.rank} failed: ${r.stderr}\n${r.stdout}`);
  assert.ok(r.json, `rank ${r.rank} printed no JSON: ${r.stdout}`);
  return r.json;
}

async function compare(loss: string, bnSingle: string, bnDist: string) {
  const [single, dist] = await Promise.all([
    runScript('equivalence.js', {}, { args: [loss, bnSingle, '3', '8'] }),
    runRanks('equivalence.js', 2, { args: [loss, bnDist, '3', '8'] }),
  ]);
  const s = ok(single);
  const d = dist.map(ok);
  assert.equal(s.world, 1);
  assert.equal(d[0].world, 2);
  return { s, d };
}

for (const [loss, label] of [['ce', 'supervised cross-entropy'], ['ntxent', 'NT-Xent with global negatives']] as const) {
  test(`2 ranks x batch 4 = 1 process x batch 8: ${label}`, async () => {
    const { s, d } = await compare(loss, 'none', 'none');
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(s.losses[i] - d[0].losses[i]) <= TOL * Math.abs(s.losses[i]), `step ${i}: ${s.losses[i]} vs ${d[0].losses[i]}`);
    // The losses move: the steps really train.
    assert.notEqual(s.losses[0], s.losses[2]);
    assert.ok(maxWeightDiff(s.weights, d[0].weights) < TOL, `weights differ by ${maxWeightDiff(s.weights, d[0].weights)}`);
    assert.equal(maxWeightDiff(d[0].weights, d[1].weights), 0, 'the ranks must hold identical weights');
    assert.equal(d[0].bucketCount, 2, 'a 256-byte bucket cap splits the gradients into buckets');
    // Every parameter has a gradient, so each bucket's all-reduce started inside backward.
    assert.deepEqual(d[0].overlapped, [2, 2, 2]);
  });

  test(`SyncBatchNorm on 2 ranks = full-batch BatchNorm on 1 process: ${label}`, async () => {
    const { s, d } = await compare(loss, 'plain', 'sync');
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(s.losses[i] - d[0].losses[i]) <= TOL * Math.abs(s.losses[i]), `step ${i}: ${s.losses[i]} vs ${d[0].losses[i]}`);
    const diff = maxWeightDiff(s.weights, d[0].weights);
    assert.ok(diff < TOL, `weights and running statistics differ by ${diff}`);
    assert.equal(maxWeightDiff(d[0].weights, d[1].weights), 0);
  });
}

test('control: per-rank BatchNorm (not synchronized) does not match the full batch', async () => {
  const { s, d } = await compare('ce', 'plain', 'plain');
  assert.ok(maxWeightDiff(s.weights, d[0].weights) > 1e-4, 'the equivalence tests above would be vacuous');
});
