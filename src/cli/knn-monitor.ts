/** The labeled images pretraining's kNN monitor votes with: a bank, and a quarter of the patients held out from it. */
import { tensor, type Tensor } from '../tensor/index.js';
import { splitByPatient } from '../data/splits.js';
import type { KnnMonitorData } from '../train/pretrain.js';
import type { LabeledItem } from './dataset.js';

/** The returned tensors are the caller's; `images` stays the caller's too. */
export function knnMonitorSplit(images: Tensor, items: LabeledItem[], classes: number, seed: number): KnnMonitorData {
  const split = splitByPatient(items, seed, { validation: 0.25, test: 0 });
  const pick = (xs: LabeledItem[]): Tensor => {
    const idx = tensor(xs.map((x) => x.index), { dtype: 'int64' });
    const picked = images.indexSelect(0, idx);
    idx.dispose();
    return picked;
  };
  const labels = (xs: LabeledItem[]): Tensor => tensor(xs.map((x) => x.label), { dtype: 'int64' });
  return { trainImages: pick(split.train), trainLabels: labels(split.train), valImages: pick(split.validation), valLabels: labels(split.validation), classes };
}
