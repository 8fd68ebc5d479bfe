// The experiment grid: a tiny grid runs, a rerun recomputes nothing, an interrupted grid (one
// cell missing) recomputes only that cell, and the table rows are the per-cell metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readdirSync, unlinkSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor } from '../../src/tensor/index.js';
import { generatePhantomDataset } from '../../src/data/phantom/dataset.js';
import { preprocessMammogram } from '../../src/data/preprocess/index.js';
import { runExperiment, markdownTable, type ExperimentConfig } from '../../src/train/experiment.js';

const dir = mkdtempSync(join(tmpdir(), 'mammoclr-exp-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const S = 16;
const phantoms = generatePhantomDataset({ patients: 24, seed: 2, size: 96, lesionScale: 6 });
const flat = new Float32Array(phantoms.length * S * S);
phantoms.forEach((p, i) => flat.set(preprocessMammogram(p.image, { size: S, laterality: p.laterality }).data, i * S * S));
const data = {
  images: tensor(flat, [phantoms.length, 1, S, S]),
  items: phantoms.map((p, i) => ({ index: i, id: p.record.id, patientId: p.record.patientId, label: p.label === 'normal' ? 0 : 1 })),
  classes: ['normal', 'abnormal'],
};
const cfg: ExperimentConfig = {
  task: 'normal-vs-abnormal', folds: 2, seed: 0,
  encoder: { depth: 18, stem: 'cifar', width: 4, inChannels: 1 },
  pretrain: { epochs: [1], temperature: [0.5], dataFraction: [0.5, 1], batchSize: 16, lr: 0.5, warmupEpochs: 0 },
  fractions: [0.5, 1], linear: { epochs: 5 }, supervised: { epochs: 1 }, bf16: false,
};

test('a grid runs, resumes without recomputing, and its table holds the cells\' metrics', async () => {
  const log1: string[] = [];
  const rows = await runExperiment(cfg, data, dir, (m) => log1.push(m));
  // 2 pretraining settings x 2 fractions + (random-init + supervised) x 2 fractions
  assert.equal(rows.length, 8);
  assert.equal(log1.filter((m) => m.startsWith('pretraining')).length, 2);
  assert.equal(readdirSync(join(dir, 'cells')).length, 8);
  for (const r of rows) {
    const saved = JSON.parse(readFileSync(join(dir, 'cells', `${r.key}.json`), 'utf8'));
    assert.deepEqual(saved, r);
    assert.ok(r.auc >= 0 && r.auc <= 1 && r.aucLow <= r.auc && r.auc <= r.aucHigh);
    assert.equal(r.n, 48);
    assert.equal(r.majority, 0.5);
  }
  const md = markdownTable(rows);
  assert.equal(md.trim().split('\n').length, 2 + 8);
  assert.ok(md.includes(`${(100 * rows[0]!.auc).toFixed(1)} [`));

  const mtimes = new Map(readdirSync(join(dir, 'cells')).map((f) => [f, statSync(join(dir, 'cells', f)).mtimeMs]));
  const log2: string[] = [];
  const again = await runExperiment(cfg, data, dir, (m) => log2.push(m));
  assert.deepEqual(again, rows);
  assert.equal(log2.filter((m) => m.endsWith('skipped')).length, 8);
  assert.equal(log2.filter((m) => m.startsWith('pretraining')).length, 0);
  for (const [f, t] of mtimes) assert.equal(statSync(join(dir, 'cells', f)).mtimeMs, t, `${f} rewritten`);

  // An interruption after some cells: only the missing one runs, from the saved encoder.
  unlinkSync(join(dir, 'cells', `${rows[1]!.key}.json`));
  const log3: string[] = [];
  const resumed = await runExperiment(cfg, data, dir, (m) => log3.push(m));
  assert.deepEqual(log3.filter((m) => m.endsWith('running')), [`cell ${rows[1]!.key}: running`]);
  assert.equal(log3.filter((m) => m.startsWith('pretraining')).length, 0);
  assert.deepEqual(resumed[1], rows[1]);

  // The baselines' encoders are seeded too: a recomputed random-init or supervised cell is the same.
  for (const key of ['random-init_labels-0.5', 'supervised_labels-0.5']) {
    const before = rows.find((r) => r.key === key);
    assert.ok(before, key);
    unlinkSync(join(dir, 'cells', `${key}.json`));
    const redo = await runExperiment(cfg, data, dir, () => {});
    assert.deepEqual(redo.find((r) => r.key === key), before);
  }
});
