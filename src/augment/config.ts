/**
 * Augmentation settings as plain typed objects. Defaults follow Saeed & Naveed's mammogram SimCLR
 * recipe (crop 50-80 % of the area, flips, brightness/contrast jitter, no blur, 32x32 output);
 * the blur settings, when switched on, are SimCLR's (Chen et al. 2020, appendix A; google-research/simclr
 * data_util.py random_blur).
 */

export type Range = [number, number];

export interface CropConfig {
  /** Fraction of the image area the crop covers, drawn uniformly (torchvision RandomResizedCrop scale). */
  scale: Range;
  /** Crop width/height, drawn log-uniformly (torchvision ratio). */
  ratio: Range;
  /** Rejection-sampling attempts before the centre-crop fallback (torchvision: 10). */
  attempts: number;
}

export interface FlipConfig {
  /** Probability of a left-right flip. */
  horizontal: number;
  /** Probability of an up-down flip: mammograms have no canonical vertical orientation once breasts are flipped to one side. */
  vertical: number;
}

export interface JitterConfig {
  /** Factor drawn from U[max(0, 1 - strength), 1 + strength], as SimCLR v2's multiplicative brightness. */
  strength: number;
  /** Probability that an image gets this jitter at all. */
  p: number;
}

export interface BlurConfig {
  enabled: boolean;
  p: number;
  /** Standard deviation in output pixels, drawn uniformly. */
  sigma: Range;
  /** Odd kernel side, or 'auto' for SimCLR's size // 10 made odd. */
  kernelSize: number | 'auto';
}

export interface NormalizeConfig {
  /** One value per channel (or one for all channels). */
  mean: readonly number[];
  std: readonly number[];
}

export interface AugmentConfig {
  /** Output side S: views are [N, C, S, S]. */
  size: number;
  crop: CropConfig;
  flip: FlipConfig;
  brightness: JitterConfig;
  contrast: JitterConfig;
  blur: BlurConfig;
  /** Clamp to [0, 1] before normalisation. */
  clip: boolean;
  /** null: leave values in [0, 1] (grayscale mammograms need no ImageNet statistics). */
  normalize: NormalizeConfig | null;
}

/** torchvision/lightly ImageNet statistics, for 3-channel inputs to ImageNet-initialised encoders. */
export const IMAGENET_NORMALIZE: Readonly<NormalizeConfig> = Object.freeze({
  mean: Object.freeze([0.485, 0.456, 0.406]),
  std: Object.freeze([0.229, 0.224, 0.225]),
});

export function defaultAugmentConfig(): AugmentConfig {
  return {
    size: 32,
    crop: { scale: [0.5, 0.8], ratio: [3 / 4, 4 / 3], attempts: 10 },
    flip: { horizontal: 0.5, vertical: 0.5 },
    brightness: { strength: 0.4, p: 0.8 },
    contrast: { strength: 0.4, p: 0.2 },
    blur: { enabled: false, p: 0.5, sigma: [0.1, 2.0], kernelSize: 'auto' },
    clip: true,
    normalize: null,
  };
}

/** Overrides: any field may be left out, nested objects merge field by field. */
export interface AugmentConfigInput {
  size?: number;
  crop?: Partial<CropConfig>;
  flip?: Partial<FlipConfig>;
  brightness?: Partial<JitterConfig>;
  contrast?: Partial<JitterConfig>;
  blur?: Partial<BlurConfig>;
  clip?: boolean;
  normalize?: NormalizeConfig | null;
}

/** The defaults with `overrides` applied, validated. */
export function augmentConfig(overrides: AugmentConfigInput = {}): AugmentConfig {
  const d = defaultAugmentConfig();
  const c: AugmentConfig = {
    size: overrides.size ?? d.size,
    crop: { ...d.crop, ...overrides.crop },
    flip: { ...d.flip, ...overrides.flip },
    brightness: { ...d.brightness, ...overrides.brightness },
    contrast: { ...d.contrast, ...overrides.contrast },
    blur: { ...d.blur, ...overrides.blur },
    clip: overrides.clip ?? d.clip,
    normalize: overrides.normalize === undefined ? d.normalize : overrides.normalize,
  };
  validateAugmentConfig(c);
  return c;
}

/** SimCLR's blur kernel: size // 10, made odd (radius = k // 2, side 2 * radius + 1). */
export function blurKernelSize(size: number): number {
  return 2 * Math.floor(Math.floor(size / 10) / 2) + 1;
}

/** The kernel side a config resolves to. */
export function resolvedKernelSize(c: AugmentConfig): number {
  return c.blur.kernelSize === 'auto' ? blurKernelSize(c.size) : c.blur.kernelSize;
}

function fail(path: string, what: string, got: unknown): never {
  throw new RangeError(`augment config: ${path} ${what}, got ${JSON.stringify(got)}`);
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function probability(path: string, v: unknown): void {
  if (!finite(v) || v < 0 || v > 1) fail(path, 'must be a probability in [0, 1]', v);
}

function range(path: string, v: unknown, lowest: number, lowOpen: boolean, highest = Infinity): void {
  if (!Array.isArray(v) || v.length !== 2 || !finite(v[0]) || !finite(v[1])) fail(path, 'must be [low, high] with finite numbers', v);
  const [lo, hi] = v as Range;
  if (lo > hi) fail(path, 'must have low <= high', v);
  if (lowOpen ? lo <= lowest : lo < lowest) fail(path, `must have low ${lowOpen ? '>' : '>='} ${lowest}`, v);
  if (hi > highest) fail(path, `must have high <= ${highest}`, v);
}

function jitter(path: string, j: JitterConfig): void {
  if (!finite(j.strength) || j.strength < 0) fail(`${path}.strength`, 'must be a finite number >= 0', j.strength);
  probability(`${path}.p`, j.p);
}

/** Throws a RangeError naming the first bad field. */
export function validateAugmentConfig(c: AugmentConfig): void {
  if (!Number.isInteger(c.size) || c.size < 1) fail('size', 'must be a positive integer', c.size);
  range('crop.scale', c.crop.scale, 0, true, 1);
  range('crop.ratio', c.crop.ratio, 0, true);
  if (!Number.isInteger(c.crop.attempts) || c.crop.attempts < 1) fail('crop.attempts', 'must be a positive integer', c.crop.attempts);
  probability('flip.horizontal', c.flip.horizontal);
  probability('flip.vertical', c.flip.vertical);
  jitter('brightness', c.brightness);
  jitter('contrast', c.contrast);
  if (typeof c.blur.enabled !== 'boolean') fail('blur.enabled', 'must be a boolean', c.blur.enabled);
  probability('blur.p', c.blur.p);
  range('blur.sigma', c.blur.sigma, 0, true);
  const k = c.blur.kernelSize;
  if (k !== 'auto') {
    if (!Number.isInteger(k) || k < 1 || k % 2 === 0) fail('blur.kernelSize', "must be 'auto' or an odd positive integer", k);
  }
  // Reflection padding needs a radius smaller than the image side.
  if (c.blur.enabled && (resolvedKernelSize(c) - 1) / 2 >= c.size) {
    fail('blur.kernelSize', `must have radius < size (${c.size}) for reflection padding`, k);
  }
  if (typeof c.clip !== 'boolean') fail('clip', 'must be a boolean', c.clip);
  if (c.normalize !== null) {
    const { mean, std } = c.normalize;
    if (!Array.isArray(mean) || mean.length === 0 || !mean.every(finite)) fail('normalize.mean', 'must be a non-empty list of finite numbers', mean);
    if (!Array.isArray(std) || std.length !== mean.length || !std.every((s) => finite(s) && s > 0)) {
      fail('normalize.std', `must list ${mean.length} finite numbers > 0 (one per mean)`, std);
    }
  }
}
