/**
 * The native synchronized BatchNorm's arithmetic, without communication: on a one-rank group it
 * must be BatchNorm in training (output, input/weight/bias gradients, running statistics), in
 * float64 (to 1e-10), float32 (1e-5) and bf16 (0.02: a unit in the last place of bf16 values near 2-4; measured 0.0078).
 * Across ranks it is checked against full-batch BatchNorm in equivalence.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRanks } from './helpers.js';

test('syncBatchNorm on one rank = BatchNorm in training, in float64, float32 and bf16, contiguous and channels-last', async () => {
  const [r] = await runRanks('sync-batchnorm.js', 1);
  assert.equal(r!.code, 0, r!.stderr);
  const out = r!.json as Record<string, Record<string, number>>;
  const tol: Record<string, number> = { float64: 1e-10, float32: 1e-5, bfloat16: 0.02 };
  for (const [name, diffs] of Object.entries(out)) {
    const t = tol[name.split(' ')[0]!]!;
    for (const k of ['y', 'dx', 'dw', 'db', 'rm', 'rv']) assert.ok(diffs[k]! <= t, `${name}: ${k} differs by ${diffs[k]} (tolerance ${t})`);
    assert.equal(diffs.dtypeKept, 1, `${name}: output and input gradient keep the input dtype`);
  }
  assert.equal(Object.keys(out).length, 4);
});
