/**
 * Encoder features for a whole image set, computed once: the encoder in inference mode
 * (BatchNorm uses and keeps its running statistics), no autograd, in batches.
 */
import { Tensor, tidy, noGrad, autocast, keep, F } from '../tensor/index.js';
import type { ResNet } from '../nn/resnet.js';

export interface FeatureOptions {
  batchSize?: number;
  bf16?: boolean;
  channelsLast?: boolean;
}

/** images [N, C, H, W] float32 -> features [N, featureDim] float32. */
export function extractFeatures(encoder: ResNet, images: Tensor, o: FeatureOptions = {}): Tensor {
  const wasTraining = encoder.training;
  encoder.eval();
  const n = images.shape[0]!;
  const bs = o.batchSize ?? 256;
  const parts: Tensor[] = [];
  try {
    for (let i = 0; i < n; i += bs) {
      parts.push(keep(tidy(() => noGrad(() => {
        let x = images.narrow(0, i, Math.min(bs, n - i));
        if (o.channelsLast) x = x.contiguous('channelsLast');
        const h = autocast({ enabled: o.bf16 ?? false }, () => encoder.forward(x));
        return h.float().contiguous();
      }))));
    }
    return tidy(() => F.cat(parts, 0));
  } finally {
    for (const p of parts) p.dispose();
    encoder.train(wasTraining);
  }
}
