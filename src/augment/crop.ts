/**
 * Random resized crop with flips, for a whole batch in one affine_grid + grid_sample call.
 *
 * Boxes follow torchvision's RandomResizedCrop.get_params: integer pixel boxes, area fraction
 * U[scale], aspect ratio exp(U[log ratio]), w = round(sqrt(A r)), h = round(sqrt(A / r)), up to
 * `attempts` tries, then the centre-crop fallback. All attempts of all images are drawn at once
 * and each image takes its first valid attempt: the same distribution as torchvision's loop
 * (attempts are independent), only the order in which the generator is consumed differs.
 */
import { F, tensor, type Generator, type Tensor } from '../tensor/index.js';
import type { CropConfig, FlipConfig } from './config.js';
import { uniforms } from './random.js';

/** A crop in input pixels, torchvision's (i, j, h, w). */
export interface CropBox {
  top: number;
  left: number;
  height: number;
  width: number;
}

export interface Flips {
  horizontal: boolean[];
  vertical: boolean[];
}

/** Draws one crop box per image for an H x W input. */
export function sampleCropBoxes(n: number, height: number, width: number, crop: CropConfig, generator: Generator): CropBox[] {
  const tries = crop.attempts;
  // Per image: `tries` (area, log-ratio) pairs, then two offsets.
  const stride = 2 * tries + 2;
  const u = uniforms(n * stride, generator);
  const area = height * width;
  const [s0, s1] = crop.scale;
  const [l0, l1] = [Math.log(crop.ratio[0]), Math.log(crop.ratio[1])];
  const boxes: CropBox[] = [];
  for (let k = 0; k < n; k++) {
    const base = k * stride;
    let h = 0;
    let w = 0;
    let found = false;
    for (let t = 0; t < tries && !found; t++) {
      const target = area * (s0 + (s1 - s0) * u[base + 2 * t]!);
      const aspect = Math.exp(l0 + (l1 - l0) * u[base + 2 * t + 1]!);
      // Python's round() is half-to-even; ties need an exact .5, which a continuous draw never gives.
      w = Math.round(Math.sqrt(target * aspect));
      h = Math.round(Math.sqrt(target / aspect));
      found = w > 0 && w <= width && h > 0 && h <= height;
    }
    if (found) {
      // torch.randint(0, H - h + 1) by inversion of a uniform draw.
      const top = Math.min(height - h, Math.floor(u[base + 2 * tries]! * (height - h + 1)));
      const left = Math.min(width - w, Math.floor(u[base + 2 * tries + 1]! * (width - w + 1)));
      boxes.push({ top, left, height: h, width: w });
    } else {
      boxes.push(centreFallback(height, width, crop.ratio));
    }
  }
  return boxes;
}

/** torchvision's fallback: the whole image, trimmed to the nearest allowed aspect ratio, centred. */
export function centreFallback(height: number, width: number, ratio: [number, number]): CropBox {
  const inRatio = width / height;
  let w = width;
  let h = height;
  if (inRatio < Math.min(...ratio)) h = Math.round(w / Math.min(...ratio));
  else if (inRatio > Math.max(...ratio)) w = Math.round(h * Math.max(...ratio));
  return { top: Math.floor((height - h) / 2), left: Math.floor((width - w) / 2), height: h, width: w };
}

/** Independent per-image flips. */
export function sampleFlips(n: number, flip: FlipConfig, generator: Generator): Flips {
  const u = uniforms(2 * n, generator);
  const horizontal: boolean[] = [];
  const vertical: boolean[] = [];
  for (let k = 0; k < n; k++) {
    horizontal.push(u[2 * k]! < flip.horizontal);
    vertical.push(u[2 * k + 1]! < flip.vertical);
  }
  return { horizontal, vertical };
}

/**
 * Affine matrices [N, 2, 3] mapping output coordinates in [-1, 1] to input coordinates
 * (align_corners=false: -1 and 1 are the outer pixel edges). A box [left, left + w) maps to
 * scale w / W and centre (2 left + w) / W - 1; a flip negates the scale, which mirrors the
 * output after cropping, as torchvision's crop-then-flip does.
 */
export function cropThetas(boxes: CropBox[], flips: Flips | null, height: number, width: number): Float32Array {
  const th = new Float32Array(boxes.length * 6);
  boxes.forEach((b, k) => {
    const fx = flips?.horizontal[k] ? -1 : 1;
    const fy = flips?.vertical[k] ? -1 : 1;
    th.set([(fx * b.width) / width, 0, (2 * b.left + b.width) / width - 1, 0, (fy * b.height) / height, (2 * b.top + b.height) / height - 1], 6 * k);
  });
  return th;
}

/**
 * Crops each image of x [N, C, H, W] to its box, flips it, and resizes it to size x size
 * bilinearly, in one grid_sample. Border padding makes a box on the image edge behave like
 * F.interpolate (edge pixels repeat). Inside the image, samples that fall just outside a box
 * (at most half an output pixel) blend in the real neighbouring pixels, where torchvision's
 * crop-then-resize repeats the box's edge row; no antialiasing, as torchvision 0.14 on tensors.
 */
export function resizedCrop(x: Tensor, boxes: CropBox[], flips: Flips | null, size: number): Tensor {
  const [n, c, height, width] = x.shape as [number, number, number, number];
  if (boxes.length !== n) throw new Error(`resizedCrop: ${boxes.length} boxes for a batch of ${n}`);
  const theta = tensor(cropThetas(boxes, flips, height, width), [n, 2, 3]);
  const grid = F.affineGrid(theta, [n, c, size, size], false);
  theta.dispose();
  const out = F.gridSample(x, grid, { mode: 'bilinear', padding: 'border', alignCorners: false });
  grid.dispose();
  return out;
}

/** Draws boxes and flips from `generator` and applies them. */
export function randomResizedCrop(x: Tensor, size: number, crop: CropConfig, flip: FlipConfig, generator: Generator): Tensor {
  const [n, , height, width] = x.shape as [number, number, number, number];
  const boxes = sampleCropBoxes(n, height, width, crop, generator);
  const flips = sampleFlips(n, flip, generator);
  return resizedCrop(x, boxes, flips, size);
}
