import { maxValue, type GrayImage, type Laterality } from '../image.js';
import { fillHoles, largestComponent, type Box } from './components.js';
import { otsuThreshold } from './threshold.js';
import { warpToOutput, type PreprocessTransform } from './transform.js';

export interface PreprocessOptions {
  /** Output side in pixels, 16-1024. Default 32 (the paper's input). */
  size?: number;
  /**
   * Breast/background threshold: a fraction of the image's brightest pixel (default 0.05), or
   * 'otsu'. Foreground = value > threshold. The default is a low fixed fraction because on film
   * mammograms Otsu separates dense from fatty tissue rather than breast from background: on
   * mini-MIAS it picks levels 53-107 of 255 and cuts off the fatty periphery (and lesions in it),
   * while 5 % of the maximum (about 11) keeps the whole breast and still drops the film background.
   */
  threshold?: 'otsu' | number;
  /**
   * Flip rule. 'auto' (default): laterality when known, else the side with more breast.
   * Laterality assumes the standard display: a left breast has its chest wall on the image's left
   * (true of MIAS, DICOM MG "for presentation"), so only right breasts are mirrored.
   */
  flip?: 'auto' | 'mass' | 'none';
  /** Overrides image.meta.laterality (adapters know it from the file name or CSV). */
  laterality?: Laterality;
  /**
   * Intensity scaling to [0, 1]. 'breast-max' (default): divide by the brightest breast pixel,
   * because 16-bit DICOMs often use only 12-14 bits. 'bit-depth': divide by 255 or 65535.
   */
  normalize?: 'breast-max' | 'bit-depth';
}

export interface Preprocessed {
  /** size x size, row-major, [0, 1], background 0. */
  data: Float32Array;
  size: number;
  transform: PreprocessTransform;
  /** False when no foreground was found; the whole image was then used. */
  foundBreast: boolean;
  /** The breast mask of the original image (1 = kept). */
  mask: Uint8Array;
  threshold: number;
}

/**
 * Finds the breast (threshold, largest 8-connected component, holes filled), crops to it,
 * zeroes everything outside (film labels, markers), flips the chest wall to the left, pads to
 * a square and area-averages to `size`.
 */
export function preprocessMammogram(image: GrayImage, options: PreprocessOptions = {}): Preprocessed {
  const size = options.size ?? 32;
  if (!Number.isInteger(size) || size < 16 || size > 1024) throw new Error(`size must be an integer in 16..1024, got ${size}`);
  const { width, height, data } = image;
  if (data.length !== width * height) throw new Error(`image data has ${data.length} values, expected ${width}x${height}`);
  const top = maxValue(image.bitDepth);
  const thr = options.threshold ?? 0.05;
  let brightest = 0;
  for (let i = 0; i < data.length; i++) if (data[i]! > brightest) brightest = data[i]!;
  const threshold = thr === 'otsu' ? otsuThreshold(data, top + 1) : Math.floor(thr * brightest);

  const fg = new Uint8Array(width * height);
  for (let i = 0; i < fg.length; i++) fg[i] = data[i]! > threshold ? 1 : 0;
  const comp = largestComponent(fg, width, height);
  let mask: Uint8Array;
  let crop: Box;
  if (comp) {
    mask = comp.mask;
    fillHoles(mask, width, height);
    crop = comp.box; // hole filling cannot grow the bounding box
  } else {
    mask = new Uint8Array(width * height).fill(1);
    crop = { x: 0, y: 0, width, height };
  }

  const massSide = sideWithMoreBreast(mask, width, crop);
  const lat = options.laterality ?? image.meta.laterality;
  const mode = options.flip ?? 'auto';
  let flipped = false;
  let flipReason: PreprocessTransform['flipReason'] = 'none';
  if (mode === 'auto' && lat !== undefined) {
    flipped = lat === 'R';
    flipReason = 'laterality';
  } else if (mode !== 'none' && comp) {
    flipped = massSide === 'right';
    flipReason = 'mass';
  }

  // Pad on the right (away from the chest wall) and equally above and below.
  const s = Math.max(crop.width, crop.height);
  const padX = s - crop.width;
  const padY = s - crop.height;
  const padTop = Math.floor(padY / 2);
  const transform: PreprocessTransform = {
    original: { width, height },
    crop,
    flipped,
    flipReason,
    massSide,
    pad: { left: 0, top: padTop, right: padX, bottom: padY - padTop },
    squareSize: s,
    outputSize: size,
    scale: size / s,
  };

  let peak = 0;
  if (options.normalize === 'bit-depth') peak = top;
  else for (let i = 0; i < data.length; i++) if (mask[i] && data[i]! > peak) peak = data[i]!;
  const inv = peak > 0 ? 1 / peak : 0;
  const plane = new Float32Array(width * height);
  for (let i = 0; i < plane.length; i++) plane[i] = mask[i] ? Math.min(1, data[i]! * inv) : 0;
  const out = warpToOutput(transform, plane);
  return { data: out, size, transform, foundBreast: comp !== undefined, mask, threshold };
}

/** Compares breast pixel counts in the left and right halves of the crop. */
function sideWithMoreBreast(mask: Uint8Array, width: number, crop: Box): 'left' | 'right' {
  let left = 0;
  let right = 0;
  const mid = crop.width / 2;
  for (let y = crop.y; y < crop.y + crop.height; y++) {
    for (let x = 0; x < crop.width; x++) {
      if (!mask[y * width + crop.x + x]) continue;
      // Centre column of an odd-width crop counts for neither side.
      if (x + 0.5 < mid) left++;
      else if (x + 0.5 > mid) right++;
    }
  }
  return right > left ? 'right' : 'left';
}
