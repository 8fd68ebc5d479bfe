/**
 * Distributed SimCLR pretraining: rank 0 alone writes; a checkpoint written by 2 ranks resumes
 * with 1, and that one's checkpoint resumes with 2 again, up to the end of the run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRanks, runScript } from './helpers.js';
import { loadCheckpoint, disposeCheckpoint } from '../../src/train/checkpoint.js';
import { rand, Generator, saveSafetensors } from '../../src/tensor/index.js';

const root = mkdtempSync(join(tmpdir(), 'mammoclr-dist-pretrain-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

async function meta(path: string) {
  const ck = await loadCheckpoint<{ epoch: number; stepInEpoch: number; globalStep: number; worldSize?: number }>(path);
  const m = ck.meta;
  const rngKeys = [...(ck.parts.rng?.keys() ?? [])].sort();
  disposeCheckpoint(ck);
  return { ...m, rngKeys };
}

test('2 ranks -> checkpoint -> 1 rank -> checkpoint -> 2 ranks: the run continues to its end', async () => {
  const dir = join(root, 'run');
  const ckPath = join(dir, 'checkpoints', 'last.safetensors');
  // 24 images, global batch 8: 3 steps per epoch, 6 in all.
  const a = await runRanks('pretrain.js', 2, { args: [dir, '2', '-'] });
  for (const r of a) assert.equal(r.code, 0, r.stderr);
  assert.equal(a[0]!.json.stoppedBy, 'step-limit');
  let m = await meta(ckPath);
  assert.deepEqual([m.epoch, m.stepInEpoch, m.globalStep, m.worldSize], [0, 2, 2, 2]);
  assert.deepEqual(m.rngKeys, ['augment', 'augment.rank0', 'augment.rank1']);

  const b = await runScript('pretrain.js', {}, { args: [dir, '4', ckPath] });
  assert.equal(b.code, 0, b.stderr);
  m = await meta(ckPath);
  assert.deepEqual([m.epoch, m.stepInEpoch, m.globalStep, m.worldSize], [1, 1, 4, 1]);

  const c = await runRanks('pretrain.js', 2, { args: [dir, '-', ckPath] });
  for (const r of c) assert.equal(r.code, 0, r.stderr);
  assert.equal(c[0]!.json.stoppedBy, 'completed');
  m = await meta(ckPath);
  assert.deepEqual([m.epoch, m.globalStep, m.worldSize], [2, 6, 2]);
  assert.ok(existsSync(join(dir, 'encoder.safetensors')));

  // One log, written by rank 0 only: every step once, in order, with finite losses.
  const log = readFileSync(join(dir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const steps = log.filter((r) => r.type === 'step');
  assert.deepEqual(steps.map((s) => s.step), [1, 2, 3, 4, 5, 6]);
  for (const s of steps) assert.ok(Number.isFinite(s.loss) && s.loss > 0, `loss ${s.loss}`);
  assert.deepEqual(steps.map((s) => s.worldSize ?? 1), [2, 2, 1, 1, 2, 2]);
  for (const s of steps.filter((x) => x.worldSize === 2)) assert.ok(s.gradientAllReduceMs >= 0);
  const resumes = log.filter((r) => r.type === 'resume');
  assert.deepEqual(resumes.map((r) => [r.savedWorldSize, r.worldSize, r.step]), [[2, 1, 2], [1, 2, 4]]);
});

test('2 ranks streaming their shards from the file train exactly as 2 ranks holding the tensor', async () => {
  // The fixture's images, written as float32 so the file holds exactly the tensor's values.
  const images = rand([24, 1, 16, 16], { generator: Generator.seeded(9) });
  const file = join(root, 'images.safetensors');
  await saveSafetensors(file, { images });
  images.dispose();
  const memory = await runRanks('pretrain.js', 2, { args: [join(root, 'memory'), '-', '-', '-'] });
  const streamed = await runRanks('pretrain.js', 2, { args: [join(root, 'streamed'), '-', '-', file] });
  for (const r of [...memory, ...streamed]) assert.equal(r.code, 0, r.stderr);
  const losses = (dir: string) => readFileSync(join(root, dir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.type === 'step').map((r) => r.loss);
  assert.equal(losses('memory').length, 6);
  assert.deepEqual(losses('streamed'), losses('memory'));
  assert.deepEqual(streamed.map((r) => r.json.epochs), memory.map((r) => r.json.epochs));
});
