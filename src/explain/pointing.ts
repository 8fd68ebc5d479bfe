/**
 * The pointing game (Zhang et al., ECCV 2016, "Top-down Neural Attention by Excitation
 * Backprop"), scored with TorchRay's rule (facebookresearch/TorchRay,
 * torchray/benchmark/pointing_game.py): the map's maximum is a hit when some lesion pixel lies
 * strictly within `tolerance` pixels of it; accuracy = mean over classes of hits/(hits+misses).
 *
 * Resolution: the tolerance is in pixels of the grid the map and the lesion region are given on.
 * TorchRay's default is 15 px at the original image's resolution, so map a network-input heatmap
 * to the original first (transform.ts heatmapToOriginal) and give lesions in original pixels.
 * On a 1024 px mini-MIAS image 15 px is 3 mm; at a 32 px network input the same 15 px is
 * 15 * transform.scale (about 0.5 px). Chance is reported beside every accuracy: the fraction of
 * the breast (or image) where a uniformly placed maximum would count as a hit.
 */

export const DEFAULT_TOLERANCE = 15;

/** A lesion as a circle (mini-MIAS centre and radius, in pixels of the map's grid). */
export interface LesionCircle {
  x: number;
  y: number;
  radius?: number;
}

export interface PointingCase {
  /** Row-major saliency of width x height. */
  map: ArrayLike<number>;
  width: number;
  height: number;
  /** The class the map explains; accuracy is averaged over classes. */
  label: string | number;
  /** Lesion pixels (1 = lesion), width x height; or give `lesions`. */
  mask?: ArrayLike<number>;
  lesions?: LesionCircle[];
  /** The breast region for the chance level (default: the whole image). */
  breast?: ArrayLike<number>;
}

export interface PointingOutcome {
  hit: boolean;
  /** The map's maximum (first in row-major order on ties, as np.argmax). */
  point: { x: number; y: number };
  /** Fraction of the breast within tolerance of the lesion: the hit rate of a random point. */
  chance: number;
}

export interface PointingClassScore {
  hits: number;
  misses: number;
  accuracy: number;
  /** Mean chance level over this class's images. */
  chance: number;
}

export interface PointingScore {
  /** Mean over classes of hits / max(hits + misses, 1). */
  accuracy: number;
  /** Mean over classes of the per-class chance level. */
  chance: number;
  tolerance: number;
  perClass: Record<string, PointingClassScore>;
  /** Images with no lesion pixel (normals): not scored, as TorchRay skips absent classes. */
  skipped: number;
}

/** Row-major argmax, first index on ties. */
export function argmax2d(map: ArrayLike<number>, width: number): { x: number; y: number } {
  let best = 0;
  for (let i = 1; i < map.length; i++) if (map[i]! > map[best]!) best = i;
  return { x: best % width, y: Math.floor(best / width) };
}

/** Circles rasterised to a mask: pixel (i, j) is inside when its centre is within radius (radius 0: the centre pixel). */
export function circlesToMask(circles: LesionCircle[], width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (const c of circles) {
    const r = Math.max(0, c.radius ?? 0);
    const x0 = Math.max(0, Math.floor(c.x - r));
    const x1 = Math.min(width - 1, Math.ceil(c.x + r));
    const y0 = Math.max(0, Math.floor(c.y - r));
    const y1 = Math.min(height - 1, Math.ceil(c.y + r));
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) if ((x - c.x) ** 2 + (y - c.y) ** 2 <= r * r) mask[y * width + x] = 1;
    const cx = Math.round(c.x);
    const cy = Math.round(c.y);
    if (cx >= 0 && cy >= 0 && cx < width && cy < height) mask[cy * width + cx] = 1;
  }
  return mask;
}

/**
 * Pixels with some lesion pixel strictly within tolerance ((x-u)^2 + (y-v)^2 < tol^2).
 * Only boundary pixels of the region need stamping: any point near the region is near its edge.
 */
export function acceptRegion(mask: ArrayLike<number>, width: number, height: number, tolerance: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const t2 = tolerance * tolerance;
  const r = Math.ceil(tolerance);
  const offsets: [number, number][] = [];
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy < t2) offsets.push([dx, dy]);
  const on = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < width && y < height && mask[y * width + x]! > 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!on(x, y)) continue;
      out[y * width + x] = 1;
      if (on(x - 1, y) && on(x + 1, y) && on(x, y - 1) && on(x, y + 1)) continue;
      for (const [dx, dy] of offsets) {
        const u = x + dx;
        const v = y + dy;
        if (u >= 0 && v >= 0 && u < width && v < height) out[v * width + u] = 1;
      }
    }
  }
  return out;
}

function regionOf(c: PointingCase): ArrayLike<number> {
  const n = c.width * c.height;
  if (c.map.length !== n) throw new Error(`map has ${c.map.length} values, expected ${c.width}x${c.height}`);
  if (c.mask) {
    if (c.mask.length !== n) throw new Error(`mask has ${c.mask.length} values, expected ${c.width}x${c.height}`);
    return c.mask;
  }
  return circlesToMask(c.lesions ?? [], c.width, c.height);
}

// One image of the pointing game: hit = any lesion pixel with (x-u)^2+(y-v)^2 < tol^2 (TorchRay);
// chance = |accept ∩ breast| / |breast|.
export function pointingOutcome(c: PointingCase, tolerance = DEFAULT_TOLERANCE): PointingOutcome | null {
  const region = regionOf(c);
  let any = false;
  for (let i = 0; i < region.length && !any; i++) any = region[i]! > 0;
  if (!any) return null;
  const accept = acceptRegion(region, c.width, c.height, tolerance);
  const point = argmax2d(c.map, c.width);
  let area = 0;
  let inside = 0;
  for (let i = 0; i < accept.length; i++) {
    if (c.breast && !(c.breast[i]! > 0)) continue;
    area++;
    inside += accept[i]!;
  }
  return { hit: accept[point.y * c.width + point.x] === 1, point, chance: area > 0 ? inside / area : 0 };
}

/** Scores many images: accuracy per class, averaged over classes, with the chance level beside it. */
export function pointingGame(cases: PointingCase[], o: { tolerance?: number } = {}): PointingScore {
  const tolerance = o.tolerance ?? DEFAULT_TOLERANCE;
  const acc = new Map<string, { hits: number; misses: number; chanceSum: number }>();
  let skipped = 0;
  for (const c of cases) {
    const r = pointingOutcome(c, tolerance);
    if (!r) {
      skipped++;
      continue;
    }
    const key = String(c.label);
    const s = acc.get(key) ?? { hits: 0, misses: 0, chanceSum: 0 };
    if (r.hit) s.hits++;
    else s.misses++;
    s.chanceSum += r.chance;
    acc.set(key, s);
  }
  const perClass: Record<string, PointingClassScore> = {};
  for (const [k, s] of acc) {
    const n = s.hits + s.misses;
    perClass[k] = { hits: s.hits, misses: s.misses, accuracy: s.hits / Math.max(n, 1), chance: s.chanceSum / Math.max(n, 1) };
  }
  const scores = Object.values(perClass);
  const mean = (f: (s: PointingClassScore) => number): number => (scores.length ? scores.reduce((a, s) => a + f(s), 0) / scores.length : 0);
  return { accuracy: mean((s) => s.accuracy), chance: mean((s) => s.chance), tolerance, perClass, skipped };
}
