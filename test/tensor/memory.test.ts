// 200 training steps of a small convolutional net: the live tensor count must come back to the
// same value after every step and resident memory must stay bounded (no growth per step).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randn, randint, tidy, noGrad, memoryStats, manualSeed, F, type Tensor } from '../../src/tensor/index.js';

test('200 SGD steps of a small convnet leak no tensors and keep RSS flat', () => {
  manualSeed(0);
  const params: Tensor[] = [
    randn([8, 1, 3, 3]).mul(0.3), randn([8]).mul(0), randn([16, 8, 3, 3]).mul(0.1), randn([16]).mul(0), randn([2, 16]).mul(0.1),
  ];
  for (const p of params) p.requiresGrad_(true);
  const runningMean = randn([16]).mul(0);
  const runningVar = randn([16]).mul(0).add(1);
  const step = () =>
    tidy(() => {
      const x = randn([16, 1, 16, 16]);
      const y = randint(0, 2, [16]);
      let h = F.conv2d(x, params[0]!, params[1]!, { padding: 1 }).relu();
      h = F.maxPool2d(h, 2);
      h = F.conv2d(h, params[2]!, params[3]!, { padding: 1 });
      h = F.batchNorm(h, { runningMean, runningVar, training: true }).relu();
      const logits = F.linear(F.adaptiveAvgPool2d(h, 1).flatten(1), params[4]!);
      const loss = F.crossEntropy(logits, y);
      for (const p of params) p.setGrad(null);
      loss.backward();
      noGrad(() => {
        for (const p of params) p.sub_(p.grad!, 0.05);
      });
      return loss.item();
    });
  for (let i = 0; i < 20; i++) step();
  const baseline = memoryStats();
  const rss0 = process.memoryUsage().rss;
  let maxRss = rss0;
  const losses: number[] = [];
  for (let i = 0; i < 200; i++) {
    losses.push(step());
    const now = memoryStats();
    assert.equal(now.liveTensors, baseline.liveTensors, `live tensors changed at step ${i}`);
    assert.equal(now.liveBytes, baseline.liveBytes, `live bytes changed at step ${i}`);
    maxRss = Math.max(maxRss, process.memoryUsage().rss);
  }
  const growthMb = (maxRss - rss0) / 2 ** 20;
  assert.ok(growthMb < 64, `RSS grew by ${growthMb.toFixed(1)} MB over 200 steps`);
  assert.ok(losses.every(Number.isFinite));
  for (const t of [...params, runningMean, runningVar]) t.dispose();
});
