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
import { PreparedPlanes, checkWindow, cropWindows, windowCentre, type PatchLocation } from './windows.js';

export { PreparedPlanes, breastWindows, cropWindows, windowCentre, windowHeatmap, type PatchLocation, type WindowOptions } from './windows.js';

export interface LabeledPatch extends PatchLocation {
  /** 1 = centred on an annotated lesion, 0 = breast tissue away from every lesion. */
  label: 0 | 1;
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
 * integer factor when out < size (cropWindows as a tensor).
 */
export function cropPatches(planes: PreparedPlanes, locations: readonly PatchLocation[], size: number, outSize = size): Tensor {
  return tensor(cropWindows(planes, locations, size, outSize), [locations.length, 1, outSize, outSize]);
}
