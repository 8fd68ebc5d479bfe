/** Neural-network operators as functions (torch.nn.functional), each one ATen call where ATen has it. */
import type { Tensor } from './tensor.js';
import type { Generator } from './random.js';
import * as aten from './ops/aten.js';

// The one-op functions are made from the operator table (ops/generated.ts); the ones written here
// take an options object, convert arguments (pairs, reduction names), or run more than one op.
export { relu, gelu, silu, leakyRelu, softplus, linear, affineGrid, dropout, cat, stack, where, pad, reflectionPad2d, cosineSimilarity } from './ops/generated.js';

type Pair = number | [number, number];
const pair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : v);

export interface Conv2dOptions {
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  groups?: number;
}

export function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, o: Conv2dOptions = {}): Tensor {
  const stride = pair(o.stride ?? 1);
  const padding = pair(o.padding ?? 0);
  if (stridedPointwiseCorrupts(input, weight, stride, padding, o.groups ?? 1)) {
    // The same convolution on every stride-th pixel: the same values and gradients up to summation order, another kernel.
    const rows = input.slice(2, 0, null, stride[0]);
    const pixels = rows.slice(3, 0, null, stride[1]);
    rows.dispose();
    const dense = pixels.contiguous('channelsLast');
    pixels.dispose();
    const out = aten.conv2d(dense, weight, bias, [1, 1], [0, 0], [1, 1], 1);
    dense.dispose();
    return out;
  }
  return aten.conv2d(input, weight, bias, stride, padding, pair(o.dilation ?? 1), o.groups ?? 1);
}

/**
 * libtorch 1.13.1 with oneDNN 2.6 (Debian 12's) corrupts the heap in the backward pass of a 1x1
 * stride-2 convolution in float32, channels-last, on the CPU, when the input has fewer than 16
 * channels and is 48 px or more (a sweep of 2-48 channels, 16-256 px; PyTorch 1.13.1 aborts the
 * same way, `double free or corruption`). A ResNet-18/34 of width 15 or less meets it in its first
 * downsample shortcut. Every stride above 1 takes the detour: the same convolution (equal up to
 * float32 summation order), and these inputs are small.
 */
function stridedPointwiseCorrupts(input: Tensor, weight: Tensor, stride: [number, number], padding: [number, number], groups: number): boolean {
  // The JS-side tests first: every convolution of every step passes here, and most have stride 1.
  if (!((stride[0] > 1 || stride[1] > 1) && padding[0] === 0 && padding[1] === 0 && groups === 1)) return false;
  const [, inChannels, kh, kw] = weight.shape as [number, number, number, number];
  return kh === 1 && kw === 1 && inChannels < 16 && input.dtype === 'float32' && input.device === 'cpu' && input.isContiguous('channelsLast');
}

export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  /** Batch statistics (and running-statistic updates) when true; running statistics when false. */
  training: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * Batch normalisation over dim 1. In training the running statistics are updated in place:
 * running = (1 - momentum) * running + momentum * batch, with the unbiased batch variance.
 */
export function batchNorm(input: Tensor, o: BatchNormOptions): Tensor {
  return aten.batch_norm(input, o.weight ?? null, o.bias ?? null, o.runningMean ?? null, o.runningVar ?? null,
    o.training, o.momentum ?? 0.1, o.eps ?? 1e-5, true);
}

export type Reduction = 'none' | 'mean' | 'sum';
const REDUCTION: Record<Reduction, number> = { none: 0, mean: 1, sum: 2 };

export interface CrossEntropyOptions {
  /** Per-class weights (for class imbalance); the mean is then weighted, as in PyTorch. */
  weight?: Tensor | null;
  reduction?: Reduction;
  ignoreIndex?: number;
  labelSmoothing?: number;
}

/** Softmax cross-entropy of logits [N, C] against int64 class indices [N]: -log softmax(x)[y]. */
export function crossEntropy(logits: Tensor, target: Tensor, o: CrossEntropyOptions = {}): Tensor {
  return aten.cross_entropy_loss(logits, target, o.weight ?? null, REDUCTION[o.reduction ?? 'mean'], o.ignoreIndex ?? -100, o.labelSmoothing ?? 0);
}

export function nllLoss(logProbs: Tensor, target: Tensor, o: { weight?: Tensor | null; reduction?: Reduction } = {}): Tensor {
  return aten.nll_loss(logProbs, target, o.weight ?? null, REDUCTION[o.reduction ?? 'mean'], -100);
}

export function mseLoss(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  return aten.mse_loss(input, target, REDUCTION[reduction]);
}

/** x / max(||x||_p, eps) along dim (F.normalize). */
export function normalize(x: Tensor, dim = 1, p = 2, eps = 1e-12): Tensor {
  const n = x.norm(p, dim, true);
  const d = n.clampMin(eps);
  n.dispose();
  const e = d.expandAs(x);
  d.dispose();
  const out = x.div(e);
  e.dispose();
  return out;
}

export interface Pool2dOptions {
  stride?: Pair;
  padding?: Pair;
  ceilMode?: boolean;
}

export function maxPool2d(x: Tensor, kernel: Pair, o: Pool2dOptions & { dilation?: Pair } = {}): Tensor {
  return aten.max_pool2d(x, pair(kernel), pair(o.stride ?? kernel), pair(o.padding ?? 0), pair(o.dilation ?? 1), o.ceilMode ?? false);
}

export function avgPool2d(x: Tensor, kernel: Pair, o: Pool2dOptions & { countIncludePad?: boolean } = {}): Tensor {
  return aten.avg_pool2d(x, pair(kernel), pair(o.stride ?? kernel), pair(o.padding ?? 0), o.ceilMode ?? false, o.countIncludePad ?? true, null);
}

export function adaptiveAvgPool2d(x: Tensor, outputSize: Pair): Tensor {
  return aten.adaptive_avg_pool2d(x, pair(outputSize));
}

export function adaptiveMaxPool2d(x: Tensor, outputSize: Pair): Tensor {
  const [out, indices] = aten.adaptive_max_pool2d(x, pair(outputSize));
  indices!.dispose();
  return out!;
}

export type InterpolateMode = 'bilinear' | 'bicubic' | 'nearest' | 'area';

/** Resizes [N, C, H, W] to `size`; 'area' is adaptive average pooling, as in PyTorch. */
export function interpolate(x: Tensor, size: Pair, mode: InterpolateMode = 'bilinear', alignCorners = false): Tensor {
  const s = pair(size);
  switch (mode) {
    case 'bilinear':
      return aten.upsample_bilinear2d$vec(x, s, alignCorners, null);
    case 'bicubic':
      return aten.upsample_bicubic2d$vec(x, s, alignCorners, null);
    case 'nearest':
      return aten.upsample_nearest2d$vec(x, s, null);
    case 'area':
      return adaptiveAvgPool2d(x, s);
  }
}

const GRID_MODE = { bilinear: 0, nearest: 1, bicubic: 2 } as const;
const GRID_PADDING = { zeros: 0, border: 1, reflection: 2 } as const;

/** Samples input at grid locations in [-1, 1] (F.grid_sample). */
export function gridSample(input: Tensor, grid: Tensor, o: { mode?: keyof typeof GRID_MODE; padding?: keyof typeof GRID_PADDING; alignCorners?: boolean } = {}): Tensor {
  return aten.grid_sampler(input, grid, GRID_MODE[o.mode ?? 'bilinear'], GRID_PADDING[o.padding ?? 'zeros'], o.alignCorners ?? false);
}

/** Samples from a uniform distribution into an existing tensor, in place (for initialisation). */
export function uniform_(t: Tensor, low: number, high: number, generator?: Generator): Tensor {
  return aten.uniform_(t, low, high, generator?.handle ?? null);
}

/** Normal draws into an existing tensor, in place (for initialisation). */
export function normal_(t: Tensor, mean: number, std: number, generator?: Generator): Tensor {
  return aten.normal_(t, mean, std, generator?.handle ?? null);
}
