/**
 * Encoder features for a whole image set, computed once: the encoder in inference mode
 * (BatchNorm uses and keeps its running statistics), no autograd, in batches.
 */
import { Tensor, tidy, zeros, F } from '../tensor/index.js';
import type { ResNet } from '../nn/resnet.js';
import type { ProcessGroup } from '../distributed/process-group.js';
import { inferInBatches, type InferenceOptions } from './inference.js';

export type FeatureOptions = InferenceOptions;

/** images [N, C, H, W] float32 -> features [N, featureDim] float32. */
export function extractFeatures(encoder: ResNet, images: Tensor, o: FeatureOptions = {}): Tensor {
  return inferInBatches(images, { models: [encoder], forward: (x) => encoder.forward(x), finish: (h) => h.float().contiguous(), batchSize: o.batchSize ?? 256 }, o);
}

/**
 * extractFeatures data-parallel: rank r encodes the r-th contiguous block of the images and an
 * all-gather hands every rank all of them, so the result is the same tensor everywhere. The
 * blocks are padded with zero rows to one size, as the all-gather needs equal shapes.
 */
export async function extractFeaturesParallel(encoder: ResNet, images: Tensor, group: ProcessGroup | undefined, o: FeatureOptions = {}): Promise<Tensor> {
  if (!group || group.worldSize === 1) return extractFeatures(encoder, images, o);
  const n = images.shape[0]!;
  const block = Math.ceil(n / group.worldSize);
  const start = Math.min(n, group.rank * block);
  const count = Math.min(block, n - start);
  const mine = tidy(() => {
    const own = count > 0 ? extractFeatures(encoder, images.narrow(0, start, count), o) : zeros([0, encoder.featureDim]);
    return count < block ? F.cat([own, zeros([block - count, encoder.featureDim])], 0) : own;
  });
  let parts: Tensor[] = [];
  try {
    parts = await group.allGather(mine);
    return tidy(() => F.cat(parts, 0).narrow(0, 0, n).contiguous());
  } finally {
    mine.dispose();
    for (const p of parts) p.dispose();
  }
}
