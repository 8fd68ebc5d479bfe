/**
 * A tiny finetuned run laid out as finetune writes it (seeded ResNet-18 at width 8, a fitted
 * linear head at 32 px), a tiny detect run (detect's patch model only), and test images: a
 * phantom mammogram as PNG and as a written DICOM.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { Generator, noGrad, saveSafetensors, tensor, tidy } from '../../src/tensor/index.js';
import { LinearClassifier } from '../../src/nn/heads.js';
import { saveEncoderFile } from '../../src/train/encoder-io.js';
import { renderPhantom } from '../../src/data/phantom/index.js';
import { preprocessMammogram } from '../../src/data/preprocess/index.js';
import { PREPARE_PREPROCESS } from '../../src/data/cache/process-image.js';
import { toHalfArray } from '../../src/data/cache/float16.js';
import { breastWindows, cropWindows, PreparedPlanes, type PatchLocation } from '../../src/data/windows.js';
import { patchFeatures } from '../../src/train/patch-features.js';
import { fitLogisticProbe } from '../../src/train/logistic-probe.js';
import { PATCH_MODEL_FORMAT } from '../../src/train/patch-model.js';
import { seededResNet } from '../export/helpers.js';
import { writeDicom } from '../data/readers/dicom-writer.js';

export const METRICS = { task: 'normal-vs-abnormal', evaluation: { threshold: 0.42, auc: { value: 0.71, lo: 0.6, hi: 0.8, method: 'delong' } } };

export async function tinyRun(run: string, size = 32): Promise<void> {
  const arch = { depth: 18, stem: 'cifar', width: 8, inChannels: 1 } as const;
  const encoder = seededResNet(arch.depth, arch.stem, arch.inChannels, 41, arch.width);
  await saveEncoderFile(join(run, 'encoder.safetensors'), encoder, arch);
  const classifier = new LinearClassifier(encoder.featureDim, 2, { generator: Generator.seeded(42) });
  // The scaler fitted on prepared phantoms, as finetune fits it on prepared mammograms: fitted on
  // noise it would divide by a tiny spread and saturate every real image's probability at 1.
  const prepared = new Float32Array(16 * size * size);
  for (let i = 0; i < 16; i++) {
    const p = renderPhantom({ seed: 43, index: i, label: i % 2 ? 'malignant' : 'normal', laterality: i % 3 ? 'L' : 'R', size: 128 });
    prepared.set(preprocessMammogram(p.image, { size }).data, i * size * size);
  }
  tidy(() => noGrad(() => classifier.fitScaler(encoder.forward(tensor(prepared, [16, 1, size, size])))));
  mkdirSync(join(run, 'eval'), { recursive: true });
  await saveSafetensors(join(run, 'eval', 'classifier.safetensors'), classifier.stateDict(), {
    format: 'pt', task: 'normal-vs-abnormal', classes: JSON.stringify(['normal', 'abnormal']), encoder: resolve(run, 'encoder.safetensors'), size: String(size),
  });
  writeFileSync(join(run, 'eval', 'metrics.json'), JSON.stringify(METRICS));
  encoder.dispose();
  classifier.dispose();
}

/** A 16-bit phantom mammogram (right breast, with a lesion) as PNG and as explicit-VR DICOM with laterality and view. */
export async function phantomFiles(dir: string): Promise<{ png: string; dicom: string }> {
  const p = renderPhantom({ seed: 5, index: 3, label: 'malignant', laterality: 'R', size: 192, marker: true });
  const { width, height, data } = p.image;
  const png = join(dir, 'phantom.png');
  await sharp(data as Uint16Array, { raw: { width, height, channels: 1, premultiplied: false } })
    .toColourspace('grey16').png().toFile(png);
  const q = renderPhantom({ seed: 6, index: 1, label: 'benign', laterality: 'L', size: 160 });
  const dicom = join(dir, 'phantom.dcm');
  writeFileSync(dicom, writeDicom({ syntax: 'explicit-le', rows: q.image.height, columns: q.image.width, bitsAllocated: 16, bitsStored: 16, pixels: q.image.data, imageLaterality: 'L', viewPosition: 'MLO', photometric: 'MONOCHROME2' }));
  return { png, dicom };
}

/**
 * A run with only detect's patch model, as test/cli/detect.test.ts's recipe has it but without
 * the study: seeded ResNet-18 of width 4, 32 px windows of 128 px prepared phantoms seen at
 * 16 px, stride 16, top-3 mean; the probe fitted on the breast windows of 8 phantoms, label =
 * the window brighter than the median (so one window leads). Strongly regularised (lambda 100):
 * on an untrained width-4 encoder a sharper probe turns predict's bf16 features (on CPUs with
 * AVX512-BF16/AMX) and the page's float16 weights into logit errors above 1e-3 in probability
 * (lambda 1: predict bf16 0.575, float32 0.591, page 0.594).
 */
export async function tinyPatchRun(run: string): Promise<void> {
  const arch = { depth: 18, stem: 'cifar', width: 4, inChannels: 1 } as const;
  const encoder = seededResNet(arch.depth, arch.stem, arch.inChannels, 41, arch.width);
  await saveEncoderFile(join(run, 'encoder.safetensors'), encoder, arch);
  const resolution = 128, view = { size: 32, input: 16 }, stride = 16, minBreast = 0.5;
  const n = 8;
  const bits = new Uint16Array(n * resolution * resolution);
  for (let i = 0; i < n; i++) {
    const p = renderPhantom({ seed: 44, index: i, label: i % 2 ? 'malignant' : 'normal', laterality: i % 3 ? 'L' : 'R', size: 160 });
    bits.set(toHalfArray(preprocessMammogram(p.image, { ...PREPARE_PREPROCESS, size: resolution }).data), i * resolution * resolution);
  }
  const planes = new PreparedPlanes(bits, n, resolution);
  const windows: PatchLocation[] = [];
  for (let i = 0; i < n; i++) windows.push(...breastWindows(planes, i, { size: view.size, stride, minBreast }));
  const crops = cropWindows(planes, windows, view.size);
  const area = view.size * view.size;
  const means = windows.map((_, m) => crops.subarray(m * area, (m + 1) * area).reduce((a, v) => a + v, 0) / area);
  const median = [...means].sort((a, b) => a - b)[means.length >> 1]!;
  const f = patchFeatures(encoder, planes, windows, view, { channelsLast: true });
  encoder.dispose();
  const probe = fitLogisticProbe(f.values, f.rows, f.dims, means.map((m) => (m > median ? 1 : 0)), windows.map((w) => `p${w.image}`), { lambdas: [100] });
  mkdirSync(join(run, 'detect'), { recursive: true });
  writeFileSync(join(run, 'detect', 'patch-model.json'), JSON.stringify({
    format: PATCH_MODEL_FORMAT, task: 'lesion-vs-background', classes: ['background', 'lesion'], resolution, view, stride, minBreast, topK: 3, probe,
  }));
}
