/**
 * The SimCLR view generator: crop+flip -> brightness -> contrast -> blur -> clip -> normalise,
 * batched on the engine with per-image parameters drawn from the caller's Generator, so the
 * same seed, input and config give the same views.
 */
import { F, noGrad, tensor, tidy, type Generator, type Tensor } from '../tensor/index.js';
import { resolvedKernelSize, validateAugmentConfig, type AugmentConfig, type NormalizeConfig } from './config.js';
import { randomResizedCrop } from './crop.js';
import { adjustBrightness, adjustContrast, sampleJitter } from './color.js';
import { randomGaussianBlur } from './blur.js';

function checkBatch(batch: Tensor, config: AugmentConfig): void {
  if (batch.isDisposed) throw new Error('augment: the input batch is disposed');
  const shape = batch.shape;
  if (shape.length !== 4) throw new Error(`augment: expected a batch [N, C, H, W], got shape [${shape.join(', ')}]`);
  if (batch.dtype !== 'float32') throw new Error(`augment: expected float32 values in [0, 1], got ${batch.dtype}`);
  const c = shape[1]!;
  if (c !== 1 && c !== 3) throw new Error(`augment: expected 1 or 3 channels, got ${c}`);
  const m = config.normalize?.mean.length;
  if (m !== undefined && m !== 1 && m !== c) throw new Error(`augment: normalize lists ${m} means for ${c} channels`);
}

/** (x - mean) / std per channel, as one multiply and one add. */
function normalise(x: Tensor, n: NormalizeConfig): Tensor {
  const k = n.mean.length;
  const a = tensor(Float32Array.from(n.std, (s) => 1 / s), [1, k, 1, 1]);
  const b = tensor(Float32Array.from(n.mean, (m, i) => -m / n.std[i]!), [1, k, 1, 1]);
  return x.mul(a).add(b);
}

/** The steps after the input checks; runs inside the caller's tidy and noGrad. */
function run(batch: Tensor, config: AugmentConfig, generator: Generator): Tensor {
  const n = batch.size(0);
  // Draw order is fixed (crop, flips, brightness, contrast, blur) and independent of the
  // probabilities, so changing one p does not reshuffle the other parameters.
  let x = randomResizedCrop(batch, config.size, config.crop, config.flip, generator);
  x = adjustBrightness(x, sampleJitter(n, config.brightness, generator));
  x = adjustContrast(x, sampleJitter(n, config.contrast, generator));
  if (config.blur.enabled) x = randomGaussianBlur(x, config.blur, resolvedKernelSize(config), generator);
  if (config.clip) x = x.clamp(0, 1);
  if (config.normalize) x = normalise(x, config.normalize);
  return x.contiguous();
}

/**
 * One augmented view per image: float32 [N, C, H, W] in [0, 1] -> [N, C, size, size].
 * The result belongs to the caller (dispose it); intermediates are freed here.
 */
export function augment(batch: Tensor, config: AugmentConfig, generator: Generator): Tensor {
  validateAugmentConfig(config);
  checkBatch(batch, config);
  return noGrad(() => tidy(() => run(batch, config, generator)));
}

/**
 * Two independently augmented views of every image, [view1, view2], for the contrastive loss.
 * Both are made in one pass over the batch stacked on itself (one grid_sample, one blur conv);
 * view1 takes the first N draws, view2 the next N. The two tensors share one buffer, which is
 * freed when both are disposed.
 */
export function twoViews(batch: Tensor, config: AugmentConfig, generator: Generator): [Tensor, Tensor] {
  validateAugmentConfig(config);
  checkBatch(batch, config);
  const n = batch.size(0);
  return noGrad(() =>
    tidy(() => {
      const both = run(F.cat([batch, batch], 0), config, generator);
      return [both.narrow(0, 0, n), both.narrow(0, n, n)] as [Tensor, Tensor];
    }),
  );
}
