// `mammoclr export <run> --onnx <file>` end to end on small runs laid out as finetune and detect
// write them: the file's probabilities are predict's (the run's encoder and classifier in the
// engine), its metadata carries the preprocessing, classes, task, version and the run's metrics,
// the patch model gets its window geometry, and a bad run directory gets an error naming the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Generator, noGrad, rand, saveSafetensors, tidy } from '../../src/tensor/index.js';
import { LinearClassifier } from '../../src/nn/heads.js';
import { saveEncoderFile } from '../../src/train/encoder-io.js';
import { fitLogisticProbe } from '../../src/train/logistic-probe.js';
import { loadRunModel } from '../../src/cli/run-model.js';
import { PATCH_MODEL_FORMAT } from '../../src/train/patch-model.js';
import { decodeModel } from '../../src/export/index.js';
import { maxAbsDiff, runOnnx, seededResNet } from '../export/helpers.js';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mammoclr-export-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const ARCH = { depth: 18, stem: 'cifar', width: 8, inChannels: 1 } as const;
const METRICS = { task: 'normal-vs-abnormal', evaluation: { auc: { value: 0.71, lo: 0.6, hi: 0.8, method: 'delong' } } };

function metadataOf(path: string): Record<string, string> {
  return Object.fromEntries(decodeModel(readFileSync(path)).metadata_props.map((p) => [p.key, p.value]));
}

async function classifierRun(run: string): Promise<void> {
  const encoder = seededResNet(ARCH.depth, ARCH.stem, ARCH.inChannels, 31, ARCH.width);
  await saveEncoderFile(join(run, 'encoder.safetensors'), encoder, ARCH);
  const classifier = new LinearClassifier(encoder.featureDim, 2, { generator: Generator.seeded(32) });
  tidy(() => noGrad(() => classifier.fitScaler(encoder.forward(rand([16, 1, 32, 32], { generator: Generator.seeded(33) })))));
  mkdirSync(join(run, 'eval'), { recursive: true });
  await saveSafetensors(join(run, 'eval', 'classifier.safetensors'), classifier.stateDict(), {
    format: 'pt', task: 'normal-vs-abnormal', classes: JSON.stringify(['normal', 'abnormal']), encoder: resolve(run, 'encoder.safetensors'), size: '32',
  });
  writeFileSync(join(run, 'eval', 'metrics.json'), JSON.stringify(METRICS));
  encoder.dispose();
  classifier.dispose();
}

test('export of a finetuned run: predict\'s probabilities, and the preprocessing, classes and metrics in the metadata', async () => {
  const run = join(dir, 'run');
  await classifierRun(run);
  const file = join(dir, 'model.onnx');
  const r = cli('export', run, '--onnx', file);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /model\.onnx: ResNet-18 \(cifar stem, width 8, 1 channel\) \+ classifier on 32 px images, classes normal, abnormal; ONNX opset 17/);

  const meta = metadataOf(file);
  assert.equal(meta['mammoclr.version'], JSON.parse(readFileSync('package.json', 'utf8')).version);
  assert.equal(meta['mammoclr.task'], 'normal-vs-abnormal');
  assert.deepEqual(JSON.parse(meta['mammoclr.classes']!), ['normal', 'abnormal']);
  const pre = JSON.parse(meta['mammoclr.preprocessing']!);
  assert.equal(pre.size, 32);
  assert.deepEqual(pre.options, { threshold: 0.05, opening: 1 / 256, flip: 'auto', normalize: 'breast-max', size: 32 });
  assert.match(pre.breastCrop, /an opening by a square of radius 1\/256 of the image's long side/);
  assert.deepEqual(pre.normalization.mean, [0]);
  assert.deepEqual(JSON.parse(meta['mammoclr.metrics']!).values, METRICS);
  assert.deepEqual(JSON.parse(meta['mammoclr.architecture']!), { ...ARCH, featureDim: 64, batchNorm: 'folded into the convolutions (eval mode)' });
  assert.equal(meta['mammoclr.windows'], undefined);

  // predict's computation on the same images.
  const model = await loadRunModel(run);
  const x = rand([8, 1, 32, 32], { generator: Generator.seeded(34) });
  const engine = tidy(() => noGrad(() => model.classifier.forward(model.encoder.forward(x)).softmax(1).toFloat32Array()));
  const onnx = await runOnnx(readFileSync(file), x.toFloat32Array(), [8, 1, 32, 32]);
  const d = maxAbsDiff(onnx.probabilities, engine);
  assert.ok(d < 1e-4, `max |probability difference| ${d}`);
  model.encoder.dispose();
  model.classifier.dispose();
  x.dispose();
});

test('export of a detect run: the patch scorer on 64 px windows, with the window geometry and aggregation in the metadata', async () => {
  const run = join(dir, 'patch-run');
  const encoder = seededResNet(ARCH.depth, ARCH.stem, ARCH.inChannels, 41, ARCH.width);
  await saveEncoderFile(join(run, 'encoder.safetensors'), encoder, ARCH);
  const dims = encoder.featureDim;
  encoder.dispose();
  const rows = 12;
  const features = rand([rows, dims], { generator: Generator.seeded(42) });
  const probe = fitLogisticProbe(features.toFloat32Array(), rows, dims, Array.from({ length: rows }, (_, i) => i % 2), Array.from({ length: rows }, (_, i) => `p${i}`), { lambdas: [1] });
  features.dispose();
  mkdirSync(join(run, 'detect'), { recursive: true });
  const patchModel = { format: PATCH_MODEL_FORMAT, task: 'lesion-vs-background', classes: ['background', 'lesion'], resolution: 128, view: { size: 64, input: 32 }, stride: 16, minBreast: 0.5, topK: 3, probe };
  writeFileSync(join(run, 'detect', 'patch-model.json'), JSON.stringify(patchModel));
  const file = join(dir, 'patch.onnx');
  const r = cli('export', run, '--onnx', file);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /patch classifier on 64 px windows, classes background, lesion/);
  const m = decodeModel(readFileSync(file));
  assert.deepEqual(m.graph.input[0]!.type.tensor_type.shape.dim.map((d) => d.dim_value ?? d.dim_param), ['N', 1, 64, 64]);
  assert.equal(m.graph.node[0]!.op_type, 'AveragePool');
  const meta = metadataOf(file);
  const windows = JSON.parse(meta['mammoclr.windows']!);
  assert.deepEqual([windows.resolution, windows.window, windows.encoderInput, windows.stride, windows.minBreast, windows.topK], [128, 64, 32, 16, 0.5, 3]);
  assert.match(windows.aggregation, /outside the graph: the whole-image probability is the mean of the 3 highest window probabilities/);
  assert.equal(JSON.parse(meta['mammoclr.preprocessing']!).size, 128);
  assert.equal(meta['mammoclr.metrics'], undefined, 'no detect/metrics.json, no metrics');
});

test('a run directory without a model, a corrupt classifier or patch model, a missing encoder and a missing run give errors naming the file', async () => {
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  let r = cli('export', empty, '--onnx', join(dir, 'x.onnx'));
  assert.equal(r.status, 1);
  assert.match(r.err, /nothing to export: neither .*empty\/eval\/classifier\.safetensors \(written by `mammoclr finetune`\) nor .*empty\/detect\/patch-model\.json/);

  const bad = join(dir, 'bad');
  mkdirSync(join(bad, 'eval'), { recursive: true });
  writeFileSync(join(bad, 'eval', 'classifier.safetensors'), 'not a safetensors file');
  r = cli('export', bad, '--onnx', join(dir, 'x.onnx'));
  assert.equal(r.status, 1);
  assert.match(r.err, /bad\/eval\/classifier\.safetensors/);

  const orphan = join(dir, 'orphan');
  mkdirSync(join(orphan, 'eval'), { recursive: true });
  const classifier = new LinearClassifier(64, 2);
  await saveSafetensors(join(orphan, 'eval', 'classifier.safetensors'), classifier.stateDict(), { format: 'pt', task: 't', classes: '["a","b"]', encoder: join(dir, 'gone.safetensors'), size: '32' });
  classifier.dispose();
  r = cli('export', orphan, '--onnx', join(dir, 'x.onnx'));
  assert.match(r.err, /orphan\/encoder\.safetensors does not exist, nor .*gone\.safetensors \(the encoder .*orphan\/eval\/classifier\.safetensors names\)/);

  r = cli('export', join(dir, 'nowhere'), '--onnx', join(dir, 'x.onnx'));
  assert.match(r.err, /nowhere does not exist/);

  const badPatch = join(dir, 'bad-patch');
  mkdirSync(join(badPatch, 'detect'), { recursive: true });
  writeFileSync(join(badPatch, 'detect', 'patch-model.json'), '{"format": "something else"}');
  r = cli('export', badPatch, '--onnx', join(dir, 'x.onnx'));
  assert.match(r.err, /bad-patch\/detect\/patch-model\.json: not a mammoclr patch model/);
  assert.ok(!existsSync(join(dir, 'x.onnx')), 'no file written by a failed export');
});
