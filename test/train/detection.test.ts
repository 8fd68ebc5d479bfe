// crossValidateDetection on images the test draws itself, with hand-made window features (no
// encoder): the brightness of a window's centre, which a bright disc (the "lesion") raises.
// The probe must learn it, the image scores must rank abnormal images first, folds must be
// patient-disjoint, and the bilateral score must follow its formula.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PreparedPlanes, breastWindows, lesionPatches, windowCentre, type PatchLocation } from '../../src/data/patches.js';
import { toHalfBits } from '../../src/data/cache/float16.js';
import { crossValidateDetection, DETECTION_DEFAULTS, type DetectionImage } from '../../src/train/detection.js';
import type { PatchFeatures } from '../../src/train/patch-features.js';
import { classicScorer } from '../../src/train/detection-study.js';
import { rocAuc } from '../../src/eval/roc.js';
import { createRng } from '../../src/data/rng.js';

const S = 64;
const N = 40; // 20 women, left and right
const WINDOW = 16;

interface World {
  planes: PreparedPlanes;
  images: DetectionImage[];
}

/** Breast = the whole square at 0.3 plus noise; abnormal images (one breast of every other woman) get a disc of 0.9. */
function world(): World {
  const rng = createRng(5, 'detection-test');
  const bits = new Uint16Array(N * S * S);
  const images: DetectionImage[] = [];
  for (let i = 0; i < N; i++) {
    const abnormal = i % 4 === 0;
    const lesion = { x: 12 + rng.int(40), y: 12 + rng.int(40), radius: 5 };
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        const inDisc = abnormal && Math.hypot(x - lesion.x, y - lesion.y) <= lesion.radius;
        bits[i * S * S + y * S + x] = toHalfBits(inDisc ? 0.9 : 0.3 + 0.1 * rng.next());
      }
    }
    images.push({ index: i, id: `img${i}`, patientId: `p${Math.floor(i / 2)}`, label: abnormal ? 1 : 0, lesions: abnormal ? [lesion] : [], unlocated: false });
  }
  return { planes: new PreparedPlanes(bits, N, S), images };
}

/** Two features per window: mean of its central 6x6 pixels, and a constant-ish noise feature. */
function features(planes: PreparedPlanes, locations: readonly PatchLocation[]): PatchFeatures {
  const rng = createRng(6, 'features');
  const values = new Float32Array(locations.length * 2);
  locations.forEach((p, r) => {
    let sum = 0;
    const c = Math.floor(WINDOW / 2) - 3;
    for (let y = 0; y < 6; y++) for (let x = 0; x < 6; x++) sum += valueAt(planes, p.image, p.x + c + x, p.y + c + y);
    values[2 * r] = sum / 36;
    values[2 * r + 1] = rng.next();
  });
  return { values, rows: locations.length, dims: 2 };
}

function valueAt(planes: PreparedPlanes, image: number, x: number, y: number): number {
  const h = planes.bits[image * S * S + y * S + x]!;
  return (1 + (h & 0x3ff) / 1024) * 2 ** (((h >> 10) & 0x1f) - 15);
}

test('the probe finds the bright discs; image scores rank abnormal images first; folds are patient-disjoint', async () => {
  const { planes, images } = world();
  const windows = images.flatMap((im) => breastWindows(planes, im.index, { size: WINDOW, stride: 8 }));
  const positives = lesionPatches(planes, images.map((im) => im.lesions), images.map((im) => im.index), { size: WINDOW, perLesion: 4, seed: 1 });
  const scorer = { kind: 'probe' as const, windowFeatures: features(planes, windows), lesionFeatures: features(planes, positives) };
  const r = await crossValidateDetection({ planes, images, windows, positives }, scorer, {
    ...DETECTION_DEFAULTS, view: { size: WINDOW, input: WINDOW }, folds: 4, negatives: 200, hardNegatives: 50, mil: null, quiet: true,
  });
  assert.equal(r.predictions.length, N);
  assert.equal(new Set(r.predictions.map((p) => p.id)).size, N);
  // Every woman's two images in one fold.
  for (const p of r.predictions) assert.equal(r.predictions.find((q) => q !== p && q.patientId === p.patientId)!.fold, p.fold);
  const labels = r.predictions.map((p) => p.label);
  assert.ok(rocAuc(labels, r.predictions.map((p) => p.scores.max!)) > 0.95);
  assert.ok(rocAuc(r.patchLabels, r.patchScores) > 0.95);
  // The probe put its weight on the brightness feature, not the noise one (standardised scale).
  for (const probe of r.probes) assert.ok(Math.abs(probe.weights[1]![0]! - probe.weights[0]![0]!) > 5 * Math.abs(probe.weights[1]![1]! - probe.weights[0]![1]!));
  // The heatmap's best window of an abnormal image lies on its disc.
  const map = r.maps.find((m) => m.image === 'img0')!;
  const best = map.windows.reduce((a, b) => (b.score > a.score ? b : a));
  const lesion = images[0]!.lesions[0]!;
  assert.ok(Math.hypot(best.x - lesion.x, best.y - lesion.y) <= WINDOW / 2);
});

test('the classic-CAD baseline (hand-crafted descriptors, the same probe) finds the bright discs too', async () => {
  const { planes, images } = world();
  const windows = images.flatMap((im) => breastWindows(planes, im.index, { size: WINDOW, stride: 8 }));
  const positives = lesionPatches(planes, images.map((im) => im.lesions), images.map((im) => im.index), { size: WINDOW, perLesion: 4, seed: 1 });
  const view = { size: WINDOW, input: WINDOW };
  const scorer = classicScorer({ planes, images, windows, positives }, view);
  assert.equal(scorer.windowFeatures.rows, windows.length);
  assert.equal(scorer.lesionFeatures.rows, positives.length);
  const r = await crossValidateDetection({ planes, images, windows, positives }, scorer, { ...DETECTION_DEFAULTS, view, folds: 4, negatives: 200, hardNegatives: 50, mil: null, quiet: true });
  assert.ok(rocAuc(r.patchLabels, r.patchScores) > 0.95, 'patch AUC');
  assert.ok(rocAuc(r.predictions.map((p) => p.label), r.predictions.map((p) => p.scores.max!)) > 0.95, 'image AUC by the maximum');
});

test('bilateral score: (own top-k mean - the other breast\'s + 1) / 2', async () => {
  const { planes, images } = world();
  const windows = images.flatMap((im) => breastWindows(planes, im.index, { size: WINDOW, stride: 8 }));
  const positives = lesionPatches(planes, images.map((im) => im.lesions), images.map((im) => im.index), { size: WINDOW, perLesion: 4, seed: 1 });
  const scorer = { kind: 'probe' as const, windowFeatures: features(planes, windows), lesionFeatures: features(planes, positives) };
  const r = await crossValidateDetection({ planes, images, windows, positives }, scorer, { ...DETECTION_DEFAULTS, view: { size: WINDOW, input: WINDOW }, folds: 2, negatives: 100, hardNegatives: 0, mil: null, quiet: true });
  for (const p of r.predictions) {
    const other = r.predictions.find((q) => q !== p && q.patientId === p.patientId)!;
    assert.ok(Math.abs(p.scores.bilateral! - (p.scores['top-k mean']! - other.scores['top-k mean']! + 1) / 2) < 1e-12);
  }
  // Windows' centres are where windowCentre says.
  assert.deepEqual(windowCentre({ image: 0, x: 8, y: 16 }, WINDOW), { x: 15.5, y: 23.5 });
});

test('a fold without any lesion-centred patch is refused with the reason', async () => {
  const { planes, images } = world();
  const none = images.map((im) => ({ ...im, lesions: [] }));
  const windows = none.flatMap((im) => breastWindows(planes, im.index, { size: WINDOW }));
  const scorer = { kind: 'probe' as const, windowFeatures: features(planes, windows), lesionFeatures: { values: new Float32Array(0), rows: 0, dims: 2 } };
  await assert.rejects(crossValidateDetection({ planes, images: none, windows, positives: [] }, scorer, { ...DETECTION_DEFAULTS, view: { size: WINDOW, input: WINDOW }, folds: 2, mil: null, quiet: true }), /no lesion-centred patch/);
});
