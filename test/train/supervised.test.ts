// Training an encoder + classifier: last-stage fine-tuning moves layer4 only (frozen stages keep
// weights and BatchNorm statistics); full training moves everything; predictions are probabilities.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rand, tensor, Generator } from '../../src/tensor/index.js';
import { buildEncoder } from '../../src/train/pretrain.js';
import { trainClassifier, predictImages } from '../../src/train/supervised.js';
import type { ResNet } from '../../src/nn/resnet.js';

const arch = { depth: 18 as const, stem: 'cifar' as const, width: 4, inChannels: 1 as const };
const images = rand([16, 1, 16, 16], { generator: Generator.seeded(1) });
const labels = tensor(Array.from({ length: 16 }, (_, i) => i % 2), { dtype: 'int64' });

function snapshot(m: ResNet): Map<string, string> {
  return new Map([...m.stateDict()].map(([k, t]) => [k, JSON.stringify(t.toArray())]));
}

test('last-stage fine-tuning changes layer4 only', async () => {
  const e = buildEncoder(arch, Generator.seeded(3));
  const before = snapshot(e);
  const { classifier } = await trainClassifier(e, images, labels, 2, { trainable: 'layer4', epochs: 2, batchSize: 8, augment: null, channelsLast: false }, { quiet: true });
  const after = snapshot(e);
  let layer4Changed = false;
  for (const [k, v] of before) {
    if (k.startsWith('layer4.')) layer4Changed ||= after.get(k) !== v;
    else assert.equal(after.get(k), v, `${k} changed although frozen`);
  }
  assert.ok(layer4Changed, 'layer4 was trained');
  assert.ok(e.parameters().every((p) => p.requiresGrad), 'requiresGrad is restored on frozen parameters');
  const p = predictImages(e, classifier, images);
  assert.deepEqual(p.shape, [16, 2]);
  assert.ok(p.sum(1).toArray().every((s) => Math.abs(s - 1) < 1e-5));
  e.dispose();
  classifier.dispose();
});

test('full training changes the stem and the running statistics', async () => {
  const e = buildEncoder(arch, Generator.seeded(4));
  const before = snapshot(e);
  const { classifier, history } = await trainClassifier(e, images, labels, 2, { trainable: 'all', epochs: 2, batchSize: 8, augment: {}, channelsLast: true }, { quiet: true });
  const after = snapshot(e);
  assert.notEqual(after.get('conv1.weight'), before.get('conv1.weight'));
  assert.notEqual(after.get('bn1.running_mean'), before.get('bn1.running_mean'));
  assert.equal(history.length, 2);
  e.dispose();
  classifier.dispose();
});
