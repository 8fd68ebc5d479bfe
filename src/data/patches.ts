/**
 * Patches of prepared mammograms: where lesions are visible. A 10 mm mass is one or two pixels
 * of a 32 px whole mammogram but 25 pixels of a 512 px one, so detection works on windows of a
 * high-resolution prepared file (Shen et al. 2019, "Deep learning to improve breast cancer
 * detection on screening mammography": a patch classifier first, whole-image scores from it).
 *
 * Everything here works on the prepared planes' float16 bits in memory (one copy per crop, no
 * tensor per window) and is seeded: the same seed gives the same patches.
 */
import { tensor, type Tensor } from '../tensor/index.js';
import type { Lesion } from './records.js';
import { createRng, type Seed } from './rng.js';
import { fromHalfBits } from './cache/float16.js';

/** A window of a prepared image: its top-left corner, in prepared pixels. */
export interface PatchLocation {
  /** Row of the prepared images tensor. */
  image: number;
  x: number;
  y: number;
}

export interface LabeledPatch extends PatchLocation {
  /** 1 = centred on an annotated lesion, 0 = breast tissue away from every lesion. */
  label: 0 | 1;
}

/**
 * The prepared images of one file as float16 bits [N, S, S] with, per image, a summed-area table
 * of the breast mask. Prepared images are zero outside the breast (prepare removes labels and
 * markers with the largest-component mask), so the mask is "value > 0".
 */
export class PreparedPlanes {
  readonly count: number;
  readonly size: number;
  private readonly integrals: Int32Array[] = [];

  constructor(readonly bits: Uint16Array, count: number, size: number) {
    if (bits.length !== count * size * size) throw new Error(`planes: ${bits.length} values, expected ${count} x ${size} x ${size}`);
    this.count = count;
    this.size = size;
  }

  /** From a prepared float16 tensor [N, 1, S, S]. */
  static fromTensor(images: Tensor): PreparedPlanes {
    const [n, c, h, w] = images.shape as [number, number, number, number];
    if (images.dtype !== 'float16' || c !== 1 || h !== w) throw new Error(`planes need float16 [N, 1, S, S] images, got ${images.dtype} [${images.shape.join(', ')}]`);
    return new PreparedPlanes(images.data() as Uint16Array, n, h);
  }

  /** Summed-area table of the breast mask of one image, (S+1)^2, built on first use. */
  private integral(image: number): Int32Array {
    let t = this.integrals[image];
    if (t) return t;
    const s = this.size;
    t = new Int32Array((s + 1) * (s + 1));
    const base = image * s * s;
    for (let y = 0; y < s; y++) {
      let row = 0;
      for (let x = 0; x < s; x++) {
        // float16 bits: 0x0000 is +0, 0x8000 is -0; anything else in [0, 1] is breast.
        if ((this.bits[base + y * s + x]! & 0x7fff) !== 0) row++;
        t[(y + 1) * (s + 1) + x + 1] = t[y * (s + 1) + x + 1]! + row;
      }
    }
    this.integrals[image] = t;
    return t;
  }

  /** Fraction of a size x size window (top-left x, y) that is breast. */
  breastFraction(image: number, x: number, y: number, size: number): number {
    const t = this.integral(image);
    const w = this.size + 1;
    const x1 = x + size;
    const y1 = y + size;
    return (t[y1 * w + x1]! - t[y * w + x1]! - t[y1 * w + x]! + t[y * w + x]!) / (size * size);
  }

  /** True when pixel (x, y) of an image is breast. */
  isBreast(image: number, x: number, y: number): boolean {
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (xi < 0 || yi < 0 || xi >= this.size || yi >= this.size) return false;
    return (this.bits[image * this.size * this.size + yi * this.size + xi]! & 0x7fff) !== 0;
  }
}

export interface WindowOptions {
  /** Window side in prepared pixels. */
  size: number;
  /** Step between windows; default size / 2. */
  stride?: number;
  /** Least breast fraction of a window to keep it (default 0.5). */
  minBreast?: number;
}

/**
 * The sliding-window grid over the breast of one image: every window whose breast fraction is
 * at least minBreast, row by row. The last row and column are moved in to end at the border so
 * the whole breast is covered.
 */
export function breastWindows(planes: PreparedPlanes, image: number, o: WindowOptions): PatchLocation[] {
  const { size } = o;
  const stride = o.stride ?? Math.max(1, Math.floor(size / 2));
  const minBreast = o.minBreast ?? 0.5;
  checkWindow(planes, size, stride);
  const starts = gridStarts(planes.size, size, stride);
  const out: PatchLocation[] = [];
  for (const y of starts) for (const x of starts) if (planes.breastFraction(image, x, y, size) >= minBreast) out.push({ image, x, y });
  return out;
}

function gridStarts(side: number, size: number, stride: number): number[] {
  const starts: number[] = [];
  for (let s = 0; s + size <= side; s += stride) starts.push(s);
  if (starts[starts.length - 1]! + size < side) starts.push(side - size);
  return starts;
}

function checkWindow(planes: PreparedPlanes, size: number, stride: number): void {
  if (!Number.isInteger(size) || size < 8 || size > planes.size) throw new Error(`patch size must be an integer in 8..${planes.size}, got ${size}`);
  if (!Number.isInteger(stride) || stride < 1) throw new Error(`stride must be a positive integer, got ${stride}`);
}

/** Centre of a window, in prepared pixels (pixel centres at integers). */
export function windowCentre(p: PatchLocation, size: number): { x: number; y: number } {
  return { x: p.x + (size - 1) / 2, y: p.y + (size - 1) / 2 };
}

function clampCorner(v: number, size: number, side: number): number {
  return Math.min(side - size, Math.max(0, Math.round(v)));
}

export interface TissueSampleOptions {
  size: number;
  /** Patches to draw in all. */
  count: number;
  minBreast?: number;
  seed: Seed;
}

/**
 * Random breast-tissue windows from the given images (for SimCLR, which needs no labels):
 * images are taken in turn, each window placed uniformly and redrawn until it holds enough
 * breast (an image that yields none in 50 tries is skipped).
 */
export function sampleTissuePatches(planes: PreparedPlanes, images: readonly number[], o: TissueSampleOptions): PatchLocation[] {
  checkWindow(planes, o.size, 1);
  const rng = createRng(o.seed, 'tissue-patches');
  const minBreast = o.minBreast ?? 0.5;
  const out: PatchLocation[] = [];
  const span = planes.size - o.size + 1;
  const barren = new Set<number>();
  // Count distinct images: one listed twice must not keep the search going once it is barren.
  const distinct = new Set(images).size;
  for (let i = 0; out.length < o.count && barren.size < distinct; i++) {
    const image = images[i % images.length]!;
    if (barren.has(image)) continue;
    let placed = false;
    for (let t = 0; t < 50 && !placed; t++) {
      const x = Math.floor(rng.next() * span);
      const y = Math.floor(rng.next() * span);
      if (planes.breastFraction(image, x, y, o.size) >= minBreast) {
        out.push({ image, x, y });
        placed = true;
      }
    }
    if (!placed) barren.add(image);
  }
  return out;
}

export interface LesionPatchOptions {
  size: number;
  /** Jittered copies per lesion (default 8); the first is exactly centred. */
  perLesion?: number;
  /** Largest shift of the centre, as a fraction of the window (default 0.25), capped by the lesion radius when it has one. */
  jitter?: number;
  seed: Seed;
}

/**
 * Lesion-centred positives: for each annotated lesion whose centre is on the breast, windows
 * centred on it with a random shift of at most min(radius, jitter * size) pixels.
 */
export function lesionPatches(planes: PreparedPlanes, lesions: readonly (readonly Lesion[])[], images: readonly number[], o: LesionPatchOptions): LabeledPatch[] {
  checkWindow(planes, o.size, 1);
  const rng = createRng(o.seed, 'lesion-patches');
  const per = o.perLesion ?? 8;
  const jitter = o.jitter ?? 0.25;
  const out: LabeledPatch[] = [];
  for (const image of images) {
    for (const l of lesions[image] ?? []) {
      if (!planes.isBreast(image, l.x, l.y)) continue;
      const reach = Math.min(jitter * o.size, l.radius ?? Infinity);
      for (let k = 0; k < per; k++) {
        const dx = k === 0 ? 0 : (2 * rng.next() - 1) * reach;
        const dy = k === 0 ? 0 : (2 * rng.next() - 1) * reach;
        const x = clampCorner(l.x + dx - (o.size - 1) / 2, o.size, planes.size);
        const y = clampCorner(l.y + dy - (o.size - 1) / 2, o.size, planes.size);
        out.push({ image, x, y, label: 1 });
      }
    }
  }
  return out;
}

/**
 * True when a window's centre is at least (radius + size / 2) from every lesion centre, so no
 * annotated lesion reaches the window's central part. Lesions without a radius count as a
 * point with radius 0.
 */
export function farFromLesions(p: PatchLocation, size: number, lesions: readonly Lesion[]): boolean {
  const c = windowCentre(p, size);
  return lesions.every((l) => Math.hypot(c.x - l.x, c.y - l.y) >= (l.radius ?? 0) + size / 2);
}

/**
 * True when a window's centre lies within (radius + tolerance) of an annotated lesion: the
 * windows a detector should mark.
 */
export function onLesion(p: PatchLocation, size: number, lesions: readonly Lesion[], tolerance = 0): boolean {
  const c = windowCentre(p, size);
  return lesions.some((l) => Math.hypot(c.x - l.x, c.y - l.y) <= (l.radius ?? 0) + tolerance);
}

/**
 * Cuts windows out of the planes into a float32 tensor [M, 1, out, out], area-averaging by an
 * integer factor when out < size (a 64 px window at 512 px seen at 32 px input is the same
 * tissue at 0.8 mm per pixel).
 */
export function cropPatches(planes: PreparedPlanes, locations: readonly PatchLocation[], size: number, outSize = size): Tensor {
  const factor = size / outSize;
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`patch size ${size} must be a whole multiple of the input size ${outSize}`);
  const s = planes.size;
  const out = new Float32Array(locations.length * outSize * outSize);
  const inv = 1 / (factor * factor);
  locations.forEach((p, m) => {
    // A fractional corner or a missing image would read undefined bits and crop NaNs silently.
    if (!Number.isInteger(p.x) || !Number.isInteger(p.y) || !Number.isInteger(p.image) || p.image < 0 || p.image >= planes.count) {
      throw new RangeError(`window (${p.x}, ${p.y}) of image ${p.image}: corner and image must be whole and the image one of ${planes.count}`);
    }
    if (p.x < 0 || p.y < 0 || p.x + size > s || p.y + size > s) throw new RangeError(`window (${p.x}, ${p.y}) of ${size} px leaves the ${s} px image`);
    const base = p.image * s * s;
    const o = m * outSize * outSize;
    for (let v = 0; v < outSize; v++) {
      for (let u = 0; u < outSize; u++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++) {
          const row = base + (p.y + v * factor + dy) * s + p.x + u * factor;
          for (let dx = 0; dx < factor; dx++) sum += halfToFloat(planes.bits[row + dx]!);
        }
        out[o + v * outSize + u] = sum * inv;
      }
    }
  });
  return tensor(out, [locations.length, 1, outSize, outSize]);
}

/** Every float16 bit pattern's value, once: cropping reads millions of pixels. */
const HALF_TABLE = Float32Array.from({ length: 65536 }, (_, h) => fromHalfBits(h));

function halfToFloat(bits: number): number {
  return HALF_TABLE[bits]!;
}
