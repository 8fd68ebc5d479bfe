/**
 * A tiny finetuned run laid out as finetune writes it (seeded ResNet-18 at width 8, a fitted
 * linear head at 32 px), and test images: a phantom mammogram as PNG and as a written DICOM.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { Generator, noGrad, saveSafetensors, tensor, tidy } from '../../src/tensor/index.js';
import { LinearClassifier } from '../../src/nn/heads.js';
import { saveEncoderFile } from '../../src/train/encoder-io.js';
import { renderPhantom } from '../../src/data/phantom/index.js';
import { preprocessMammogram } from '../../src/data/preprocess/index.js';
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
