import type { GrayImage, Laterality } from '../image.js';
import { preprocessMammogram, warpToOutput, type PreprocessOptions, type PreprocessTransform } from '../preprocess/index.js';
import { toHalfArray } from './float16.js';

/**
 * The preprocessing options every prepared file is made with. Spelled out (not left to
 * preprocessMammogram's defaults) so the values recorded in the file's metadata are the ones
 * actually used, even if the defaults change later.
 */
export const PREPARE_PREPROCESS = { threshold: 0.05, flip: 'auto', normalize: 'breast-max' } as const satisfies PreprocessOptions;

export interface SizedOutput {
  size: number;
  /** size x size float16 bits, row-major, values in [0, 1]. */
  pixels: Uint16Array;
  transform: PreprocessTransform;
}

export interface ProcessedImage {
  outputs: SizedOutput[];
  foundBreast: boolean;
}

/**
 * Preprocesses one decoded image to every requested size. The breast mask, crop and flip
 * depend only on the original image, so they are computed once (the costly part: two flood
 * fills over the full-resolution image) and each further size only re-warps the normalised
 * plane. The result is identical to calling preprocessMammogram once per size (tested).
 */
export function processImage(image: GrayImage, sizes: readonly number[], laterality?: Laterality): ProcessedImage {
  if (sizes.length === 0) throw new Error('processImage: no sizes requested');
  const opts: PreprocessOptions = { ...PREPARE_PREPROCESS, size: sizes[0]! };
  if (laterality) opts.laterality = laterality;
  const first = preprocessMammogram(image, opts);
  const outputs: SizedOutput[] = [{ size: sizes[0]!, pixels: toHalfArray(first.data), transform: first.transform }];
  if (sizes.length > 1) {
    const plane = normalisedPlane(image, first.mask);
    for (const size of sizes.slice(1)) {
      const transform: PreprocessTransform = { ...first.transform, outputSize: size, scale: size / first.transform.squareSize };
      outputs.push({ size, pixels: toHalfArray(warpToOutput(transform, plane)), transform });
    }
  }
  return { outputs, foundBreast: first.foundBreast };
}

/**
 * The masked, [0, 1]-scaled plane preprocessMammogram builds internally with normalize
 * 'breast-max' (divide by the brightest breast pixel, zero outside the mask), with the same
 * arithmetic so the floats match bit for bit.
 */
function normalisedPlane(image: GrayImage, mask: Uint8Array): Float32Array {
  const { data } = image;
  let peak = 0;
  for (let i = 0; i < data.length; i++) if (mask[i] && data[i]! > peak) peak = data[i]!;
  const inv = peak > 0 ? 1 / peak : 0;
  const plane = new Float32Array(data.length);
  for (let i = 0; i < plane.length; i++) plane[i] = mask[i] ? Math.min(1, data[i]! * inv) : 0;
  return plane;
}
