// Cross-validation: linear probing leaves every encoder weight and running statistic
// bit-identical; folds are patient-disjoint and cover every image once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rand, Generator } from '../../src/tensor/index.js';
import { buildEncoder } from '../../src/train/pretrain.js';
import { crossValidate, type CvItem } from '../../src/train/cross-validation.js';
import type { ResNet } from '../../src/nn/resnet.js';

const arch = { depth: 18 as const, stem: 'cifar' as const, width: 4, inChannels: 1 as const };
const images = rand([24, 1, 16, 16], { generator: Generator.seeded(1) });
// 12 patients with two images each; labels alternate by patient.
const items: CvItem[] = Array.from({ length: 24 }, (_, i) => ({ index: i, id: `img${i}`, patientId: `p${i >> 1}`, label: (i >> 1) % 2 }));

function snapshot(m: ResNet): Map<string, number[]> {
  return new Map([...m.stateDict()].map(([k, t]) => [k, t.toArray()]));
}

test('linear evaluation leaves the encoder (weights and BatchNorm statistics) bit-identical', async () => {
  const encoder = buildEncoder(arch, Generator.seeded(2));
  encoder.train();
  const before = snapshot(encoder);
  const r = await crossValidate(images, items, ['a', 'b'], { kind: 'linear', encoder, config: { epochs: 3 } }, { folds: 3, seed: 0, fraction: 1 });
  const after = snapshot(encoder);
  for (const [k, v] of before) assert.deepEqual(after.get(k), v, `${k} changed`);
  assert.equal(encoder.training, true, 'the encoder mode is restored');
  assert.equal(r.predictions.length, 24);
  assert.deepEqual(new Set(r.predictions.map((p) => p.id)).size, 24);
  for (const f of [1, 2, 3]) {
    const test_ = new Set(r.predictions.filter((p) => p.fold === f).map((p) => p.patientId));
    const others = new Set(r.predictions.filter((p) => p.fold !== f).map((p) => p.patientId));
    for (const p of test_) assert.ok(!others.has(p), `patient ${p} in two folds`);
  }
  encoder.dispose();
});
