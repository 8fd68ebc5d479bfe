// The whole method on a tiny scale: phantoms at 16x16 with obvious lesions, two epochs of SimCLR
// on a narrow ResNet-18, then a patient-disjoint linear probe that must beat the majority class
// (the lower end of its accuracy interval above the baseline's accuracy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor } from '../../src/tensor/index.js';
import { generatePhantomDataset } from '../../src/data/phantom/dataset.js';
import { preprocessMammogram } from '../../src/data/preprocess/index.js';
import { pretrain, pretrainDefaults } from '../../src/train/pretrain.js';
import { crossValidate } from '../../src/train/cross-validation.js';
import type { BinaryEvaluation } from '../../src/eval/summary.js';

const dir = mkdtempSync(join(tmpdir(), 'mammoclr-e2e-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('two epochs of SimCLR on 16x16 phantoms give features whose linear probe beats the majority class', async () => {
  const S = 16;
  const phantoms = generatePhantomDataset({ patients: 200, seed: 5, size: 128, lesionScale: 8 });
  const flat = new Float32Array(phantoms.length * S * S);
  phantoms.forEach((p, i) => flat.set(preprocessMammogram(p.image, { size: S, laterality: p.laterality }).data, i * S * S));
  const images = tensor(flat, [phantoms.length, 1, S, S]);
  const items = phantoms.map((p, i) => ({ index: i, id: p.record.id, patientId: p.record.patientId, label: p.label === 'normal' ? 0 : 1 }));

  const cfg = pretrainDefaults();
  cfg.encoder = { depth: 18, stem: 'cifar', width: 8, inChannels: 1 };
  cfg.projection = { hidden: 64, out: 32, variant: 'v1' };
  cfg.epochs = 2;
  cfg.batchSize = 64;
  cfg.optimizer = { ...cfg.optimizer, lr: 1.0, warmupEpochs: 0 };
  cfg.bf16 = false;
  cfg.checkpointEvery = 0;
  const run = await pretrain(cfg, { images, runDir: dir, quiet: true });
  assert.equal(run.epochs.length, 2);
  assert.ok(run.epochs.every((e) => Number.isFinite(e.loss)));

  const cv = await crossValidate(images, items, ['normal', 'abnormal'], { kind: 'linear', encoder: run.encoder, config: { epochs: 40 } }, { folds: 3, seed: 0, fraction: 1 });
  const e = cv.pooled as BinaryEvaluation;
  assert.equal(e.n, 400);
  assert.ok(e.accuracy.lo > e.baseline.accuracy.value, `accuracy ${e.accuracy.value.toFixed(3)} [${e.accuracy.lo.toFixed(3)}, ${e.accuracy.hi.toFixed(3)}] vs majority ${e.baseline.accuracy.value}`);
  assert.ok(e.auc.value > 0.6, `AUC ${e.auc.value}`);
  run.encoder.dispose();
  run.head.dispose();
  images.dispose();
});
