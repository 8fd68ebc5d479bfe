// The command line end to end on a tiny phantom set: prepare -> pretrain -> finetune (with the
// supervised baseline) -> gradcam -> tsne -> predict -> evaluate -> report, each a real process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mammoclr-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('prepare, pretrain, finetune, gradcam, tsne, predict, evaluate and report run in sequence', () => {
  const data = join(dir, 'data', 'phantom-16.safetensors');
  const run = join(dir, 'run');
  let r = cli('prepare', 'phantom', '16', '--out', join(dir, 'data'), '--size', '16', '--lesion-scale', '6', '--no-progress');
  assert.equal(r.status, 0, r.err);
  r = cli('pretrain', '--data', data, '--out', run, '--arch', 'resnet18', '--width', '4', '--epochs', '2', '--batch-size', '16', '--warmup-epochs', '0', '--no-bf16', '--quiet', '--knn-data', data);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /pretrained 2 epochs/);
  for (const f of ['encoder.safetensors', 'head.safetensors', 'log.jsonl', 'config.json', 'checkpoints/last.safetensors']) assert.ok(existsSync(join(run, f)), f);
  const log = readFileSync(join(run, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(log.filter((l) => l.type === 'epoch' && typeof l.knnAccuracy === 'number').length, 2);

  r = cli('finetune', run, '--data', data, '--folds', '2', '--epochs', '5', '--with-supervised', '--supervised-epochs', '1', '--quiet');
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /ROC AUC \(DeLong\)/);
  assert.match(r.out, /majority class \(normal\)\s+50\.0/);
  const metrics = JSON.parse(readFileSync(join(run, 'eval', 'metrics.json'), 'utf8'));
  assert.equal(metrics.evaluation.n, 32);
  assert.equal(metrics.folds.length, 2);
  assert.ok(metrics.supervised.evaluation.auc.value >= 0);
  const csv = readFileSync(join(run, 'eval', 'predictions.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'id,patient_id,label,score,fold');
  assert.equal(csv.length, 33);

  r = cli('evaluate', join(run, 'eval', 'predictions.csv'));
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /32 predictions \(16 positive, 16 negative\)/);

  r = cli('gradcam', run, '--data', data, '--per-kind', '2');
  assert.equal(r.status, 0, r.err);
  const gallery = JSON.parse(readFileSync(join(run, 'gradcam', 'index.json'), 'utf8'));
  assert.ok(gallery.length > 0);
  for (const g of gallery) assert.ok(existsSync(join(run, 'gradcam', g.file)), g.file);
  assert.match(r.out, /pointing game/);

  r = cli('tsne', run, '--data', data, '--max-points', '32');
  assert.equal(r.status, 0, r.err);
  assert.equal(JSON.parse(readFileSync(join(run, 'tsne', 'pretrained.json'), 'utf8')).length, 32);

  const bad = join(dir, 'bad.pgm');
  writeFileSync(bad, 'P5\n4 4\n255\n\x01\x02');
  r = cli('predict', run, bad, '--out', join(dir, 'pred'));
  assert.equal(r.status, 1, 'a bad file makes the exit status 1');
  assert.match(r.out, /bad\.pgm: error: .*truncated/);

  r = cli('report', run);
  assert.equal(r.status, 0, r.err);
  const html = readFileSync(join(run, 'report.html'), 'utf8');
  for (const s of ['Metrics', 'Grad-CAM', 't-SNE']) assert.ok(html.includes(s), s);
});

test('bad options give one clear line and exit status 1', () => {
  const r = cli('pretrain', '--data', join(dir, 'nope.safetensors'), '--out', join(dir, 'x'), '--epochs', '0');
  assert.equal(r.status, 1);
  assert.match(r.err, /--epochs: /);
  const r2 = cli('finetune', join(dir, 'no-run'), '--data', 'x');
  assert.equal(r2.status, 1);
  assert.match(r2.err, /no encoder\.safetensors/);
});
