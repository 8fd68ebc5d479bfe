// `train-supervised --nproc 2` and `finetune --nproc 2` against the same commands in one process,
// on a tiny phantom set (32 images, 2 folds, ResNet-18 of width 4 at 16 px). Without bf16 and
// augmentation a run has no randomness that depends on the number of processes (2 ranks of
// batch 4 compute what 1 process of batch 8 does, to rounding: test/distributed/supervised.test.ts),
// so the written metrics and predictions must agree: numbers within 1e-4 (measured about 5e-7,
// printed), strings and structure exactly. One epoch (2 SGD steps per fold): training on these
// phantoms amplifies float rounding of any origin within a few more steps; the same single
// process on 2 threads instead of 1 ends 1e-3 apart after 2 epochs of train-supervised. With
// augmentation the runs would differ anyway: each rank draws its own augmentations. Last, patch
// SimCLR (pretrain --patch-size) on 2 processes runs and resumes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator } from '../../src/tensor/index.js';
import { buildEncoder, saveEncoderFile } from '../../src/train/encoder-io.js';
import { cli } from './run-cli.js';

const TOL = 1e-4;
const dir = mkdtempSync(join(tmpdir(), 'mammoclr-nproc-'));
const data = join(dir, 'data', 'phantom-16.safetensors');
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** Largest difference between two JSON values of the same shape (throws where the shapes or strings differ). */
function maxDiff(a: unknown, b: unknown, path = '$'): number {
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b) ? 0 : Math.abs(a - b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    assert.equal(a, b, path);
    return 0;
  }
  assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), path);
  return Math.max(0, ...Object.keys(a).map((k) => maxDiff((a as any)[k], (b as any)[k], `${path}.${k}`)));
}

function predictions(evalDir: string): unknown[] {
  const [header, ...lines] = readFileSync(join(evalDir, 'predictions.csv'), 'utf8').trim().split('\n');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [header!.split(',')[i], /^[-\d.e]+$/.test(v) ? Number(v) : v])));
}

function compareRuns(t: { diagnostic(s: string): void }, single: string, parallel: string, what: string): void {
  const m = maxDiff(JSON.parse(readFileSync(join(single, 'metrics.json'), 'utf8')), JSON.parse(readFileSync(join(parallel, 'metrics.json'), 'utf8')));
  const p = maxDiff(predictions(single), predictions(parallel));
  t.diagnostic(`${what}: max |metrics.json difference| ${m}, max |score difference| ${p}`);
  assert.ok(m < TOL, `metrics differ by ${m}`);
  assert.ok(p < TOL, `scores differ by ${p}`);
}

test('prepare the phantom set', () => {
  const r = cli('prepare', 'phantom', '16', '--out', join(dir, 'data'), '--size', '16', '--lesion-scale', '6', '--no-progress');
  assert.equal(r.status, 0, r.err);
});

test('train-supervised --nproc 2 writes the metrics of one process', (t) => {
  const common = ['--data', data, '--arch', 'resnet18', '--width', '4', '--folds', '2', '--epochs', '1', '--batch-size', '8', '--no-bf16', '--no-augment', '--quiet'];
  const one = cli('train-supervised', ...common, '--out', join(dir, 'sup-1'));
  assert.equal(one.status, 0, one.err);
  const two = cli('train-supervised', ...common, '--out', join(dir, 'sup-2'), '--nproc', '2');
  assert.equal(two.status, 0, two.err);
  // Rank 0 alone prints the summary.
  assert.equal(two.out.match(/results: /g)?.length, 1, two.out);
  assert.equal(JSON.parse(readFileSync(join(dir, 'sup-2', 'config.json'), 'utf8')).processes, 2);
  const metrics = JSON.parse(readFileSync(join(dir, 'sup-2', 'eval', 'metrics.json'), 'utf8'));
  assert.equal(metrics.evaluation.n, 32);
  assert.equal(metrics.folds.length, 2);
  compareRuns(t, join(dir, 'sup-1', 'eval'), join(dir, 'sup-2', 'eval'), 'train-supervised');
});

test('finetune --nproc 2 (linear probe on gathered features, and full fine-tuning) writes the metrics of one process', async (t) => {
  const encoder = join(dir, 'encoder.safetensors');
  const arch = { depth: 18 as const, stem: 'cifar' as const, width: 4, inChannels: 1 as const };
  const e = buildEncoder(arch, Generator.seeded(21));
  await saveEncoderFile(encoder, e, arch);
  e.dispose();
  for (const mode of ['linear', 'full']) {
    const common = [encoder, '--data', data, '--mode', mode, '--folds', '2', '--epochs', '1', '--batch-size', '8', '--no-bf16', '--no-augment', '--quiet'];
    const one = cli('finetune', ...common, '--out', join(dir, `ft-${mode}-1`));
    assert.equal(one.status, 0, one.err);
    const two = cli('finetune', ...common, '--out', join(dir, `ft-${mode}-2`), '--nproc', '2');
    assert.equal(two.status, 0, two.err);
    assert.equal(two.out.match(/results: /g)?.length, 1, two.out);
    assert.equal(JSON.parse(readFileSync(join(dir, `ft-${mode}-2`, 'config.json'), 'utf8')).processes, 2);
    compareRuns(t, join(dir, `ft-${mode}-1`), join(dir, `ft-${mode}-2`), `finetune --mode ${mode}`);
    assert.equal(existsSync(join(dir, `ft-${mode}-2`, 'classifier.safetensors')), mode === 'linear');
  }
});

test('pretrain --patch-size --nproc 2 --device cpu runs, and resumes on 2 processes from its checkpoint', () => {
  const run = join(dir, 'patch-2');
  const common = ['--data', data, '--out', run, '--arch', 'resnet18', '--width', '4', '--batch-size', '8', '--patch-size', '8', '--patch-input', '8', '--patches', '32',
    '--nproc', '2', '--device', 'cpu', '--no-bf16', '--quiet'];
  const first = cli('pretrain', ...common, '--epochs', '1');
  assert.equal(first.status, 0, first.err);
  assert.equal(first.out.match(/images: 32 breast-tissue windows of 8 px \(input 8 px\)/g)?.length, 1, first.out);
  const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
  assert.deepEqual([config.processes, config.device, config.patch.size], [2, 'cpu', 8]);
  const second = cli('pretrain', ...common, '--epochs', '2', '--resume');
  assert.equal(second.status, 0, second.err);
  const log = readFileSync(join(run, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const resume = log.filter((x) => x.type === 'resume');
  assert.equal(resume.length, 1);
  assert.deepEqual([resume[0].epoch, resume[0].step, resume[0].worldSize, resume[0].savedWorldSize], [1, 4, 2, 2]);
  // 32 windows in batches of 8: 4 steps an epoch, none run twice.
  assert.deepEqual(log.filter((x) => x.type === 'step').map((x) => x.step), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(log.filter((x) => x.type === 'epoch').map((x) => x.epoch), [1, 2]);
  assert.ok(existsSync(join(run, 'encoder.safetensors')));
});
