/**
 * Separable Gaussian blur with one sigma per image. The batch is folded into the channels
 * ([N, C, H, W] -> [1, N*C, H, W]) so a depthwise (grouped) conv2d applies each image's own
 * kernel in one call per axis: exact per-image sigmas, no bucketing. Reflection padding, as
 * torchvision's GaussianBlur (SimCLR's TF code pads with zeros, which darkens the borders).
 */
import { F, tensor, type Generator, type Tensor } from '../tensor/index.js';
import type { BlurConfig } from './config.js';
import { uniforms } from './random.js';

/**
 * exp(-x^2 / (2 sigma^2)) for x = -r..r, normalised to sum 1 (SimCLR, torchvision). A sigma of 0
 * (or so small the tails underflow) gives the delta kernel: no blur.
 */
export function gaussianKernel1d(sigma: number, kernelSize: number): number[] {
  const r = (kernelSize - 1) / 2;
  const w: number[] = [];
  for (let x = -r; x <= r; x++) w.push(sigma > 0 ? Math.exp(-(x * x) / (2 * sigma * sigma)) : x === 0 ? 1 : 0);
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / s);
}

/** Per image: sigma ~ U[sigma] with probability p, else 0 (not blurred). */
export function sampleBlurSigmas(n: number, cfg: BlurConfig, generator: Generator): number[] {
  const u = uniforms(2 * n, generator);
  const [s0, s1] = cfg.sigma;
  const out: number[] = [];
  for (let k = 0; k < n; k++) out.push(u[2 * k]! < cfg.p ? s0 + (s1 - s0) * u[2 * k + 1]! : 0);
  return out;
}

/**
 * Blurs image k of x [N, C, H, W] with sigmas[k] and a kernelSize-wide kernel (odd, radius < H, W).
 * Images with sigma 0 come back bit for bit unchanged.
 */
export function gaussianBlur(x: Tensor, sigmas: number[], kernelSize: number): Tensor {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  if (sigmas.length !== n) throw new Error(`gaussianBlur: ${sigmas.length} sigmas for a batch of ${n}`);
  if (!Number.isInteger(kernelSize) || kernelSize < 1 || kernelSize % 2 === 0) throw new Error(`gaussianBlur: kernel size must be odd and positive, got ${kernelSize}`);
  const r = (kernelSize - 1) / 2;
  if (r >= h || r >= w) throw new Error(`gaussianBlur: kernel radius ${r} needs an image larger than ${h}x${w} for reflection padding`);
  const blurred = sigmas.map((s) => s > 0);
  if (r === 0 || !blurred.some(Boolean)) return x.clone();

  // One row of weights per (image, channel) plane.
  const k1 = new Float32Array(n * c * kernelSize);
  sigmas.forEach((s, i) => {
    const g = gaussianKernel1d(s, kernelSize);
    for (let ch = 0; ch < c; ch++) k1.set(g, (i * c + ch) * kernelSize);
  });
  const wv = tensor(k1, [n * c, 1, kernelSize, 1]);
  const wh = tensor(k1, [n * c, 1, 1, kernelSize]);
  const padded = F.reflectionPad2d(x, [r, r, r, r]);
  const planes = padded.reshape(1, n * c, h + 2 * r, w + 2 * r);
  const vertical = F.conv2d(planes, wv, null, { groups: n * c });
  const both = F.conv2d(vertical, wh, null, { groups: n * c });
  const y = both.view(n, c, h, w);
  for (const t of [wv, wh, padded, planes, vertical, both]) t.dispose();
  if (blurred.every(Boolean)) return y;
  const mask = tensor(Uint8Array.from(blurred, Number), [n, 1, 1, 1], { dtype: 'bool' });
  const out = F.where(mask, y, x);
  mask.dispose();
  y.dispose();
  return out;
}

/** Draws sigmas from `generator` and blurs. */
export function randomGaussianBlur(x: Tensor, cfg: BlurConfig, kernelSize: number, generator: Generator): Tensor {
  return gaussianBlur(x, sampleBlurSigmas(x.size(0), cfg, generator), kernelSize);
}
