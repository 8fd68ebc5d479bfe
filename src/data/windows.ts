/**
 * The window geometry of detection on prepared images, free of the tensor layer so the browser
 * viewer runs the very same code: the breast mask and its summed-area tables, the sliding-window
 * grid over the breast, window crops as float32 and the window-score heatmap. src/data/patches.ts
 * builds the training patches and tensors on top of it.
 */
import { fromHalfBits } from './cache/float16.js';

/** A window of a prepared image: its top-left corner, in prepared pixels. */
export interface PatchLocation {
  /** Row of the prepared images tensor. */
  image: number;
  x: number;
  y: number;
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

  /** From a prepared float16 tensor [N, 1, S, S] (typed by shape: this module loads no tensor engine). */
  static fromTensor(images: { shape: readonly number[]; dtype: string; data(): unknown }): PreparedPlanes {
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

/** Throws unless a size px window with this stride fits the planes. */
export function checkWindow(planes: PreparedPlanes, size: number, stride: number): void {
  if (!Number.isInteger(size) || size < 8 || size > planes.size) throw new Error(`patch size must be an integer in 8..${planes.size}, got ${size}`);
  if (!Number.isInteger(stride) || stride < 1) throw new Error(`stride must be a positive integer, got ${stride}`);
}

/** Centre of a window, in prepared pixels (pixel centres at integers). */
export function windowCentre(p: PatchLocation, size: number): { x: number; y: number } {
  return { x: p.x + (size - 1) / 2, y: p.y + (size - 1) / 2 };
}

/**
 * Cuts windows out of the planes as float32 [M, outSize, outSize], area-averaging by an integer
 * factor when outSize < size (a 64 px window at 512 px seen at 32 px input is the same tissue at
 * 0.8 mm per pixel).
 */
export function cropWindows(planes: PreparedPlanes, locations: readonly PatchLocation[], size: number, outSize = size): Float32Array {
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
  return out;
}

/** Every float16 bit pattern's value, once: cropping reads millions of pixels. */
const HALF_TABLE = Float32Array.from({ length: 65536 }, (_, h) => fromHalfBits(h));

function halfToFloat(bits: number): number {
  return HALF_TABLE[bits]!;
}

/**
 * The window-score heatmap over the prepared square (side^2): at a pixel, the mean probability
 * of the windows covering it; 0 where no window reached.
 */
export function windowHeatmap(windows: readonly PatchLocation[], probabilities: ArrayLike<number>, size: number, side: number): Float32Array {
  const sum = new Float32Array(side * side);
  const count = new Float32Array(side * side);
  windows.forEach((w, i) => {
    for (let y = w.y; y < w.y + size; y++) {
      for (let x = w.x; x < w.x + size; x++) {
        sum[y * side + x]! += probabilities[i]!;
        count[y * side + x]! += 1;
      }
    }
  });
  return sum.map((v, i) => (count[i]! > 0 ? v / count[i]! : 0));
}
