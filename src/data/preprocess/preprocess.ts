import { maxValue, type GrayImage, type Laterality } from '../image.js';
import type { Box } from './components.js';
import { areaResizeRows } from './resize.js';
import { dilateRuns, erodeRuns, intersectRuns } from './morphology.js';
import { findPectoralLine, removePectoral, type PectoralLine } from './pectoral.js';
import { fillRunHoles, largestRunComponent, paintRuns, thresholdRuns, type RunComponent, type Runs } from './runs.js';
import { otsuThreshold } from './threshold.js';
import type { PreprocessTransform } from './transform.js';

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
   * Radius of the square opening applied before the largest component is taken, as a fraction
   * of the image's long side (default 1/256: 4 px, 0.8 mm, on a 1024 px mini-MIAS film; 0 turns
   * it off). Film labels, markers and film edges often touch the breast through a strip a few
   * pixels wide (the film's border row on most mini-MIAS images); the opening cuts such bridges,
   * so they are not part of the breast's component, and restores the breast's own outline.
   */
  opening?: number;
  /**
   * 'suppress' removes the pectoral muscle (pectoral.ts) from the breast of every view not known
   * to be craniocaudal (the muscle is a wedge of MLO views); where no muscle-shaped edge is found,
   * nothing is removed. Default 'keep'.
   */
  pectoral?: 'keep' | 'suppress';
  /** Overrides image.meta.view (adapters know it from the file name or CSV). */
  view?: string;
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
 * Finds the breast (threshold, opening, largest 8-connected component, holes filled), crops to it,
 * zeroes everything outside (film labels, markers), flips the chest wall to the left, pads to
 * a square and area-averages to `size`.
 */
export function preprocessMammogram(image: GrayImage, options: PreprocessOptions = {}): Preprocessed {
  const size = options.size ?? 32;
  checkSize(size);
  const breast = findBreast(image, options);
  const { data, transform } = breast.render(size);
  return { data, size, transform, foundBreast: breast.foundBreast, mask: breast.mask(), threshold: breast.threshold };
}

function checkSize(size: number): void {
  if (!Number.isInteger(size) || size < 16 || size > 1024) throw new Error(`size must be an integer in 16..1024, got ${size}`);
}

/**
 * Everything preprocessMammogram derives from the image that does not depend on the output
 * size, so one image can be rendered at several sizes with the mask found once.
 */
export interface Breast {
  foundBreast: boolean;
  threshold: number;
  /** The output at `size`, bit-identical to preprocessMammogram(image, { ...options, size }). */
  render(size: number): { data: Float32Array; transform: PreprocessTransform };
  /** The breast mask of the original image (1 = kept), built on demand. */
  mask(): Uint8Array;
  /** With pectoral 'suppress': the muscle's edge that was removed, or null when none was found; absent otherwise. */
  pectoral?: PectoralLine | null;
}

/** The size-independent part of preprocessMammogram (options.size is ignored). */
export function findBreast(image: GrayImage, options: PreprocessOptions = {}): Breast {
  const { width, height, data } = image;
  if (data.length !== width * height) throw new Error(`image data has ${data.length} values, expected ${width}x${height}`);
  const top = maxValue(image.bitDepth);
  const thr = options.threshold ?? 0.05;
  let brightest = 0;
  for (let i = 0; i < data.length; i++) if (data[i]! > brightest) brightest = data[i]!;
  const threshold = thr === 'otsu' ? otsuThreshold(data, top + 1) : Math.floor(thr * brightest);

  // The mask is kept as runs (see runs.ts): labelling, hole filling, the flip decision, the
  // peak and the warp all work on them, and the full 0/1 plane is only painted when asked for.
  const fg = thresholdRuns(data, width, height, threshold);
  const { runs: breastRuns, comp } = breastComponent(fg, width, height, Math.round((options.opening ?? 1 / 256) * Math.max(width, height)));
  let kept: Runs;
  let crop: Box;
  if (comp) {
    kept = fillRunHoles(breastRuns, comp.runs, width, height);
    crop = { x: comp.x0, y: comp.y0, width: comp.x1 - comp.x0 + 1, height: comp.y1 - comp.y0 + 1 }; // hole filling cannot grow the bounding box
  } else {
    kept = wholeImage(width, height);
    crop = { x: 0, y: 0, width, height };
  }

  const massSide = sideWithMoreBreast(kept, crop);
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

  let pectoral: PectoralLine | null | undefined;
  if (options.pectoral === 'suppress' && comp && !/CC/i.test(options.view ?? image.meta.view ?? '')) {
    pectoral = findPectoralLine(data, width, kept, crop, flipped);
    if (pectoral) kept = removePectoral(kept, height, crop, flipped, pectoral);
  }

  // Pad on the right (away from the chest wall) and equally above and below.
  const s = Math.max(crop.width, crop.height);
  const padX = s - crop.width;
  const padY = s - crop.height;
  const padTop = Math.floor(padY / 2);
  const pad = { left: 0, top: padTop, right: padX, bottom: padY - padTop };

  let peak = 0;
  if (options.normalize === 'bit-depth') peak = top;
  else {
    for (let i = 0; i < kept.count; i++) {
      const row = kept.row[i]! * width;
      for (let x = row + kept.start[i]!, end = row + kept.end[i]!; x < end; x++) if (data[x]! > peak) peak = data[x]!;
    }
  }
  const inv = peak > 0 ? 1 / peak : 0;
  // Scaled value per grey level, rounded to float32 as the former full float plane stored it.
  const scaled = new Float32Array(brightest + 1);
  for (let v = 0; v <= brightest; v++) scaled[v] = Math.min(1, v * inv);

  const render = (size: number): { data: Float32Array; transform: PreprocessTransform } => {
    checkSize(size);
    const transform: PreprocessTransform = {
      original: { width, height },
      crop,
      flipped,
      flipReason,
      massSide,
      pad: { ...pad },
      squareSize: s,
      outputSize: size,
      scale: size / s,
    };
    // Row y of the padded, flipped, masked square: only the stretch the breast's runs span is
    // written (gaps zeroed); rows of pure padding, and crop rows without breast, are skipped.
    const out = areaResizeRows(s, s, size, size, (y, row, span) => {
      const iy = y - padTop + crop.y;
      if (iy < crop.y || iy >= crop.y + crop.height) return false;
      const first = kept.rowFirst[iy]!;
      const last = kept.rowFirst[iy + 1]! - 1;
      if (last < first) return false;
      const lo = kept.start[first]! - crop.x;
      const hi = kept.end[last]! - crop.x;
      // pad.left is 0: the square's column is the (possibly mirrored) crop column
      span.lo = flipped ? crop.width - hi : lo;
      span.hi = flipped ? crop.width - lo : hi;
      row.fill(0, span.lo, span.hi);
      const base = iy * width;
      for (let i = first; i <= last; i++) {
        const e = kept.end[i]!;
        if (flipped) {
          for (let x = kept.start[i]!, c = crop.width - 1 - (x - crop.x); x < e; x++, c--) row[c] = scaled[data[base + x]!]!;
        } else {
          for (let x = kept.start[i]!, c = x - crop.x; x < e; x++, c++) row[c] = scaled[data[base + x]!]!;
        }
      }
      return true;
    });
    return { data: out, transform };
  };
  const breast: Breast = { foundBreast: comp !== undefined, threshold, render, mask: () => paintRuns(kept, width, new Uint8Array(width * height)) };
  if (pectoral !== undefined) breast.pectoral = pectoral;
  return breast;
}

/**
 * The breast after cutting thin bridges: erode the foreground by a (2r + 1)-square, keep the
 * largest eroded component, and take back the foreground within 2r of it. A plain opening
 * (dilating by r) would also shave the breast's own thin parts, the skin line and nipple where
 * MIAS marks calcifications; reaching 2r restores those while a label joined by a strip stays
 * out unless it lies within 2r of the breast. When the erosion leaves nothing (a breast thinner
 * than the square), the plain largest component is used.
 */
function breastComponent(fg: Runs, width: number, height: number, r: number): { runs: Runs; comp: RunComponent | undefined } {
  const plain = () => ({ runs: fg, comp: largestRunComponent(fg, height) });
  if (r < 1) return plain();
  const eroded = erodeRuns(fg, width, height, r);
  const core = largestRunComponent(eroded, height);
  if (!core) return plain();
  const opened = intersectRuns(dilateRuns(eroded, width, height, 2 * r, core.runs), fg, height);
  let x0 = width;
  let x1 = -1;
  let area = 0;
  for (let i = 0; i < opened.count; i++) {
    x0 = Math.min(x0, opened.start[i]!);
    x1 = Math.max(x1, opened.end[i]! - 1);
    area += opened.end[i]! - opened.start[i]!;
  }
  const all = Int32Array.from({ length: opened.count }, (_, i) => i);
  return { runs: opened, comp: { runs: all, area, x0, x1, y0: opened.row[0]!, y1: opened.row[opened.count - 1]! } };
}

function wholeImage(width: number, height: number): Runs {
  const runs: Runs = { count: height, row: new Int32Array(height), start: new Int32Array(height), end: new Int32Array(height).fill(width), rowFirst: new Int32Array(height + 1) };
  for (let y = 0; y <= height; y++) runs.rowFirst[y] = y;
  for (let y = 0; y < height; y++) runs.row[y] = y;
  return runs;
}

/**
 * Compares breast pixel counts in the left and right halves of the crop. The centre column of
 * an odd-width crop counts for neither side: columns [0, floor(w/2)) are left, [ceil(w/2), w) right.
 */
function sideWithMoreBreast(kept: Runs, crop: Box): 'left' | 'right' {
  const leftEnd = Math.floor(crop.width / 2);
  const rightStart = Math.ceil(crop.width / 2);
  let left = 0;
  let right = 0;
  for (let i = 0; i < kept.count; i++) {
    const y = kept.row[i]!;
    if (y < crop.y || y >= crop.y + crop.height) continue;
    const a = Math.max(0, kept.start[i]! - crop.x);
    const b = Math.min(crop.width, kept.end[i]! - crop.x);
    left += Math.max(0, Math.min(b, leftEnd) - a);
    right += Math.max(0, b - Math.max(a, rightStart));
  }
  return right > left ? 'right' : 'left';
}
