/**
 * The images of SimCLR on breast-tissue windows, as `pretrain --patch-size` and the detection
 * grid of `experiment` both train on them: a seeded sample of windows of a high-resolution
 * prepared file (openPatchImages), held in memory. The same file, settings and seed give the
 * same windows, so a grid run and a `pretrain --patch-size` run with the same settings see the
 * same data, and a resumed run the data it started with.
 */
import { openPatchImages, type PatchSampling, type PreparedImages } from '../data/cache/index.js';

export type { PatchSampling };

export interface PretrainPatches extends PreparedImages {
  /** Windows sampled (at most the requested count). */
  patches: number;
  /** One line for the console: what was sampled from what. */
  how: string;
}

export async function openPretrainPatches(path: string, patch: PatchSampling): Promise<PretrainPatches> {
  const d = await openPatchImages(path, patch);
  return { ...d, how: `images: ${d.patches} breast-tissue windows of ${patch.size} px (input ${patch.input} px) sampled from ${d.meta.count} images at ${d.meta.size} px, in memory` };
}
