// Linear evaluation on features: separable classes are learned, class weights follow sklearn's
// 'balanced' rule, and a seed reproduces the classifier exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, randn, manualSeed, tidy } from '../../src/tensor/index.js';
import { trainLinearClassifier, predictProbabilities, balancedClassWeights } from '../../src/train/linear-eval.js';

function blobs(n: number): { x: number[][]; y: number[] } {
  manualSeed(3);
  const noise = randn([n, 4]).mul(0.3);
  const v = noise.toArray();
  noise.dispose();
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    x.push([0, 1, 2, 3].map((j) => v[i * 4 + j]! + (j === c ? 2 : 0)));
    y.push(c);
  }
  return { x, y };
}

test('separable classes reach full training accuracy and the loss falls', () => {
  const { x, y } = blobs(90);
  const f = tensor(x);
  const l = tensor(y, { dtype: 'int64' });
  const { classifier, history } = trainLinearClassifier(f, l, 3, { epochs: 20, seed: 1 });
  assert.ok(history[19]!.loss < history[0]!.loss / 3, `loss ${history[0]!.loss} -> ${history[19]!.loss}`);
  const acc = tidy(() => predictProbabilities(classifier, f).argmax(1).eq(l).float().mean().item());
  assert.equal(acc, 1);
  const p = predictProbabilities(classifier, f);
  assert.ok(p.sum(1).toArray().every((s) => Math.abs(s - 1) < 1e-5));
  for (const t of [f, l, p]) t.dispose();
  classifier.dispose();
});

test('the same seed gives bit-identical weights; the lr follows a cosine over all steps', () => {
  const { x, y } = blobs(30);
  const f = tensor(x);
  const l = tensor(y, { dtype: 'int64' });
  const a = trainLinearClassifier(f, l, 3, { epochs: 3, seed: 7 });
  const b = trainLinearClassifier(f, l, 3, { epochs: 3, seed: 7 });
  assert.deepEqual(a.classifier.fc.parameters()[0]!.toArray(), b.classifier.fc.parameters()[0]!.toArray());
  // 30 samples, batch 64: one step per epoch; step 2 of 3: 0.1 * (1 + cos(pi * 2/3)) / 2 = 0.025
  assert.ok(Math.abs(a.history[2]!.lr - 0.025) < 1e-12, String(a.history[2]!.lr));
  a.classifier.dispose();
  b.classifier.dispose();
  f.dispose();
  l.dispose();
});

test('balanced class weights are n / (k * count)', () => {
  // 6 samples: class 0 x4, class 1 x2 -> 6/(2*4) = 0.75, 6/(2*2) = 1.5
  assert.deepEqual(balancedClassWeights([0, 0, 0, 0, 1, 1], 2), [0.75, 1.5]);
});

test('mismatched rows and labels give a clear error', () => {
  const f = randn([4, 2]);
  const l = tensor([0, 1, 0], { dtype: 'int64' });
  assert.throws(() => trainLinearClassifier(f, l, 2), /4 feature rows but 3 labels/);
  f.dispose();
  l.dispose();
});
