import { test } from 'node:test';
import assert from 'node:assert/strict';
import { learningRateAt, scaledLearningRate, totalSteps, warmupSteps, type ScheduleConfig } from '../../src/optim/schedule.js';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

// CIFAR-like run: lr 0.3 * 512/256 = 0.6; warm-up 10 * 50000 // 512 = 976 (976.5625 floored);
// total 50000 * 100 // 512 + 1 = 9765 + 1 = 9766; cosine over 9766 - 976 = 8790 steps.
const cifar: ScheduleConfig = { baseLearningRate: 0.3, batchSize: 512, numExamples: 50000, epochs: 100, warmupEpochs: 10, scaling: 'linear' };

test('step counts use SimCLR integer arithmetic', () => {
  assert.equal(warmupSteps(cifar), 976);
  assert.equal(totalSteps(cifar), 9766);
  // 2.5 * 1000 // 256 = 9.0 (Python floors before round(), so not round(9.77) = 10).
  assert.equal(warmupSteps({ ...cifar, warmupEpochs: 2.5, numExamples: 1000, batchSize: 256 }), 9);
  // Default warm-up is 10 epochs.
  const { warmupEpochs: _omit, ...noWarmup } = cifar;
  assert.equal(warmupSteps(noWarmup), 976);
  assert.equal(totalSteps({ ...cifar, trainSteps: 123 }), 123);
});

test('warm-up: linear from 0 at the first step', () => {
  assert.equal(learningRateAt(0, cifar), 0);
  close(learningRateAt(1, cifar), 0.6 / 976);
  close(learningRateAt(488, cifar), 0.3); // halfway: 488/976 * 0.6
  close(learningRateAt(975, cifar), (975 / 976) * 0.6);
});

test('cosine: peak at warm-up end, half in the middle, near 0 at the last step, 0 after', () => {
  close(learningRateAt(976, cifar), 0.6); // cos(0) = 1
  close(learningRateAt(976 + 1000, cifar), 0.5810423146527318); // 0.3 * (1 + cos(pi * 1000/8790))
  close(learningRateAt(976 + 4395, cifar), 0.3); // 0.3 * (1 + cos(pi/2))
  // last trained step 9765: 0.3 * (1 + cos(pi * 8789/8790)) = 0.3 * (1 - cos(pi/8790)) ~ 0.3 * x^2/2
  close(learningRateAt(9765, cifar), 1.916078289365686e-8, 1e-18);
  assert.ok(learningRateAt(9765, cifar) > 0);
  close(learningRateAt(9766, cifar), 0);
  close(learningRateAt(20000, cifar), 0); // Keras CosineDecay clamps the step
});

test('no warm-up starts at the full rate; no decay phase gives 0', () => {
  close(learningRateAt(0, { ...cifar, warmupEpochs: 0 }), 0.6);
  // trainSteps equal to the warm-up: Keras would give 0/0; we give 0 once warm-up ends.
  assert.equal(learningRateAt(976, { ...cifar, trainSteps: 976 }), 0);
});

test('sqrt scaling', () => {
  const c: ScheduleConfig = { ...cifar, baseLearningRate: 0.075, scaling: 'sqrt', batchSize: 4096 };
  // 0.075 * sqrt(4096) = 0.075 * 64 = 4.8; warm-up 500000 // 4096 = 122
  assert.equal(warmupSteps(c), 122);
  close(learningRateAt(122, c), 4.8);
  close(learningRateAt(61, c), 2.4);
});

test('scaledLearningRate: linear B/256, sqrt sqrt(B), none', () => {
  close(scaledLearningRate(0.3, 4096, 'linear'), 4.8); // SimCLR README: 0.3 * 4096/256
  close(scaledLearningRate(0.075, 4096, 'sqrt'), 4.8); // ... = 0.075 * sqrt(4096)
  close(scaledLearningRate(1.0, 512, 'linear'), 2);
  close(scaledLearningRate(0.075, 256, 'sqrt'), 1.2);
  close(scaledLearningRate(0.1, 100, 'none'), 0.1);
  assert.throws(() => scaledLearningRate(0.3, 0, 'linear'), /batch size/);
  assert.throws(() => scaledLearningRate(0.3, 256, 'cube' as never), /unknown/);
  assert.throws(() => learningRateAt(-1, cifar), /step/);
});
