/**
 * Classic CAD descriptors of mammogram windows: the hand-crafted baseline a learned encoder has to
 * beat. Mass detectors before deep learning scored regions by their brightness against the breast
 * and their surround, by blob filters at several scales (the scale-normalised Laplacian of
 * Gaussian, Lindeberg 1998, "Feature detection with automatic scale selection") and found
 * calcification specks with a morphological white top-hat (Oliver et al. 2010, "A review of
 * automatic mass detection and segmentation in mammographic images", Med Image Anal 14(2)).
 * Scales follow the window: at the demo's 64 px windows the blob sigmas are 2, 4, 8 and 16 px
 * (0.8-6.4 mm of mini-MIAS at 512 px) and the top-hat removes what is narrower than 5 px.
 */
import { F, tensor, tidy, type Tensor } from '../tensor/index.js';
import { gaussianKernel1d } from '../augment/blur.js';
import { cropWindows, type PatchLocation, type PreparedPlanes } from '../data/patches.js';
import type { PatchFeatures } from './patch-features.js';

export const CLASSIC_FEATURE_NAMES = [
  'mean z', 'sd z', '90th percentile z', 'centre minus surround z',
  'blob sigma 1/32', 'blob sigma 1/16', 'blob sigma 1/8', 'blob sigma 1/4',
  'top-hat max', 'top-hat mean',
  'x in breast', 'y in breast', 'breast fraction',
] as const;

/** Blob-filter sigmas in pixels for a window side: size/32, size/16, size/8, size/4. */
export function blobSigmas(size: number): number[] {
  return [32, 16, 8, 4].map((d) => size / d);
}

/** Side of the top-hat's square structuring element: size/16 rounded up to odd (5 px for 64 px windows), at least 3. */
export function topHatSide(size: number): number {
  return Math.max(3, 2 * Math.floor(size / 32) + 1);
}

/** Sampled Gaussian (sum 1) and its second derivative (sum 0, so flat tissue gives no response), x = -4 sigma..4 sigma (3 sigma would lose 3 % of its second moment). */
export function gaussianAndSecondDerivative(sigma: number): { g: Float32Array; g2: Float32Array } {
  const r = Math.ceil(4 * sigma);
  const g = gaussianKernel1d(sigma, 2 * r + 1);
  const g2 = new Float64Array(2 * r + 1);
  for (let x = -r; x <= r; x++) g2[x + r] = (g[x + r]! * (x * x - sigma * sigma)) / sigma ** 4;
  const bias = g2.reduce((a, b) => a + b, 0);
  for (let i = 0; i < g2.length; i++) g2[i]! -= bias * g[i]!;
  return { g: Float32Array.from(g), g2: Float32Array.from(g2) };
}

/**
 * -sigma^2 (d2/dx2 + d2/dy2)(G_sigma * z) of images [N, 1, S, S]: bright blobs of radius about
 * sigma * sqrt(2) score highest. Reflection-padded, since the breast goes on past the chest wall
 * at the image's edge; a kernel as wide as the image or wider (a window as large as the image)
 * cannot be reflected and is zero-padded instead (z = 0 is the breast mean).
 */
export function scaleNormalisedLog(z: Tensor, sigma: number): Tensor {
  const { g, g2 } = gaussianAndSecondDerivative(sigma);
  const k = g.length;
  const r = (k - 1) / 2;
  return tidy(() => {
    const padded = r < Math.min(z.size(2), z.size(3)) ? F.reflectionPad2d(z, [r, r, r, r]) : F.pad(z, [r, r, r, r], 0);
    const along = (x: Tensor, w: Float32Array, axis: 'x' | 'y') => F.conv2d(x, tensor(w, axis === 'x' ? [1, 1, 1, k] : [1, 1, k, 1]));
    const dxx = along(along(padded, g2, 'x'), g, 'y');
    const dyy = along(along(padded, g, 'x'), g2, 'y');
    return dxx.add(dyy).mul(-(sigma * sigma));
  });
}

/** z minus its grey opening by a side x side square: what is brighter than its surroundings and narrower than the square. */
export function whiteTopHat(z: Tensor, side: number): Tensor {
  const r = (side - 1) / 2;
  return tidy(() => {
    const eroded = F.maxPool2d(z.neg(), side, { stride: 1, padding: r }).neg();
    const opened = F.maxPool2d(eroded, side, { stride: 1, padding: r });
    return z.sub(opened);
  });
}

interface ImageMaps {
  /** Breast pixels z-scored over the breast, 0 (the breast mean) outside. */
  z: Float32Array;
  breast: Uint8Array;
  blobs: Float32Array[];
  topHat: Float32Array;
  /** Breast extent: first and last column and row. */
  box: [number, number, number, number];
}

function imageMaps(planes: PreparedPlanes, image: number, size: number): ImageMaps {
  const s = planes.size;
  const pixels = cropWindows(planes, [{ image, x: 0, y: 0 }], s);
  const breast = new Uint8Array(s * s);
  let n = 0;
  let sum = 0;
  let sq = 0;
  const box: [number, number, number, number] = [s, -1, s, -1];
  for (let i = 0; i < s * s; i++) {
    const v = pixels[i]!;
    if (v === 0) continue;
    breast[i] = 1;
    n++;
    sum += v;
    sq += v * v;
    const x = i % s;
    const y = (i - x) / s;
    box[0] = Math.min(box[0], x);
    box[1] = Math.max(box[1], x);
    box[2] = Math.min(box[2], y);
    box[3] = Math.max(box[3], y);
  }
  if (n === 0) throw new Error(`image ${image}: no breast pixels (an empty prepared image)`);
  const mean = sum / n;
  const sd = Math.sqrt(Math.max(sq / n - mean * mean, 0)) || 1;
  const z = new Float32Array(s * s);
  for (let i = 0; i < s * s; i++) if (breast[i]) z[i] = (pixels[i]! - mean) / sd;
  const zt = tensor(z, [1, 1, s, s]);
  try {
    const read = (t: Tensor): Float32Array => {
      const a = t.toFloat32Array();
      t.dispose();
      return a;
    };
    return { z, breast, box, blobs: blobSigmas(size).map((sigma) => read(scaleNormalisedLog(zt, sigma))), topHat: read(whiteTopHat(zt, topHatSide(size))) };
  } finally {
    zt.dispose();
  }
}

/** The descriptors of one window (top-left x, y, side size) from its image's maps, in CLASSIC_FEATURE_NAMES order. */
function describe(m: ImageMaps, s: number, p: PatchLocation, size: number, out: Float32Array, at: number, scratch: Float32Array): void {
  const c0 = size / 4;
  const c1 = size - size / 4;
  let n = 0;
  let sum = 0;
  let sq = 0;
  let centreN = 0;
  let centreSum = 0;
  let hatSum = 0;
  let hatMax = -Infinity;
  const blobMax = m.blobs.map(() => -Infinity);
  for (let v = 0; v < size; v++) {
    const row = (p.y + v) * s + p.x;
    for (let u = 0; u < size; u++) {
      const i = row + u;
      if (!m.breast[i]) continue;
      const z = m.z[i]!;
      scratch[n++] = z;
      sum += z;
      sq += z * z;
      hatSum += m.topHat[i]!;
      if (u >= c0 && u < c1 && v >= c0 && v < c1) {
        centreN++;
        centreSum += z;
        hatMax = Math.max(hatMax, m.topHat[i]!);
        for (let k = 0; k < m.blobs.length; k++) blobMax[k] = Math.max(blobMax[k]!, m.blobs[k]![i]!);
      }
    }
  }
  if (n === 0) throw new Error(`window (${p.x}, ${p.y}) of image ${p.image}: no breast pixels`);
  const mean = sum / n;
  const sorted = scratch.subarray(0, n).sort();
  const surroundN = n - centreN;
  const f = [
    mean,
    Math.sqrt(Math.max(sq / n - mean * mean, 0)),
    sorted[Math.min(n - 1, Math.floor(0.9 * n))]!,
    centreN && surroundN ? centreSum / centreN - (sum - centreSum) / surroundN : 0,
    ...blobMax.map((x) => (Number.isFinite(x) ? x : 0)),
    Number.isFinite(hatMax) ? hatMax : 0,
    hatSum / n,
    (p.x + size / 2 - m.box[0]) / (m.box[1] - m.box[0] + 1),
    (p.y + size / 2 - m.box[2]) / (m.box[3] - m.box[2] + 1),
    n / (size * size),
  ];
  out.set(f, at);
}

/** Descriptors [locations, 13] of size x size windows, in order; each image's filter maps are computed once. */
export function classicWindowFeatures(planes: PreparedPlanes, locations: readonly PatchLocation[], size: number): PatchFeatures {
  const dims = CLASSIC_FEATURE_NAMES.length;
  const values = new Float32Array(locations.length * dims);
  const byImage = new Map<number, number[]>();
  locations.forEach((p, k) => {
    if (p.x < 0 || p.y < 0 || p.x + size > planes.size || p.y + size > planes.size) throw new RangeError(`window (${p.x}, ${p.y}) of ${size} px leaves the ${planes.size} px image`);
    const rows = byImage.get(p.image);
    if (rows) rows.push(k);
    else byImage.set(p.image, [k]);
  });
  const scratch = new Float32Array(size * size);
  for (const [image, rows] of byImage) {
    const maps = imageMaps(planes, image, size);
    for (const k of rows) describe(maps, planes.size, locations[k]!, size, values, k * dims, scratch);
  }
  return { values, rows: locations.length, dims };
}
