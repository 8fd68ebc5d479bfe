import type { Box } from './components.js';
import { areaResizeRows } from './resize.js';

/**
 * The geometry that took an original image to the model input: crop, optional horizontal flip,
 * pad to square, uniform scale. Plain data (JSON-serialisable, so it can be cached beside the
 * tensor); the functions below map points, radii and whole planes through it in both directions.
 *
 * Coordinates are pixel indices (column x, row y, top-left origin) that may be fractional; the
 * centre of pixel (i, j) is (i, j). A lesion given at pixel (x, y) of the original lands at the
 * fractional output pixel toOutput(...) returns.
 */
export interface PreprocessTransform {
  original: { width: number; height: number };
  /** The breast's bounding box in the original image. */
  crop: Box;
  /** True when the crop was mirrored left-right so that the chest wall is on the left. */
  flipped: boolean;
  /** What decided the flip: the record's laterality, the side with more breast, or nothing found. */
  flipReason: 'laterality' | 'mass' | 'none';
  /** The side of the crop holding more breast pixels before any flip (the chest-wall side). */
  massSide: 'left' | 'right';
  /** Zero padding added after the flip to make the crop square. */
  pad: { left: number; top: number; right: number; bottom: number };
  /** Side of the padded square, in original pixels. */
  squareSize: number;
  outputSize: number;
  /** Output pixels per original pixel. */
  scale: number;
}

export interface Point {
  x: number;
  y: number;
  radius?: number;
}

/** Original pixel coordinates -> output pixel coordinates (radius scaled by `scale`). */
export function toOutput(t: PreprocessTransform, p: Point): Point {
  // Work on continuous coordinates (pixel centre = index + 0.5) so flips and scales are exact.
  let u = p.x + 0.5 - t.crop.x;
  const v = p.y + 0.5 - t.crop.y;
  if (t.flipped) u = t.crop.width - u;
  const out: Point = {
    x: (u + t.pad.left) * t.scale - 0.5,
    y: (v + t.pad.top) * t.scale - 0.5,
  };
  if (p.radius !== undefined) out.radius = p.radius * t.scale;
  return out;
}

/** Output pixel coordinates -> original pixel coordinates; the inverse of toOutput. */
export function toOriginal(t: PreprocessTransform, p: Point): Point {
  let u = (p.x + 0.5) / t.scale - t.pad.left;
  const v = (p.y + 0.5) / t.scale - t.pad.top;
  if (t.flipped) u = t.crop.width - u;
  const out: Point = { x: u + t.crop.x - 0.5, y: v + t.crop.y - 0.5 };
  if (p.radius !== undefined) out.radius = p.radius / t.scale;
  return out;
}

/** True when an output point lies on the output grid. */
export function insideOutput(t: PreprocessTransform, p: Point): boolean {
  return p.x >= -0.5 && p.y >= -0.5 && p.x < t.outputSize - 0.5 && p.y < t.outputSize - 0.5;
}

/**
 * Applies the geometry (crop, flip, pad, area resize) to any plane of the original size: a
 * lesion mask, a density map. Returns outputSize^2 floats; a 0/1 mask becomes the fraction of
 * each output pixel it covers.
 */
export function warpToOutput(t: PreprocessTransform, plane: ArrayLike<number>): Float32Array {
  const { crop, pad, squareSize: s } = t;
  if (plane.length !== t.original.width * t.original.height) {
    throw new Error(`plane has ${plane.length} values, expected ${t.original.width}x${t.original.height}`);
  }
  // The padded square is produced row by row (never built whole): pad rows are zeros.
  return areaResizeRows(s, s, t.outputSize, t.outputSize, (y, row) => {
    const cy = y - pad.top;
    if (cy < 0 || cy >= crop.height) return false;
    row.fill(0);
    const srcRow = (crop.y + cy) * t.original.width + crop.x;
    for (let x = 0; x < crop.width; x++) {
      const sx = t.flipped ? crop.width - 1 - x : x;
      row[pad.left + x] = plane[srcRow + sx]!;
    }
    return true;
  });
}

/**
 * Maps an output-resolution map (a Grad-CAM heatmap) back onto the original image: bilinear
 * sampling at each original pixel's output position, 0 outside the crop. Returns
 * original.width * original.height floats, so it can be overlaid on the full mammogram.
 */
export function heatmapToOriginal(t: PreprocessTransform, map: ArrayLike<number>, mapSize = t.outputSize): Float32Array {
  if (map.length !== mapSize * mapSize) throw new Error(`heatmap has ${map.length} values, expected ${mapSize}^2`);
  const { width, height } = t.original;
  const out = new Float32Array(width * height);
  // A coarser map (a 4x4 layer4 CAM) covers the same square as the output grid.
  const k = mapSize / t.outputSize;
  const { crop } = t;
  for (let y = crop.y; y < crop.y + crop.height; y++) {
    for (let x = crop.x; x < crop.x + crop.width; x++) {
      const o = toOutput(t, { x, y });
      const mx = Math.min(mapSize - 1, Math.max(0, (o.x + 0.5) * k - 0.5));
      const my = Math.min(mapSize - 1, Math.max(0, (o.y + 0.5) * k - 0.5));
      const x0 = Math.floor(mx);
      const y0 = Math.floor(my);
      const x1 = Math.min(mapSize - 1, x0 + 1);
      const y1 = Math.min(mapSize - 1, y0 + 1);
      const fx = mx - x0;
      const fy = my - y0;
      const top = map[y0 * mapSize + x0]! * (1 - fx) + map[y0 * mapSize + x1]! * fx;
      const bottom = map[y1 * mapSize + x0]! * (1 - fx) + map[y1 * mapSize + x1]! * fx;
      out[y * width + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}
