// The training session: its rules (augmentation seeds, batch placement, autocast, a lone
// process's no-op collectives), that pretraining and label training both run through it, and
// the inference loop that features and predictions share. With a group: test/distributed.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rand, tensor, tidy, noGrad, Generator } from '../../src/tensor/index.js';
import { Linear } from '../../src/nn/layers.js';
import { TrainingSession, augmentSeed } from '../../src/train/session.js';
import { pretrain } from '../../src/train/pretrain.js';
import { buildEncoder } from '../../src/train/encoder-io.js';
import { trainClassifier, predictImages } from '../../src/train/supervised.js';
import { tinyConfig, tinyImages } from './tiny-pretrain.js';

const arch = { depth: 18 as const, stem: 'cifar' as const, width: 4, inChannels: 1 as const };

test('augmentation seeds: seed + 1 alone; seed + 1 + 7919 (rank + 1) + 104729 step otherwise', () => {
  assert.equal(augmentSeed(0, 0, 1), 1n);
  assert.equal(augmentSeed(5, 0, 1), 6n);
  assert.equal(augmentSeed(5, 0, 2), 6n + 7919n);
  assert.equal(augmentSeed(5, 1, 2), 6n + 2n * 7919n);
  // Resumed at step 12 with one rank, after a run with another number of ranks.
  assert.equal(augmentSeed(5, 0, 1, 12), 6n + 7919n + 12n * 104_729n);
  assert.equal(new TrainingSession({ bf16: false, channelsLast: false, seed: 5 }).augmentSeed(12), 6n + 7919n + 12n * 104_729n);
});

test('a lone session: rank 0 of 1, batches channels-last on the CPU, bf16 autocast, collectives that return their input', async () => {
  const s = new TrainingSession({ bf16: true, channelsLast: true, seed: 0 });
  assert.deepEqual([s.group, s.rank, s.worldSize, s.isMain], [undefined, 0, 1, true]);
  const fc = new Linear(4, 2, { generator: Generator.seeded(1) });
  s.place(fc);
  s.syncBatchNorm(fc);
  await s.start([fc], fc.parameters());
  const x = rand([2, 3, 4, 4], { generator: Generator.seeded(2) });
  const [channelsLast, strides, dtype] = tidy(() => {
    const y = s.input(x);
    const z = s.autocast(() => fc.forward(rand([2, 4])));
    return [y.isContiguous('channelsLast'), y.strides, z.dtype];
  });
  assert.equal(channelsLast, true);
  assert.deepEqual(strides, [48, 1, 12, 3]);
  assert.equal(dtype, 'bfloat16');
  assert.equal(new TrainingSession({ bf16: false, channelsLast: false, seed: 0 }).autocast(() => tidy(() => fc.forward(rand([1, 4])).dtype)), 'float32');
  await s.reduceGradients();
  assert.equal(s.lastReduceMs, undefined);
  assert.equal(await s.agreeToStop(true), true);
  assert.equal(await s.agreeToStop(false), false);
  assert.equal(await s.sumOverRanks(0.25), 0.25);
  s.close();
  x.dispose();
  fc.dispose();
});

/** Counts the calls of the session's methods while `run` runs. */
async function sessionCalls(run: () => Promise<void>): Promise<Record<string, number[][]>> {
  const names = ['place', 'syncBatchNorm', 'start', 'input', 'autocast', 'reduceGradients', 'augmentSeed', 'close'] as const;
  const mocks = names.map((n) => mock.method(TrainingSession.prototype, n));
  try {
    await run();
    return Object.fromEntries(names.map((n, i) => [n, mocks[i]!.mock.calls.map((c) => c.arguments.map((a) => (typeof a === 'object' && a && 'parameters' in a ? 1 : Number(a))))]));
  } finally {
    for (const m of mocks) m.mock.restore();
  }
}

test('pretraining runs through the session: models placed, weights shared, every step\'s batch, forward and gradients', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'session-'));
  const images = tinyImages();
  try {
    const cfg = { ...tinyConfig(), epochs: 1 };
    const calls = await sessionCalls(async () => {
      const r = await pretrain(cfg, { images, runDir: dir, quiet: true });
      r.encoder.dispose();
      r.head.dispose();
    });
    // 24 images, batch 8: 3 steps.
    assert.deepEqual(calls.place, [[1, 1]]);
    assert.deepEqual(calls.syncBatchNorm, [[1, 1]]);
    assert.equal(calls.start!.length, 1);
    assert.equal(calls.input!.length, 3);
    assert.equal(calls.autocast!.length, 3);
    assert.equal(calls.reduceGradients!.length, 3);
    assert.deepEqual(calls.augmentSeed, [[]]);
    assert.equal(calls.close!.length, 1);
  } finally {
    images.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});

test('label training runs through the session; alone it augments from the data-order generator, as it always did', async () => {
  const images = rand([16, 1, 16, 16], { generator: Generator.seeded(1) });
  const labels = tensor(Array.from({ length: 16 }, (_, i) => i % 2), { dtype: 'int64' });
  const encoder = buildEncoder(arch, Generator.seeded(3));
  const calls = await sessionCalls(async () => {
    const r = await trainClassifier(encoder, images, labels, 2, { epochs: 1, batchSize: 8, augment: {}, channelsLast: false }, { quiet: true });
    r.classifier.dispose();
  });
  // 16 images, batch 8: 2 steps.
  assert.deepEqual(calls.place, [[1, 1]]);
  assert.deepEqual(calls.syncBatchNorm, [[1]]);
  assert.equal(calls.start!.length, 1);
  assert.equal(calls.input!.length, 2);
  assert.equal(calls.autocast!.length, 2);
  assert.equal(calls.reduceGradients!.length, 2);
  assert.deepEqual(calls.augmentSeed, []);
  assert.equal(calls.close!.length, 1);
  for (const t of [images, labels]) t.dispose();
  encoder.dispose();
});

test('prediction is the eval-mode forward in batches, and gives every module its own mode back', async () => {
  const images = rand([10, 1, 16, 16], { generator: Generator.seeded(4) });
  const labels = tensor(Array.from({ length: 10 }, (_, i) => i % 2), { dtype: 'int64' });
  const encoder = buildEncoder(arch, Generator.seeded(5));
  const { classifier } = await trainClassifier(encoder, images, labels, 2, { epochs: 1, batchSize: 10, augment: null, channelsLast: false, trainable: 'layer4' }, { quiet: true });
  // The mix a last-stage fine-tuning runs in.
  encoder.eval();
  encoder.layer4.train();
  const p = predictImages(encoder, classifier, images, { batchSize: 3 });
  assert.equal(encoder.training, false);
  assert.equal(encoder.layer4.training, true);
  assert.equal(encoder.layer1.training, false);
  encoder.eval();
  const whole = tidy(() => noGrad(() => classifier.forward(encoder.forward(images)).softmax(1)));
  const [a, b] = [p.toArray(), whole.toArray()];
  assert.equal(a.length, 20);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) < 1e-6, `row ${i >> 1}: ${v} against ${b[i]}`));
  for (const t of [images, labels, p, whole]) t.dispose();
  encoder.dispose();
  classifier.dispose();
});
