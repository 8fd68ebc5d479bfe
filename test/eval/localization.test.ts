// Localisation measures on small maps worked out by hand: top-location hits with their chance
// level, greedy non-maximum suppression, mark labelling, and FROC points and operating points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topLocationHits, nonMaximumSuppression, labelMarks, froc, sensitivityAtFp, type ScoreMap, type ScoreWindow } from '../../src/eval/localization.js';
import { wilsonInterval } from '../../src/eval/wilson.js';

const close = (a: number, b: number, tol = 1e-12, msg = ''): void => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b}`);

/** Four windows on a 2x2 grid of centres (10|30, 10|30) with the given scores. */
function grid(image: string, patientId: string, s: [number, number, number, number]): ScoreMap {
  const at: [number, number][] = [[10, 10], [30, 10], [10, 30], [30, 30]];
  return { image, patientId, windows: at.map(([x, y], i) => ({ x, y, score: s[i]! })) };
}

test('top-location hits, chance and ratio on four images worked by hand', () => {
  const maps = [
    grid('A', 'p1', [0.9, 0.5, 0.2, 0.1]), // best (10,10) on lesion A: hit; 1 of 4 windows on it
    grid('B', 'p2', [0.8, 0.1, 0.2, 0.7]), // best (10,10), lesion at (30,30): miss; chance 1/4
    grid('C', 'p3', [0.1, 0.6, 0.2, 0.3]), // lesion (20,10) r 10 reaches (10,10) and (30,10) at distance 10: chance 2/4; best (30,10): hit
    grid('D', 'p4', [0.9, 0.1, 0.1, 0.1]), // normal: not scored
  ];
  const lesions = new Map([
    ['A', [{ x: 10, y: 10, radius: 5 }]],
    ['B', [{ x: 30, y: 30, radius: 5 }]],
    ['C', [{ x: 20, y: 10, radius: 10 }]],
  ]);
  const r = topLocationHits(maps, lesions);
  assert.equal(r.hits, 2);
  assert.equal(r.n, 3);
  assert.deepEqual(r.rate, wilsonInterval(2, 3));
  close(r.chance, (0.25 + 0.25 + 0.5) / 3);
  close(r.ratio, (2 / 3) / (1 / 3));
  assert.deepEqual(r.perImage.map((p) => [p.image, p.hit, p.chance]), [['A', true, 0.25], ['B', false, 0.25], ['C', true, 0.5]]);
  assert.deepEqual(r.perImage[1]!.point, { x: 10, y: 10 });
  // A plain record works as the lesion table too.
  assert.equal(topLocationHits(maps, Object.fromEntries(lesions)).hits, 2);
});

test('tolerance widens the lesion by that many pixels; ties go to the first window', () => {
  const b = [grid('B', 'p', [0.8, 0.1, 0.2, 0.7])];
  const lesions = { B: [{ x: 30, y: 30, radius: 5 }] };
  // (10,10) to (30,30) is 28.28 px: a miss at 5 + 20 = 25, a hit at 5 + 24 = 29.
  assert.equal(topLocationHits(b, lesions, { tolerance: 20 }).hits, 0);
  const wide = topLocationHits(b, lesions, { tolerance: 24 });
  assert.equal(wide.hits, 1);
  // At 29 px every window centre is on the lesion ((10,30) and (30,10) are 20 px away): chance 1.
  assert.equal(wide.chance, 1);
  const tie = topLocationHits([grid('T', 'p', [0.5, 0.5, 0.5, 0.5])], { T: [{ x: 30, y: 30 }] });
  assert.deepEqual(tie.perImage[0]!.point, { x: 10, y: 10 });
  assert.equal(tie.hits, 0);
  assert.throws(() => topLocationHits(b, lesions, { tolerance: -1 }), /tolerance/);
  assert.throws(() => topLocationHits([{ image: 'B', patientId: 'p', windows: [] }], lesions), /no scored windows/);
});

test('no annotated image: n = 0 and NaN rates', () => {
  const r = topLocationHits([grid('N', 'p', [1, 0, 0, 0])], {});
  assert.equal(r.n, 0);
  assert.ok(Number.isNaN(r.rate.value) && Number.isNaN(r.chance) && Number.isNaN(r.ratio));
});

test('greedy non-maximum suppression keeps the best window and drops neighbours closer than the distance', () => {
  const row: ScoreWindow[] = [
    { x: 0, y: 0, score: 0.9 },
    { x: 10, y: 0, score: 0.8 },
    { x: 20, y: 0, score: 0.3 },
    { x: 30, y: 0, score: 0.7 },
  ];
  // distance 15: 0.9 drops (10,0); then 0.7 at 30 drops (20,0).
  assert.deepEqual(nonMaximumSuppression(row, 15).map((w) => w.score), [0.9, 0.7]);
  // distance 10 is strict: windows exactly one stride apart survive, highest first.
  assert.deepEqual(nonMaximumSuppression(row, 10).map((w) => w.score), [0.9, 0.8, 0.7, 0.3]);
  // distance 25: 0.9 at 0 drops 10 and 20; 30 is 30 px away and stays.
  assert.deepEqual(nonMaximumSuppression(row, 25).map((w) => w.x), [0, 30]);
});

test('marks: first on a lesion is TP (nearest undetected lesion), later ones are repeats, off-lesion marks are FP', () => {
  const lesions = [{ x: 0, y: 0, radius: 10 }, { x: 15, y: 0, radius: 10 }];
  const marks = labelMarks(
    [
      { x: 6, y: 0, score: 0.9 }, // on both; nearer lesion 0 -> tp(0)
      { x: 5, y: 0, score: 0.8 }, // on both; lesion 0 detected, lesion 1 not -> tp(1)
      { x: 10, y: 0, score: 0.7 }, // on both, both detected -> repeat
      { x: 50, y: 50, score: 0.6 }, // on none -> fp
    ],
    lesions,
    0,
  );
  assert.deepEqual(marks.map((m) => [m.kind, m.lesion]), [['tp', 0], ['tp', 1], ['repeat', -1], ['fp', -1]]);
});

/**
 * Three images, two patients (windows far enough apart that NMS at 10 px keeps all of them):
 *   image 1 (p1): L1 (10,10) r15, L2 (60,60) r5; windows 0.9 on L1 (tp), 0.6 on L1 again (repeat),
 *                 0.4 on L2 (tp), 0.7 off (fp)
 *   image 2 (p2): normal; windows 0.8 (fp), 0.3 (fp)
 *   image 3 (p2): L3 (30,30) r5; windows 0.5 on L3 (tp), 0.6 off (fp)
 * Sorted marks: .9 tp, .8 fp, .7 fp, .6 repeat + .6 fp, .5 tp, .4 tp, .3 fp; 3 images, 3 lesions.
 */
const frocMaps: ScoreMap[] = [
  { image: 'i1', patientId: 'p1', windows: [{ x: 10, y: 10, score: 0.9 }, { x: 22, y: 10, score: 0.6 }, { x: 60, y: 60, score: 0.4 }, { x: 100, y: 100, score: 0.7 }] },
  { image: 'i2', patientId: 'p2', windows: [{ x: 10, y: 10, score: 0.8 }, { x: 50, y: 50, score: 0.3 }] },
  { image: 'i3', patientId: 'p2', windows: [{ x: 30, y: 30, score: 0.5 }, { x: 80, y: 80, score: 0.6 }] },
];
const frocLesions = { i1: [{ x: 10, y: 10, radius: 15 }, { x: 60, y: 60, radius: 5 }], i3: [{ x: 30, y: 30, radius: 5 }] };

test('FROC points worked by hand, ties emitted together, repeats neither TP nor FP', () => {
  const r = froc(frocMaps, frocLesions, { windowSize: 10, B: 50 });
  assert.equal(r.images, 3);
  assert.equal(r.lesions, 3);
  assert.equal(r.patients, 2);
  const expected: [number, number, number][] = [
    [Number.POSITIVE_INFINITY, 0, 0],
    [0.9, 0, 1 / 3],
    [0.8, 1 / 3, 1 / 3],
    [0.7, 2 / 3, 1 / 3],
    [0.6, 1, 1 / 3],
    [0.5, 1, 2 / 3],
    [0.4, 1, 1],
    [0.3, 4 / 3, 1],
  ];
  assert.equal(r.curve.length, expected.length);
  r.curve.forEach((p, i) => {
    assert.equal(p.threshold, expected[i]![0]);
    close(p.fpPerImage, expected[i]![1], 1e-12, `fp/image at ${p.threshold}`);
    close(p.sensitivity, expected[i]![2], 1e-12, `sensitivity at ${p.threshold}`);
  });
  assert.deepEqual(r.marksPerImage[0]!.map((m) => m.kind), ['tp', 'fp', 'repeat', 'tp']);
  // 0.5 FP/image: best point with fp <= 0.5 is (1/3, 1/3); 1 FP/image: (1, 1).
  assert.deepEqual(r.operatingPoints.map((o) => [o.target, o.sensitivity]), [[0.5, 1 / 3], [1, 1]]);
  assert.equal(sensitivityAtFp(r.curve, 0), 1 / 3);
});

test('normal images without marks still count in FP per image', () => {
  const withNormals = [...frocMaps, { image: 'n1', patientId: 'p3', windows: [] }, { image: 'n2', patientId: 'p3', windows: [] }];
  const r = froc(withNormals, frocLesions, { windowSize: 10, B: 10 });
  assert.equal(r.images, 5);
  close(r.curve[r.curve.length - 1]!.fpPerImage, 4 / 5);
  // 1 FP/image now reaches the whole curve: 4 FPs over 5 images.
  assert.equal(r.operatingPoints[1]!.sensitivity, 1);
});

test('suppression merges neighbouring windows into one mark', () => {
  const blob: ScoreMap = { image: 'b', patientId: 'p', windows: [{ x: 10, y: 10, score: 0.9 }, { x: 18, y: 10, score: 0.85 }, { x: 60, y: 10, score: 0.2 }] };
  const lesions = { b: [{ x: 10, y: 10, radius: 2 }] };
  // Window size 16: (18,10) is 8 px from the maximum and goes; two marks remain.
  const r = froc([blob], lesions, { windowSize: 16, B: 10 });
  assert.deepEqual(r.marksPerImage[0]!.map((m) => [m.score, m.kind]), [[0.9, 'tp'], [0.2, 'fp']]);
  // Without suppression (distance 0) the 0.85 window is a separate FP (it is 8 px > radius 2 from the lesion).
  const raw = froc([blob], lesions, { windowSize: 16, suppressionDistance: 0, B: 10 });
  assert.deepEqual(raw.marksPerImage[0]!.map((m) => m.kind), ['tp', 'fp', 'fp']);
});

test('bootstrap over patients: seeded, and degenerate when there is one patient', () => {
  const a = froc(frocMaps, frocLesions, { windowSize: 10, seed: 3 });
  const b = froc(frocMaps, frocLesions, { windowSize: 10, seed: 3 });
  assert.deepEqual(a.operatingPoints, b.operatingPoints);
  for (const o of a.operatingPoints) {
    assert.equal(o.B, 1000);
    assert.ok(o.lo <= o.sensitivity && o.sensitivity <= o.hi, JSON.stringify(o));
  }
  // Both patients always have a lesion, so every replicate is valid.
  assert.equal(a.operatingPoints[0]!.valid, 1000);
  // One patient: every replicate is the sample itself (with each image counted the same way).
  const onePatient = frocMaps.map((m) => ({ ...m, patientId: 'only' }));
  const c = froc(onePatient, frocLesions, { windowSize: 10, B: 20 });
  for (const o of c.operatingPoints) assert.deepEqual([o.lo, o.hi], [o.sensitivity, o.sensitivity]);
});

test('bootstrap drops replicates without lesions; bad options throw', () => {
  // Patient p2's image i2 alone is normal: replicates drawing only p2 there have no lesion.
  const maps = [frocMaps[0]!, frocMaps[1]!];
  const r = froc(maps, frocLesions, { windowSize: 10, B: 400, seed: 1 });
  const v = r.operatingPoints[0]!.valid;
  // P(only p2 drawn twice) = 1/4: about 300 of 400 replicates are valid.
  assert.ok(v > 250 && v < 350, String(v));
  assert.throws(() => froc([], {}, { windowSize: 10 }), /at least one image/);
  assert.throws(() => froc(maps, {}, { windowSize: 0 }), /windowSize/);
  assert.throws(() => froc(maps, {}, { windowSize: 10, B: 0 }), /B = 0/);
});
