/**
 * Localisation of a patch classifier slid over prepared (square, S x S) mammograms: each window
 * has a centre in prepared-image pixels and a lesion probability; lesions are circles in the
 * same pixels. Two measures:
 *  - top-location hits: is the single best window on a lesion? (with its chance level);
 *  - FROC: lesion sensitivity against false positives per image over all score thresholds.
 * A point is on a lesion when its distance to the lesion centre is <= radius + tolerance
 * (a lesion without a radius is a point).
 */
import { wilsonInterval, type ProportionInterval } from './wilson.js';
import { clustersOf, forEachClusterResample, quantileSorted, type BootstrapInterval } from './bootstrap.js';

export interface ScoreWindow {
  /** Window centre, column, in prepared-image pixels. */
  x: number;
  /** Window centre, row. */
  y: number;
  /** The patch classifier's lesion probability (any monotone score works). */
  score: number;
}

/** The window scores of one image. */
export interface ScoreMap {
  image: string;
  patientId: string;
  windows: ScoreWindow[];
}

export interface LesionCircle {
  x: number;
  y: number;
  radius?: number;
}

/** Lesions by image id; images that are absent or have an empty list are normal. */
export type LesionsById = ReadonlyMap<string, readonly LesionCircle[]> | Readonly<Record<string, readonly LesionCircle[]>>;

export function lesionsOf(lesionsById: LesionsById, image: string): readonly LesionCircle[] {
  if (lesionsById instanceof Map) return lesionsById.get(image) ?? [];
  return Object.prototype.hasOwnProperty.call(lesionsById, image) ? (lesionsById as Record<string, readonly LesionCircle[]>)[image]! : [];
}

export function onLesion(p: { x: number; y: number }, lesion: LesionCircle, tolerance: number): boolean {
  const reach = (lesion.radius ?? 0) + tolerance;
  return (p.x - lesion.x) ** 2 + (p.y - lesion.y) ** 2 <= reach * reach;
}

function onAnyLesion(p: { x: number; y: number }, lesions: readonly LesionCircle[], tolerance: number): boolean {
  return lesions.some((l) => onLesion(p, l, tolerance));
}

function checkTolerance(tolerance: number): void {
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) throw new Error(`tolerance must be a finite number >= 0, got ${tolerance}`);
}

/** Index of the highest score; the first window on ties (as numpy argmax), so the result does not depend on float noise in ordering. */
export function bestWindow(windows: readonly ScoreWindow[]): number {
  let best = 0;
  for (let i = 1; i < windows.length; i++) if (windows[i]!.score > windows[best]!.score) best = i;
  return best;
}

// ---------------------------------------------------------------------------------------------
// Top-location hits

export interface TopLocationImage {
  image: string;
  hit: boolean;
  /** The best window's centre. */
  point: { x: number; y: number };
  /** Fraction of this image's windows whose centre is on a lesion: the hit rate of a random window. */
  chance: number;
}

export interface TopLocationHits {
  hits: number;
  /** Images with at least one lesion (normal images are not scored). */
  n: number;
  /** hits / n with a Wilson 95 % interval. */
  rate: ProportionInterval;
  /** Mean over the scored images of their chance level. */
  chance: number;
  /** rate / chance (NaN when chance is 0). */
  ratio: number;
  tolerance: number;
  perImage: TopLocationImage[];
}

// hit_i = [best window of image i is within r + tol of a lesion]; chance_i = |windows on a lesion| / |windows|;
// the pointing game (Zhang et al., ECCV 2016) on window centres, with its chance level beside it.
export function topLocationHits(maps: readonly ScoreMap[], lesionsById: LesionsById, opts: { tolerance?: number } = {}): TopLocationHits {
  const tolerance = opts.tolerance ?? 0;
  checkTolerance(tolerance);
  const perImage: TopLocationImage[] = [];
  for (const m of maps) {
    const lesions = lesionsOf(lesionsById, m.image);
    if (lesions.length === 0) continue;
    if (m.windows.length === 0) throw new Error(`image ${m.image} has lesions but no scored windows`);
    const b = m.windows[bestWindow(m.windows)]!;
    const onTarget = m.windows.filter((w) => onAnyLesion(w, lesions, tolerance)).length;
    perImage.push({ image: m.image, hit: onAnyLesion(b, lesions, tolerance), point: { x: b.x, y: b.y }, chance: onTarget / m.windows.length });
  }
  const hits = perImage.filter((r) => r.hit).length;
  const n = perImage.length;
  const rate = wilsonInterval(hits, n);
  const chance = n > 0 ? perImage.reduce((s, r) => s + r.chance, 0) / n : Number.NaN;
  return { hits, n, rate, chance, ratio: chance > 0 ? rate.value / chance : Number.NaN, tolerance, perImage };
}

// ---------------------------------------------------------------------------------------------
// FROC

/** A mark (a kept local maximum) and what it counts as. */
export interface FrocMark {
  x: number;
  y: number;
  score: number;
  /** tp: first mark on a lesion; fp: on no lesion; repeat: on lesions already detected (neither). */
  kind: 'tp' | 'fp' | 'repeat';
  /** Index of the lesion a tp mark detects, else -1. */
  lesion: number;
}

/**
 * Greedy non-maximum suppression: repeatedly keep the highest remaining window (first on ties)
 * and drop every window whose centre is closer than `distance` (Euclidean, strict) to it.
 * With distance = the window size, no two kept windows overlap along the line between them,
 * so one blob of high scores yields one mark. Returns kept windows, highest score first.
 */
export function nonMaximumSuppression(windows: readonly ScoreWindow[], distance: number): ScoreWindow[] {
  if (!(distance >= 0)) throw new Error(`suppression distance must be >= 0, got ${distance}`);
  const order = windows.map((_, i) => i).sort((a, b) => windows[b]!.score - windows[a]!.score || a - b);
  const suppressed = new Uint8Array(windows.length);
  const kept: ScoreWindow[] = [];
  const d2 = distance * distance;
  for (const i of order) {
    if (suppressed[i]) continue;
    const w = windows[i]!;
    kept.push(w);
    for (const j of order) if (!suppressed[j] && (windows[j]!.x - w.x) ** 2 + (windows[j]!.y - w.y) ** 2 < d2) suppressed[j] = 1;
  }
  return kept;
}

/**
 * Labels marks (highest score first) against the image's lesions. Convention (the usual CAD/
 * JAFROC scoring, Chakraborty 1989): a mark within r + tol of a not-yet-detected lesion is a TP
 * and detects the nearest such lesion; a mark only on already-detected lesions is a repeat,
 * neither TP nor FP; a mark on no lesion is an FP. Because marks are taken in score order, the
 * labels at any threshold t are those of the marks scoring >= t, so one sweep gives the curve.
 */
export function labelMarks(marks: readonly ScoreWindow[], lesions: readonly LesionCircle[], tolerance: number): FrocMark[] {
  const detected = new Uint8Array(lesions.length);
  return marks.map((m) => {
    let nearest = -1;
    let nearestD2 = Number.POSITIVE_INFINITY;
    let onSome = false;
    lesions.forEach((l, j) => {
      if (!onLesion(m, l, tolerance)) return;
      onSome = true;
      const d2 = (m.x - l.x) ** 2 + (m.y - l.y) ** 2;
      if (!detected[j] && d2 < nearestD2) {
        nearest = j;
        nearestD2 = d2;
      }
    });
    if (nearest >= 0) detected[nearest] = 1;
    const kind = nearest >= 0 ? 'tp' : onSome ? 'repeat' : 'fp';
    return { x: m.x, y: m.y, score: m.score, kind, lesion: nearest };
  });
}

export interface FrocPoint {
  /** Marks scoring >= threshold are called (+Infinity: none). */
  threshold: number;
  fpPerImage: number;
  sensitivity: number;
  truePositives: number;
  falsePositives: number;
}

/** A sensitivity at a false-positive budget, with its percentile bootstrap interval over patients (replicates without a lesion are dropped). */
export interface FrocOperatingPoint extends Omit<BootstrapInterval, 'value'> {
  /** The FP-per-image budget. */
  target: number;
  /** Largest sensitivity on the curve with fpPerImage <= target. */
  sensitivity: number;
}

export interface FrocOptions {
  /** Window size (or stride) in prepared-image pixels: the default suppression distance. */
  windowSize: number;
  /** Non-maximum suppression distance (default windowSize). */
  suppressionDistance?: number;
  /** Extra pixels beyond each lesion's radius that still count as on the lesion (default 0). */
  tolerance?: number;
  /** FP-per-image budgets to report (default [0.5, 1]). */
  fpTargets?: number[];
  /** Bootstrap replicates (default 1000). */
  B?: number;
  /** mulberry32 seed of the bootstrap (default 0). */
  seed?: number;
  /** Central coverage of the intervals (default 0.95). */
  level?: number;
}

export interface FrocResult {
  curve: FrocPoint[];
  operatingPoints: FrocOperatingPoint[];
  /** Every image of `maps`, normal ones included: the FP denominator. */
  images: number;
  /** Annotated lesions on those images: the sensitivity denominator. */
  lesions: number;
  patients: number;
  marksPerImage: FrocMark[][];
}

interface ScoredImage {
  marks: FrocMark[];
  lesions: number;
}

// Absorbs rounding in fp / images, so a budget met exactly (3 FPs on 6 images at 0.5) counts as met.
const FP_SLACK = 1e-12;

/** One mark with the image it came from, for weighted sweeps. */
interface PooledMark {
  score: number;
  kind: FrocMark['kind'];
  image: number;
}

// Sweep over thresholds: TP(t) = #tp marks with score >= t, FP(t) = #fp marks with score >= t;
// point = (FP(t) / images, TP(t) / lesions) at each distinct score (Chakraborty, Med Phys 1989;16:561).
// `weight[i]` is how many times image i counts (1 for the sample, bootstrap multiplicities otherwise).
function sweep(pooled: readonly PooledMark[], weight: ArrayLike<number>, images: number, lesions: number): FrocPoint[] {
  const curve: FrocPoint[] = [{ threshold: Number.POSITIVE_INFINITY, fpPerImage: 0, sensitivity: 0, truePositives: 0, falsePositives: 0 }];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < pooled.length; k++) {
    const m = pooled[k]!;
    const w = weight[m.image]!;
    if (m.kind === 'tp') tp += w;
    else if (m.kind === 'fp') fp += w;
    if (k + 1 === pooled.length || pooled[k + 1]!.score !== m.score) {
      curve.push({ threshold: m.score, fpPerImage: fp / images, sensitivity: tp / lesions, truePositives: tp, falsePositives: fp });
    }
  }
  return curve;
}

/** sensitivityAtFp for several budgets in one pass over the pooled marks, without building the curve (for the bootstrap). */
function sensitivitiesAt(pooled: readonly PooledMark[], weight: ArrayLike<number>, images: number, lesions: number, targets: readonly number[]): number[] {
  const best = targets.map(() => 0);
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < pooled.length; k++) {
    const m = pooled[k]!;
    const w = weight[m.image]!;
    if (m.kind === 'tp') tp += w;
    else if (m.kind === 'fp') fp += w;
    if (k + 1 < pooled.length && pooled[k + 1]!.score === m.score) continue;
    const fpPerImage = fp / images;
    targets.forEach((t, j) => {
      if (fpPerImage <= t + FP_SLACK && tp / lesions > best[j]!) best[j] = tp / lesions;
    });
  }
  return best;
}

/** Largest sensitivity among curve points with fpPerImage <= target (0 when only the origin qualifies). */
export function sensitivityAtFp(curve: readonly FrocPoint[], target: number): number {
  let best = 0;
  for (const p of curve) if (p.fpPerImage <= target + FP_SLACK && p.sensitivity > best) best = p.sensitivity;
  return best;
}

/**
 * FROC of window score maps: marks = greedy-NMS maxima of each map, labelled by labelMarks,
 * swept over all mark scores. FP per image counts over every image of `maps` (normals too);
 * sensitivity = detected lesions / annotated lesions of those images. Operating points at each
 * FP budget carry a percentile interval from resampling patients with replacement (all images
 * of a drawn patient come along, so correlated views stay together).
 */
export function froc(maps: readonly ScoreMap[], lesionsById: LesionsById, opts: FrocOptions): FrocResult {
  const tolerance = opts.tolerance ?? 0;
  checkTolerance(tolerance);
  if (!(opts.windowSize > 0)) throw new Error(`windowSize must be > 0, got ${opts.windowSize}`);
  const distance = opts.suppressionDistance ?? opts.windowSize;
  const targets = opts.fpTargets ?? [0.5, 1];
  const B = opts.B ?? 1000;
  const seed = opts.seed ?? 0;
  const level = opts.level ?? 0.95;
  if (!Number.isInteger(B) || B < 1) throw new Error(`B = ${B} must be a positive integer`);
  if (!(level > 0 && level < 1)) throw new Error(`level = ${level} must lie in (0, 1)`);
  if (maps.length === 0) throw new Error('FROC needs at least one image');

  const scored: ScoredImage[] = maps.map((m) => {
    const lesions = lesionsOf(lesionsById, m.image);
    return { marks: labelMarks(nonMaximumSuppression(m.windows, distance), lesions, tolerance), lesions: lesions.length };
  });
  const pooled: PooledMark[] = scored
    .flatMap((s, image) => s.marks.map((m) => ({ score: m.score, kind: m.kind, image })))
    .sort((a, b) => b.score - a.score);
  const totalLesions = scored.reduce((n, s) => n + s.lesions, 0);
  const curve = sweep(pooled, new Float64Array(maps.length).fill(1), maps.length, totalLesions);

  const patients = clustersOf(maps.map((m) => m.patientId));
  const stats: number[][] = targets.map(() => []);
  forEachClusterResample(patients, maps.length, B, seed, (weight) => {
    let images = 0;
    let lesions = 0;
    for (let i = 0; i < maps.length; i++) {
      images += weight[i]!;
      lesions += weight[i]! * scored[i]!.lesions;
    }
    if (lesions > 0) sensitivitiesAt(pooled, weight, images, lesions, targets).forEach((v, j) => stats[j]!.push(v));
  });
  const alpha = (1 - level) / 2;
  const operatingPoints = targets.map((target, j): FrocOperatingPoint => {
    const s = stats[j]!.sort((x, y) => x - y);
    return { target, sensitivity: totalLesions > 0 ? sensitivityAtFp(curve, target) : Number.NaN, lo: quantileSorted(s, alpha), hi: quantileSorted(s, 1 - alpha), B, valid: s.length, seed, level };
  });
  return { curve, operatingPoints, images: maps.length, lesions: totalLesions, patients: patients.length, marksPerImage: scored.map((s) => s.marks) };
}
