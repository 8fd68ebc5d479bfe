import type { GrayImage, Laterality } from '../image.js';
import { findBreast, type PreprocessOptions, type PreprocessTransform } from '../preprocess/index.js';
import { toHalfArray } from './float16.js';

/**
 * The preprocessing options every prepared file is made with. Spelled out (not left to
 * preprocessMammogram's defaults) so the values recorded in the file's metadata are the ones
 * actually used, even if the defaults change later.
 */
export const PREPARE_PREPROCESS = { threshold: 0.05, opening: 1 / 256, flip: 'auto', normalize: 'breast-max' } as const satisfies PreprocessOptions;

export interface SizedOutput {
  size: number;
  /** size x size float16 bits, row-major, values in [0, 1]. */
  pixels: Uint16Array;
  transform: PreprocessTransform;
}

export interface ProcessedImage {
  outputs: SizedOutput[];
  foundBreast: boolean;
  /** With pectoral 'suppress': whether a muscle was found and removed (false on CC views). */
  pectoralRemoved?: boolean;
}

/** What a record knows about its image that the preprocessing uses, and prepare's own choices. */
export interface ProcessChoices {
  laterality?: Laterality;
  view?: string;
  pectoral?: 'keep' | 'suppress';
}

/** PREPARE_PREPROCESS with a record's choices: what prepare, predict and the viewer all preprocess with. */
export function prepareOptions(choices: ProcessChoices = {}): PreprocessOptions {
  const opts: PreprocessOptions = { ...PREPARE_PREPROCESS };
  if (choices.laterality) opts.laterality = choices.laterality;
  if (choices.view) opts.view = choices.view;
  if (choices.pectoral) opts.pectoral = choices.pectoral;
  return opts;
}

/**
 * Preprocesses one decoded image to every requested size. The breast mask, crop and flip
 * depend only on the original image, so they are computed once (findBreast) and each size
 * only re-renders the masked plane. The result is identical to calling preprocessMammogram
 * once per size (tested): that function is findBreast + render too.
 */
export function processImage(image: GrayImage, sizes: readonly number[], choices: ProcessChoices = {}): ProcessedImage {
  if (sizes.length === 0) throw new Error('processImage: no sizes requested');
  const breast = findBreast(image, prepareOptions(choices));
  const outputs: SizedOutput[] = sizes.map((size) => {
    const { data, transform } = breast.render(size);
    return { size, pixels: toHalfArray(data), transform };
  });
  const done: ProcessedImage = { outputs, foundBreast: breast.foundBreast };
  if (choices.pectoral === 'suppress') done.pectoralRemoved = breast.pectoral !== null && breast.pectoral !== undefined;
  return done;
}
