/**
 * Breast-tissue patches of a prepared file as an ImageSource, for SimCLR at patch scale: a
 * seeded sample of windows (sampleTissuePatches) cut out once and held in memory (16,000
 * patches of 32 px are 64 MB). The same file, settings and seed give the same patches, so a
 * resumed or multi-process run sees the data a single uninterrupted run sees.
 */
import { cropPatches, PreparedPlanes, sampleTissuePatches } from '../patches.js';
import { loadPreparedDataset } from './load.js';
import { TensorImageSource } from './image-source.js';
import type { PreparedImages } from './open-images.js';

export interface PatchSampling {
  /** Window side in prepared pixels. */
  size: number;
  /** Model input side (the window is area-averaged down to it). */
  input: number;
  count: number;
  minBreast: number;
  seed: number;
}

export async function openPatchImages(path: string, p: PatchSampling): Promise<PreparedImages & { patches: number }> {
  const d = await loadPreparedDataset(path);
  try {
    const planes = PreparedPlanes.fromTensor(d.images);
    const locations = sampleTissuePatches(planes, d.records.map((_, i) => i), { size: p.size, count: p.count, minBreast: p.minBreast, seed: p.seed });
    if (locations.length < 2) throw new Error(`${path}: fewer than 2 breast windows of ${p.size} px with ${p.minBreast} breast (are the images at least ${p.size} px?)`);
    const pixels = cropPatches(planes, locations, p.size, p.input);
    return { images: new TensorImageSource(pixels, true), records: d.records, meta: d.meta, patches: locations.length };
  } finally {
    d.images.dispose();
  }
}
