// `pretrain --patch-size` and `detect` end to end on a small phantom set (32 images at 128 px,
// ResNet-18 of width 4, 16 px windows at 16 px input): the commands run, write what the README
// says, and the numbers in metrics.json agree with predictions.csv.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rocAuc } from '../../src/eval/roc.js';
import { clusteredAucCi } from '../../src/eval/clustered-auc.js';
import { pairAnalysis } from '../../src/eval/pairs.js';
import { engineInfo, loadSafetensors } from '../../src/tensor/index.js';
import { cli } from './run-cli.js';
import { readImage } from '../../src/data/readers/index.js';
import { loadEncoderFile } from '../../src/train/encoder-io.js';
import { readPatchModel, predictWithPatchModel } from '../../src/train/patch-model.js';
import { toOutput } from '../../src/data/preprocess/index.js';
import { loadPreparedDataset } from '../../src/data/cache/index.js';
import { PreparedPlanes } from '../../src/data/patches.js';
import { classicWindowFeatures } from '../../src/train/classic-features.js';
import { patchFeatures } from '../../src/train/patch-features.js';

const dir = mkdtempSync(join(tmpdir(), 'mammoclr-detect-'));
const data = join(dir, 'data', 'phantom-128.safetensors');
const run = join(dir, 'run');
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('prepare phantoms at 128 px', () => {
  const r = cli('prepare', 'phantom', '16', '--out', join(dir, 'data'), '--size', '128', '--lesion-scale', '3', '--no-progress');
  assert.equal(r.status, 0, r.err);
});

test('pretrain --patch-size samples breast windows and records them in config.json', () => {
  const r = cli('pretrain', '--data', data, '--out', run, '--arch', 'resnet18', '--width', '4', '--epochs', '1', '--batch-size', '16',
    '--patch-size', '32', '--patch-input', '16', '--patches', '64', '--no-bf16', '--quiet');
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /images: 64 breast-tissue windows of 32 px \(input 16 px\) sampled from 32 images at 128 px/);
  const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
  assert.deepEqual(config.patch, { size: 32, input: 16, count: 64, minBreast: 0.5, seed: 0 });
  assert.ok(existsSync(join(run, 'encoder.safetensors')));
});

test('pretrain --patch-size refuses windows larger than the images', () => {
  const r = cli('pretrain', '--data', data, '--out', join(dir, 'bad'), '--arch', 'resnet18', '--width', '4', '--epochs', '1', '--patch-size', '256', '--quiet');
  assert.notEqual(r.status, 0);
  assert.match(r.err, /patch size must be an integer in 8\.\.128, got 256/);
});

test('detect writes metrics, predictions and heatmaps that agree with each other', () => {
  const r = cli('detect', run, '--data', data, '--folds', '2', '--fractions', '0.5,1', '--negatives', '200', '--hard-negatives', '20',
    '--supervised-epochs', '1', '--no-bf16', '--save-features', '--quiet');
  assert.equal(r.status, 0, r.err);
  const out = join(run, 'detect');
  const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
  assert.deepEqual(metrics.view, { size: 32, input: 16 });
  const methods = new Set(metrics.results.map((x: { method: string }) => x.method));
  assert.deepEqual([...methods].sort(), ['SimCLR encoder, L2 logistic probe', 'classic CAD features, L2 logistic probe', 'supervised from scratch on the patches', 'untrained encoder, L2 logistic probe']);
  assert.match(r.out, /top location on a lesion: \d+\/\d+ = /);
  assert.match(r.out, /FROC: sensitivity .* at 0\.5 false marks per image/);
  // The pooled AUC of the main row is the AUC of predictions.csv's column.
  const [header, ...lines] = readFileSync(join(out, 'predictions.csv'), 'utf8').trim().split('\n');
  assert.equal(header, 'id,patient_id,label,fold,score_max,score_top_k_mean,score_bilateral,score_attention_MIL');
  assert.equal(lines.length, 32);
  const rows = lines.map((l) => l.split(','));
  const main = metrics.results.find((x: { method: string; fraction: number; aggregation: string }) => x.method === 'SimCLR encoder, L2 logistic probe' && x.fraction === 1 && x.aggregation === 'max');
  assert.ok(Math.abs(main.evaluation.auc.value - rocAuc(rows.map((c) => Number(c[2])), rows.map((c) => Number(c[4])))) < 1e-12);
  // Its second interval resamples women (the csv's patient_id), both breasts together.
  const overWomen = clusteredAucCi(rows.map((c) => Number(c[2])), rows.map((c) => Number(c[4])), rows.map((c) => c[1]!), { seed: 1 });
  assert.deepEqual(main.aucOverWomen, { lo: overWomen.lo, hi: overWomen.hi });
  assert.match(r.out, /AUC \d+\.\d \[\d+\.\d, \d+\.\d\] \(over women \[\d+\.\d, \d+\.\d\]\)/);
  assert.ok(Number.isFinite(metrics.calibration.max.brier));
  assert.equal(metrics.calibration.max.bins.length, 10);
  // By kind of finding against every normal image: the groups split the positives, and the
  // pooled AUC is their positives-weighted mean (each positive is compared with every negative).
  const byFinding = metrics.subgroups.find((g: { by: string; aggregation: string }) => g.by === 'finding' && g.aggregation === 'max').groups as { positives: number; negatives: number; auc: { value: number } | null }[];
  const positives = rows.filter((c) => c[2] === '1').length;
  assert.equal(byFinding.reduce((a, g) => a + g.positives, 0), positives);
  for (const g of byFinding) assert.equal(g.negatives, rows.length - positives);
  assert.ok(byFinding.length >= 2 && byFinding.every((g) => g.auc), 'two or more kinds, each with an interval');
  assert.ok(Math.abs(byFinding.reduce((a, g) => a + g.positives * g.auc!.value, 0) / positives - main.evaluation.auc.value) < 1e-12);
  assert.match(r.out, /AUC by finding, bilateral: /);
  // Within and between women: the max score's pair analysis is that of predictions.csv's columns.
  const pairs = pairAnalysis(rows.map((c) => Number(c[2])), rows.map((c) => Number(c[4])), rows.map((c) => c[1]!));
  const maxPairs = metrics.pairs.find((p: { aggregation: string }) => p.aggregation === 'max');
  assert.deepEqual({ side: maxPairs.side, auc: maxPairs.women.auc }, { side: pairs.side, auc: pairs.women!.auc });
  assert.ok(pairs.side.n > 0 && pairs.women!.m + pairs.women!.n === new Set(rows.map((c) => c[1])).size, `${pairs.side.n} mixed pairs`);
  assert.ok(r.out.includes(`max: the positive breast above its partner in ${pairs.side.k}/${pairs.side.n} women = `), r.out);
  // Patch AUCs carry a bootstrap interval over women; the SimCLR probe is compared with every
  // other method at each fraction, and each difference is the difference of the two AUCs.
  const patch = metrics.patchAuc as { method: string; fraction: number; auc: number; lo: number; hi: number; women: number }[];
  const women = new Set(rows.map((c) => c[1])).size;
  for (const p of patch) assert.ok(p.lo <= p.auc && p.auc <= p.hi && p.women > 0 && p.women <= women, JSON.stringify(p));
  const comparisons = metrics.comparisons as { fraction: number; method: string; against: string; patch: { diff: number; lo: number; hi: number }; image: { aggregation: string; diff: number; lo: number; hi: number }[] }[];
  assert.equal(comparisons.length, 6);
  const aucOf = (method: string, fraction: number, aggregation: string): number => metrics.results.find((x: { method: string; fraction: number; aggregation: string }) => x.method === method && x.fraction === fraction && x.aggregation === aggregation).evaluation.auc.value;
  for (const c of comparisons) {
    assert.equal(c.method, 'SimCLR encoder, L2 logistic probe');
    const own = patch.find((p) => p.method === c.method && p.fraction === c.fraction)!;
    const other = patch.find((p) => p.method === c.against && p.fraction === c.fraction)!;
    assert.ok(Math.abs(c.patch.diff - (own.auc - other.auc)) < 1e-12);
    assert.ok(c.patch.lo <= c.patch.hi);
    const max = c.image.find((d) => d.aggregation === 'max')!;
    assert.ok(Math.abs(max.diff - (aucOf(c.method, c.fraction, 'max') - aucOf(c.against, c.fraction, 'max'))) < 1e-12);
    assert.ok(max.lo <= max.diff && max.diff <= max.hi);
  }
  assert.deepEqual(comparisons.filter((c) => c.against === 'supervised from scratch on the patches')[0]!.image.map((d) => d.aggregation), ['max', 'top-k mean', 'bilateral']);
  assert.match(r.out, /patch AUC, SimCLR encoder, L2 logistic probe, 100\.0 %: \d+\.\d \[\d+\.\d, \d+\.\d\] \(\d+ lesion vs \d+ background test windows of \d+ women/);
  assert.match(r.out, /SimCLR encoder minus untrained encoder, 50\.0 %: patch AUC [-+]\d+\.\d \[[-+]\d+\.\d, [-+]\d+\.\d\], (ahead|behind|not distinguishable) \(paired bootstrap over \d+ women\); image AUC \(paired DeLong\) max /);
  const heatmaps = JSON.parse(readFileSync(join(out, 'heatmaps.json'), 'utf8'));
  assert.equal(heatmaps.maps.length, 32);
  assert.equal(heatmaps.windowSize, 32);
});

test('detect --save-features writes the windows and the features each probe was fitted on', async () => {
  const saved = await loadSafetensors(join(run, 'detect', 'window-features.safetensors'));
  const heatmaps = JSON.parse(readFileSync(join(run, 'detect', 'heatmaps.json'), 'utf8'));
  const windowCount = heatmaps.maps.reduce((a: number, m: { windows: unknown[] }) => a + m.windows.length, 0);
  try {
    const t = (name: string) => saved.tensors.get(name)!;
    assert.deepEqual(JSON.parse(saved.metadata.methods!), { 'simclr-encoder': 'SimCLR encoder, L2 logistic probe', 'untrained-encoder': 'untrained encoder, L2 logistic probe', 'classic-cad-features': 'classic CAD features, L2 logistic probe' });
    assert.deepEqual(JSON.parse(saved.metadata.view!), { size: 32, input: 16, stride: 16 });
    const images = JSON.parse(saved.metadata.images!) as { row: number; id: string; label: number; lesions: unknown[] }[];
    assert.equal(images.length, 32);
    assert.ok(images.some((im) => im.label === 1 && im.lesions.length > 0));
    assert.deepEqual(t('windows').shape, [windowCount, 3]);
    assert.equal(t('windows').dtype, 'int32');
    const positives = t('positives').shape[0]!;
    assert.ok(positives > 0);
    assert.deepEqual(t('classic-cad-features.windows').shape, [windowCount, 13]);
    assert.deepEqual(t('classic-cad-features.positives').shape, [positives, 13]);
    // A window's rows are its features, recomputed here from its corner.
    const d = await loadPreparedDataset(data);
    const encoder = await loadEncoderFile(join(run, 'encoder.safetensors'), { channelsLast: true });
    try {
      const planes = PreparedPlanes.fromTensor(d.images);
      const k = 7;
      const corner = (t('windows').data() as Int32Array).subarray(3 * k, 3 * k + 3);
      const w = { image: corner[0]!, x: corner[1]!, y: corner[2]! };
      const rowOf = (name: string) => Array.from(t(name).toFloat32Array().subarray(k * t(name).shape[1]!, (k + 1) * t(name).shape[1]!));
      assert.deepEqual(rowOf('classic-cad-features.windows'), Array.from(classicWindowFeatures(planes, [w], 32).values));
      const own = patchFeatures(encoder, planes, [w], { size: 32, input: 16 }, { bf16: false, channelsLast: true });
      assert.equal(t('simclr-encoder.windows').shape[1], own.dims);
      rowOf('simclr-encoder.windows').forEach((v, i) => assert.ok(Math.abs(v - own.values[i]!) < 1e-4 * (1 + Math.abs(v)), `feature ${i}: ${v} vs ${own.values[i]}`));
    } finally {
      encoder.dispose();
      d.images.dispose();
    }
  } finally {
    for (const x of saved.tensors.values()) x.dispose();
  }
});

test('detect --device cuda without a CUDA libtorch or GPU says so before any work', (t) => {
  if (engineInfo().cudaAvailable) return t.skip('this libtorch sees a GPU');
  const r = cli('detect', run, '--data', data, '--device', 'cuda', '--quiet');
  assert.equal(r.status, 1);
  assert.match(r.err, /--device cuda: this libtorch \(.*\) has no CUDA or sees no GPU; point LIBTORCH at a CUDA build/);
  const bad = cli('detect', run, '--data', data, '--device', 'gpu', '--quiet');
  assert.match(bad.err, /--device: expected cpu, cuda or cuda:N, got 'gpu'/);
});

test('detect --help says what --device moves and why there is no --nproc', () => {
  const r = cli('detect', '--help');
  assert.match(r.out, /the L2 logistic probe \(L-BFGS in\s+TypeScript\), the attention-MIL head/);
  assert.match(r.out, /No --nproc: /);
});

// --device cpu: the same study as without it (the default), here with the fine-tuned encoders.
test('detect --finetune adds the SimCLR encoder fine-tuned per fold, scored on the same test windows', () => {
  const out = join(dir, 'finetune');
  const r = cli('detect', run, '--data', data, '--folds', '2', '--fractions', '1', '--negatives', '200', '--hard-negatives', '0', '--no-mil', '--no-baselines',
    '--finetune', 'last-stage,full', '--supervised-epochs', '1', '--no-bf16', '--device', 'cpu', '--quiet', '--out', out);
  assert.equal(r.status, 0, r.err);
  const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
  const patch = metrics.patchAuc as { method: string; auc: number; lesionWindows: number; backgroundWindows: number }[];
  assert.deepEqual(patch.map((p) => p.method), ['SimCLR encoder, L2 logistic probe', 'SimCLR encoder, last-stage fine-tuned on the patches', 'SimCLR encoder, fully fine-tuned on the patches']);
  for (const p of patch) {
    assert.deepEqual([p.lesionWindows, p.backgroundWindows], [patch[0]!.lesionWindows, patch[0]!.backgroundWindows]);
    assert.ok(p.auc >= 0 && p.auc <= 1);
  }
  const bad = cli('detect', run, '--data', data, '--finetune', 'linear', '--quiet');
  assert.notEqual(bad.status, 0);
  assert.match(bad.err, /--finetune takes last-stage, full \(comma-separated\), got linear/);
});

test('report shows the detection results with a reliability diagram', () => {
  const r = cli('report', run);
  assert.equal(r.status, 0, r.err);
  const page = readFileSync(join(run, 'report.html'), 'utf8');
  assert.match(page, /Detection from patches/);
  assert.match(page, /aria-label="reliability diagram"/);
  const metrics = JSON.parse(readFileSync(join(run, 'detect', 'metrics.json'), 'utf8'));
  assert.ok(page.includes(metrics.results[0].evaluation.auc.value.toFixed(3)));
  const first = metrics.comparisons[0];
  assert.ok(page.includes(`<td>${first.against}</td>`) && page.includes('paired bootstrap over women'));
  assert.ok(page.includes(`${first.patch.diff.toFixed(3)} [${first.patch.lo.toFixed(3)}, ${first.patch.hi.toFixed(3)}]`));
  const side = metrics.pairs[0].side;
  assert.ok(page.includes(`<td>${metrics.pairs[0].aggregation}</td><td>${side.k}/${side.n} = ${side.value.toFixed(3)}`), 'the pair analysis table');
  const kind = metrics.subgroups[0].groups[0];
  assert.match(page, new RegExp(`<td>${metrics.subgroups[0].aggregation}</td><td>finding</td><td>${kind.group}</td><td>${kind.positives}</td><td>${kind.negatives}</td><td>${kind.auc.value.toFixed(3)} \\(`));
});

test('predict uses the patch model: a probability per file, a heatmap PNG, and a per-file error for a bad one', () => {
  const model = JSON.parse(readFileSync(join(run, 'detect', 'patch-model.json'), 'utf8'));
  assert.equal(model.format, 'mammoclr.patch-model/1');
  assert.equal(model.resolution, 128);
  // A 160 x 128 8-bit PGM: a bright half-disc of breast on a dark film, a brighter spot inside.
  const w = 160;
  const h = 128;
  const px = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px[y * w + x] = Math.hypot(x, y - 64) < 90 ? (Math.hypot(x - 40, y - 60) < 8 ? 230 : 120) : 3;
  const good = join(dir, 'case.pgm');
  writeFileSync(good, Buffer.concat([Buffer.from(`P5\n${w} ${h}\n255\n`), px]));
  const bad = join(dir, 'bad.pgm');
  writeFileSync(bad, 'P5\n4 4\n255\n\x01\x02');
  const r = cli('predict', run, good, bad, '--out', join(dir, 'pred'));
  assert.equal(r.status, 1, 'one file failed');
  assert.match(r.out, /from 32 px windows at 128 px/);
  const p = Number(/case\.pgm: ([\d.]+) ->/.exec(r.out)?.[1]);
  assert.ok(p >= 0 && p <= 1, r.out);
  assert.ok(existsSync(join(dir, 'pred', 'case-patches.png')));
  assert.match(r.out, /bad\.pgm: error: .*truncated/);
});

test('predict --no-bf16 / --bf16 compute the patch model\'s window features in float32 / bf16', async () => {
  const file = join(dir, 'case.pgm');
  const image = await readImage(file);
  const model = readPatchModel(join(run, 'detect', 'patch-model.json'));
  const encoder = await loadEncoderFile(join(run, 'encoder.safetensors'), { channelsLast: true });
  const want = (bf16: boolean) => predictWithPatchModel(encoder, model, image, { bf16 }).probability;
  const [fp32, bf16] = [want(false), want(true)];
  encoder.dispose();
  const got = (flag: string) => {
    const r = cli('predict', run, file, flag, '--json', '--no-heatmap');
    assert.equal(r.status, 0, r.err);
    return (JSON.parse(r.out.trim()) as { probabilities: Record<string, number> }).probabilities[model.classes[1]!]!;
  };
  const [cliFp32, cliBf16] = [got('--no-bf16'), got('--bf16')];
  assert.ok(Math.abs(cliFp32 - fp32) < 1e-6, `float32: ${cliFp32} vs ${fp32}`);
  assert.ok(Math.abs(cliBf16 - bf16) < 1e-6, `bf16: ${cliBf16} vs ${bf16}`);
  assert.notEqual(fp32, bf16, 'bf16 features round differently from float32 ones');
});

test('detect on a file prepared with --pectoral suppress writes a patch model that says so', () => {
  const pecData = join(dir, 'data-pec');
  assert.equal(cli('prepare', 'phantom', '16', '--out', pecData, '--size', '128', '--lesion-scale', '3', '--pectoral', 'suppress', '--no-progress').status, 0);
  const out = join(dir, 'detect-pec');
  const r = cli('detect', run, '--data', join(pecData, 'phantom-128.safetensors'), '--folds', '2', '--fractions', '1', '--negatives', '200', '--hard-negatives', '0',
    '--no-mil', '--no-baselines', '--no-bf16', '--quiet', '--out', out);
  assert.equal(r.status, 0, r.err);
  assert.equal(readPatchModel(join(out, 'patch-model.json')).pectoral, 'suppress');
});

test('a patch model trained with --pectoral suppress removes the muscle before its window scan, as prepare did', async () => {
  // A synthetic MLO film (chest wall left): breast grey 110 with texture, pectoral wedge (200) left of x = 160 - 0.5 y.
  const W = 400;
  const H = 600;
  const data = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if ((x * x) / (360 * 360) + ((y - 300) * (y - 300)) / (300 * 300) > 1) continue;
      data[y * W + x] = x < 160 - 0.5 * y ? 200 : 110 + Math.round(12 * Math.sin(x / 7) * Math.cos(y / 11));
    }
  }
  const image = { width: W, height: H, bitDepth: 8 as const, data, meta: { source: 'synthetic', format: 'png' as const, laterality: 'L' as const, view: 'MLO' } };
  const model = readPatchModel(join(run, 'detect', 'patch-model.json'));
  assert.equal(model.pectoral, undefined, 'phantoms were prepared without --pectoral');
  const encoder = await loadEncoderFile(join(run, 'encoder.safetensors'), { channelsLast: true });
  try {
    const kept = predictWithPatchModel(encoder, model, image, { bf16: false });
    const cut = predictWithPatchModel(encoder, { ...model, pectoral: 'suppress' }, image, { bf16: false });
    // Deep in the wedge, (20, 20) of the film: covered by windows with the muscle kept, by none without it.
    const at = (p: typeof kept): number => {
      const o = toOutput(p.transform, { x: 20, y: 20 });
      return p.map[Math.round(o.y) * model.resolution + Math.round(o.x)]!;
    };
    assert.ok(at(kept) > 0);
    assert.equal(at(cut), 0);
    assert.ok(cut.windows < kept.windows, `${cut.windows} windows without the muscle, ${kept.windows} with it`);
  } finally {
    encoder.dispose();
  }
});

test('detect on a run pretrained on whole images asks for the window size', () => {
  const whole = join(dir, 'whole');
  assert.equal(cli('pretrain', '--data', data, '--out', whole, '--arch', 'resnet18', '--width', '4', '--epochs', '1', '--batch-size', '16', '--no-bf16', '--no-channels-last', '--quiet').status, 0);
  const r = cli('detect', whole, '--data', data, '--quiet');
  assert.notEqual(r.status, 0);
  assert.match(r.err, /pretrained on whole images: give --patch-size/);
});
