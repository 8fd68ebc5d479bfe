import type { Laterality } from '../image.js';
import type { DatasetRecord } from '../records.js';
import { createRng, type Seed } from '../rng.js';
import { renderPhantom, type Phantom, type PhantomLabel } from './phantom.js';

export interface PhantomDatasetOptions {
  /** Number of women; each has an L and an R image. */
  patients: number;
  seed: Seed;
  size?: number;
  /**
   * Relative share of images per label; the exact counts are the largest-remainder rounding of
   * 2 * patients by these weights. Default 2 : 1 : 1 (normal : benign : malignant).
   */
  weights?: Record<PhantomLabel, number>;
  /** Lesion size relative to the default (see PhantomSpec.lesionScale). */
  lesionScale?: number;
}

export interface PhantomItem extends Phantom {
  record: DatasetRecord;
}

const LABELS: PhantomLabel[] = ['normal', 'benign', 'malignant'];

/** Exact per-label image counts for a dataset (largest remainder, ties to the earlier label). */
export function phantomLabelCounts(images: number, weights: Record<PhantomLabel, number>): Record<PhantomLabel, number> {
  const total = LABELS.reduce((s, l) => s + weights[l], 0);
  if (!(total > 0) || LABELS.some((l) => weights[l] < 0)) throw new Error('phantom weights must be >= 0 with a positive sum');
  const exact = LABELS.map((l) => (images * weights[l]) / total);
  const counts = exact.map(Math.floor);
  let left = images - counts.reduce((s, c) => s + c, 0);
  const order = exact.map((e, i) => ({ i, frac: e - Math.floor(e) })).sort((p, q) => q.frac - p.frac || p.i - q.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    counts[i]!++;
  }
  return { normal: counts[0]!, benign: counts[1]!, malignant: counts[2]! };
}

/**
 * The planned records, without pixels: labels shuffled across the 2 * patients images (seeded),
 * image 2k = patient k's left breast, 2k+1 the right. Cheap, so splits can be made before any
 * rendering; render an item with renderPhantomItem.
 */
export function planPhantomDataset(options: PhantomDatasetOptions): { index: number; label: PhantomLabel; laterality: Laterality; record: DatasetRecord }[] {
  const n = options.patients * 2;
  if (!Number.isInteger(options.patients) || options.patients < 1) throw new Error(`patients must be a positive integer, got ${options.patients}`);
  const counts = phantomLabelCounts(n, options.weights ?? { normal: 2, benign: 1, malignant: 1 });
  const labels = createRng(options.seed, 'labels').shuffle(LABELS.flatMap((l) => Array<PhantomLabel>(counts[l]).fill(l)));
  const width = String(options.patients).length;
  return labels.map((label, index) => {
    const patient = `phantom-${String(Math.floor(index / 2)).padStart(width, '0')}`;
    const laterality: Laterality = index % 2 === 0 ? 'L' : 'R';
    return {
      index,
      label,
      laterality,
      record: {
        id: `${patient}-${laterality}`,
        patientId: patient,
        imagePath: `phantom:${options.seed}/${index}`,
        dataset: 'phantom',
        laterality,
        view: 'CC',
        label,
        lesions: [],
      },
    };
  });
}

/** Renders every planned image. 400 images of 256^2 take about a second. */
export function generatePhantomDataset(options: PhantomDatasetOptions): PhantomItem[] {
  return planPhantomDataset(options).map((p) => {
    const ph = renderPhantom({ seed: options.seed, index: p.index, label: p.label, laterality: p.laterality, size: options.size ?? 256, lesionScale: options.lesionScale });
    const record: DatasetRecord = { ...p.record, density: String(ph.density), lesions: ph.lesions };
    return { ...ph, record };
  });
}
