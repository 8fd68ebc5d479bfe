import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHalfBits } from '../../src/data/cache/float16.js';
import type { Lesion } from '../../src/data/records.js';
import {
  breastWindows,
  cropPatches,
  farFromLesions,
  lesionPatches,
  onLesion,
  PreparedPlanes,
  sampleTissuePatches,
  windowCentre,
  type PatchLocation,
} from '../../src/data/patches.js';

const S = 64;

/** Left half breast, every value k / 64 (exact in float16) and different from its neighbours. */
function halfValue(x: number, y: number): number {
  return x < S / 2 ? (1 + ((x * 3 + y * 5) % 50)) / 64 : 0;
}

function inDisc(x: number, y: number): boolean {
  return (x - 32) ** 2 + (y - 32) ** 2 <= 20 ** 2;
}

/** Images: 0 = left half, 1 = disc of radius 20 at (32, 32), 2 = all breast, 3 = empty. */
function makePlanes(): PreparedPlanes {
  const bits = new Uint16Array(4 * S * S);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const i = y * S + x;
      bits[i] = toHalfBits(halfValue(x, y));
      bits[S * S + i] = inDisc(x, y) ? toHalfBits(0.5) : 0;
      bits[2 * S * S + i] = toHalfBits(1);
    }
  }
  // A negative zero is background too (float16 0x8000).
  bits[5 * S + 40] = 0x8000;
  bits[3 * S * S + 7] = 0x8000;
  return new PreparedPlanes(bits, 4, S);
}

function bruteFraction(planes: PreparedPlanes, image: number, x: number, y: number, size: number): number {
  let n = 0;
  for (let v = y; v < y + size; v++) for (let u = x; u < x + size; u++) if ((planes.bits[image * S * S + v * S + u]! & 0x7fff) !== 0) n++;
  return n / (size * size);
}

test('planes: the constructor checks the length, isBreast rounds to the nearest pixel', () => {
  assert.throws(() => new PreparedPlanes(new Uint16Array(10), 1, 4), /10 values, expected 1 x 4 x 4/);
  const p = makePlanes();
  assert.equal(p.isBreast(0, 31, 10), true);
  assert.equal(p.isBreast(0, 31.4, 10), true);
  assert.equal(p.isBreast(0, 31.6, 10), false);
  assert.equal(p.isBreast(0, 40, 5), false);
  assert.equal(p.isBreast(2, -0.4, 63.4), true);
  assert.equal(p.isBreast(2, -0.6, 10), false);
  assert.equal(p.isBreast(2, 10, 63.6), false);
  assert.equal(p.isBreast(3, 7, 0), false);
});

test('breastFraction equals a brute-force count', () => {
  const p = makePlanes();
  for (const image of [0, 1, 2, 3]) {
    for (const size of [1, 8, 13, 64]) {
      for (let y = 0; y + size <= S; y += 7) {
        for (let x = 0; x + size <= S; x += 5) {
          assert.equal(p.breastFraction(image, x, y, size), bruteFraction(p, image, x, y, size), `image ${image} (${x}, ${y}) size ${size}`);
        }
      }
    }
  }
  assert.equal(p.breastFraction(0, 0, 0, 64), 0.5);
  assert.equal(p.breastFraction(3, 0, 0, 64), 0);
});

test('breastWindows keeps exactly the windows with enough breast and reaches the last row and column', () => {
  const p = makePlanes();
  // Stride 10 from 0 ends at 40 (+16 = 56 < 64), so the grid adds 48.
  const starts = [0, 10, 20, 30, 40, 48];
  for (const image of [0, 1, 2]) {
    for (const minBreast of [0.05, 0.5, 0.9]) {
      const expected: PatchLocation[] = [];
      for (const y of starts) for (const x of starts) if (bruteFraction(p, image, x, y, 16) >= minBreast) expected.push({ image, x, y });
      assert.deepEqual(breastWindows(p, image, { size: 16, stride: 10, minBreast }), expected, `image ${image} minBreast ${minBreast}`);
    }
  }
  // A window exactly half breast is kept at the default minBreast 0.5 (x = 24 covers 24..39).
  const half = breastWindows(p, 0, { size: 16 });
  assert.deepEqual([...new Set(half.map((w) => w.x))], [0, 8, 16, 24]);
  assert.equal(half.length, 4 * 7);
  // With no threshold the windows tile every pixel, the last row and column included.
  const all = breastWindows(p, 2, { size: 16, stride: 10, minBreast: 0 });
  assert.equal(all.length, 36);
  const covered = new Uint8Array(S * S);
  for (const w of all) for (let y = w.y; y < w.y + 16; y++) for (let x = w.x; x < w.x + 16; x++) covered[y * S + x] = 1;
  assert.ok(covered.every((c) => c === 1));
  assert.deepEqual(breastWindows(p, 3, { size: 16 }), []);
  assert.deepEqual(breastWindows(p, 2, { size: 64 }), [{ image: 2, x: 0, y: 0 }]);
});

test('breastWindows rejects bad sizes and strides', () => {
  const p = makePlanes();
  assert.throws(() => breastWindows(p, 0, { size: 4 }), /patch size must be an integer in 8\.\.64/);
  assert.throws(() => breastWindows(p, 0, { size: 65 }), /patch size/);
  assert.throws(() => breastWindows(p, 0, { size: 16.5 }), /patch size/);
  assert.throws(() => breastWindows(p, 0, { size: 16, stride: 0 }), /stride must be a positive integer/);
});

test('sampleTissuePatches is seeded and every patch holds enough breast', () => {
  const p = makePlanes();
  const o = { size: 16, count: 40, minBreast: 0.6 };
  const a = sampleTissuePatches(p, [0, 1, 3], { ...o, seed: 7 });
  assert.deepEqual(sampleTissuePatches(p, [0, 1, 3], { ...o, seed: 7 }), a);
  assert.notDeepEqual(sampleTissuePatches(p, [0, 1, 3], { ...o, seed: 8 }), a);
  assert.equal(a.length, 40);
  for (const w of a) {
    assert.ok(w.x >= 0 && w.y >= 0 && w.x + 16 <= S && w.y + 16 <= S, JSON.stringify(w));
    assert.ok(bruteFraction(p, w.image, w.x, w.y, 16) >= 0.6, JSON.stringify(w));
  }
  // The empty image yields nothing and is dropped; the others alternate.
  assert.deepEqual([...new Set(a.map((w) => w.image))].sort(), [0, 1]);
  assert.equal(a.filter((w) => w.image === 0).length, 20);
  // Nothing to find: an empty list, not an endless search (an image listed twice included).
  assert.deepEqual(sampleTissuePatches(p, [3], { ...o, seed: 1 }), []);
  assert.deepEqual(sampleTissuePatches(p, [3, 3], { ...o, seed: 1 }), []);
  assert.deepEqual(sampleTissuePatches(p, [], { ...o, seed: 1 }), []);
});

test('lesionPatches: the first copy is centred, clamped at the borders; lesions off the breast are skipped', () => {
  const p = makePlanes();
  const lesions: Lesion[][] = [
    // Image 0: (50, 10) is background, (-5, 10) off the image, (31.6, 20) rounds to background.
    [{ x: 50, y: 10, radius: 3 }, { x: -5, y: 10 }, { x: 31.6, y: 20 }, { x: 20.5, y: 30.5, radius: 2 }],
    // Image 1: near the disc's left edge (the window is clamped at x = 0), and its centre.
    [{ x: 14, y: 32, radius: 1 }, { x: 32, y: 32 }],
    // Image 2: the bottom-right corner.
    [{ x: 62, y: 63 }],
  ];
  const out = lesionPatches(p, lesions, [0, 1, 2], { size: 16, perLesion: 1, seed: 1 });
  assert.deepEqual(out, [
    // Centre (20.5, 30.5) - 7.5 = corner (13, 23): exactly centred.
    { image: 0, x: 13, y: 23, label: 1 },
    // 14 - 7.5 = 6.5 rounds to 7 (centre 14.5, the nearest an even window gets); y 24.5 -> 25.
    { image: 1, x: 7, y: 25, label: 1 },
    { image: 1, x: 25, y: 25, label: 1 },
    { image: 2, x: 48, y: 48, label: 1 },
  ]);
  const big = lesionPatches(p, lesions, [1], { size: 40, perLesion: 1, seed: 1 });
  // 32 - 19.5 = 12.5 rounds up to 13.
  assert.deepEqual(big[0], { image: 1, x: 0, y: 13, label: 1 });
  // Only the listed images are read.
  assert.deepEqual(lesionPatches(p, lesions, [2], { size: 16, perLesion: 2, seed: 1 }).map((w) => w.image), [2, 2]);
  assert.deepEqual(lesionPatches(p, [], [0, 1], { size: 16, seed: 1 }), []);
});

test('lesionPatches: jitter stays within min(radius, jitter * size) and is seeded', () => {
  const p = makePlanes();
  const size = 16;
  // jitter 0.25 * 16 = 4: radius 2 caps it, radius 10 and no radius do not.
  const lesions: Lesion[][] = [[], [{ x: 30.5, y: 32.5, radius: 2 }, { x: 32.5, y: 30.5, radius: 10 }, { x: 31.5, y: 31.5 }]];
  const reach = [2, 4, 4];
  const per = 60;
  const out = lesionPatches(p, lesions, [1], { size, perLesion: per, seed: 3 });
  assert.equal(out.length, 3 * per);
  assert.deepEqual(lesionPatches(p, lesions, [1], { size, perLesion: per, seed: 3 }), out);
  assert.notDeepEqual(lesionPatches(p, lesions, [1], { size, perLesion: per, seed: 4 }), out);
  lesions[1]!.forEach((l, k) => {
    const copies = out.slice(k * per, (k + 1) * per);
    const dx = copies.map((w) => windowCentre(w, size).x - l.x);
    const dy = copies.map((w) => windowCentre(w, size).y - l.y);
    assert.deepEqual([dx[0], dy[0]], [0, 0], `lesion ${k}: first copy centred`);
    // Corners are whole pixels: a shift of at most `reach`, rounded to the grid.
    for (const d of [...dx, ...dy]) assert.ok(Math.abs(d) <= reach[k]! + 0.5, `lesion ${k}: shift ${d} > ${reach[k]}`);
    assert.ok(new Set(dx).size > 2 && new Set(dy).size > 2, `lesion ${k}: copies jitter`);
    assert.ok(Math.max(...dx.map(Math.abs)) >= reach[k]! - 1, `lesion ${k}: jitter reaches about ${reach[k]}`);
  });
  assert.ok(out.every((w) => w.label === 1));
});

test('farFromLesions and onLesion on hand-worked distances', () => {
  const w: PatchLocation = { image: 0, x: 0, y: 0 };
  assert.deepEqual(windowCentre(w, 16), { x: 7.5, y: 7.5 });
  assert.deepEqual(windowCentre({ image: 0, x: 10, y: 4 }, 9), { x: 14, y: 8 });
  // Distance 12 = radius 4 + half the window 8: just far enough.
  assert.equal(farFromLesions(w, 16, [{ x: 7.5, y: 19.5, radius: 4 }]), true);
  assert.equal(farFromLesions(w, 16, [{ x: 7.5, y: 19.4, radius: 4 }]), false);
  assert.equal(farFromLesions(w, 16, [{ x: 7.5, y: 19.5, radius: 4 }, { x: 3, y: 3 }]), false);
  assert.equal(farFromLesions(w, 16, []), true);
  assert.equal(onLesion(w, 16, [{ x: 7.5, y: 19.5, radius: 4 }]), false);
  assert.equal(onLesion(w, 16, [{ x: 7.5, y: 19.5, radius: 4 }], 8), true);
  assert.equal(onLesion(w, 16, [{ x: 7.5, y: 19.5, radius: 4 }], 7.9), false);
  // A 3-4-5 triangle: distance 5 from a lesion without a radius.
  const point = [{ x: 10.5, y: 11.5 }];
  assert.equal(onLesion(w, 16, point, 5), true);
  assert.equal(onLesion(w, 16, point, 4.9), false);
  assert.equal(farFromLesions(w, 16, point), false);
  assert.equal(farFromLesions(w, 8, point), true); // centre (3.5, 3.5): distance hypot(7, 8) > 4
  assert.equal(onLesion(w, 16, []), false);
});

test('cropPatches copies pixels and area-averages by whole factors', () => {
  const p = makePlanes();
  const locs: PatchLocation[] = [{ image: 0, x: 10, y: 20 }, { image: 0, x: 28, y: 0 }, { image: 1, x: 0, y: 0 }];
  const full = cropPatches(p, locs, 8);
  try {
    assert.equal(full.dtype, 'float32');
    assert.deepEqual(full.shape, [3, 1, 8, 8]);
    const v = full.toFloat32Array();
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        assert.equal(v[y * 8 + x], halfValue(10 + x, 20 + y));
        assert.equal(v[64 + y * 8 + x], halfValue(28 + x, y)); // right of x = 31 is background
        assert.equal(v[128 + y * 8 + x], 0); // the disc's corner is empty
      }
    }
    assert.equal(v[64 + 3], halfValue(31, 0));
    assert.ok(v[64 + 3]! > 0);
  } finally {
    full.dispose();
  }
  const half = cropPatches(p, locs, 8, 4);
  try {
    assert.deepEqual(half.shape, [3, 1, 4, 4]);
    const v = half.toFloat32Array();
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 4; x++) {
        const at = (u: number, w: number): number => halfValue(10 + 2 * x + u, 20 + 2 * y + w);
        const mean = (at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1)) / 4;
        assert.ok(Math.abs(v[y * 4 + x]! - mean) < 1e-7, `(${x}, ${y}): ${v[y * 4 + x]} vs ${mean}`);
      }
    }
  } finally {
    half.dispose();
  }
  // An 8x averaging of the all-ones image is exactly one.
  const ones = cropPatches(p, [{ image: 2, x: 56, y: 56 }], 8, 1);
  try {
    assert.deepEqual(Array.from(ones.toFloat32Array()), [1]);
  } finally {
    ones.dispose();
  }
  const none = cropPatches(p, [], 16, 8);
  try {
    assert.deepEqual(none.shape, [0, 1, 8, 8]);
  } finally {
    none.dispose();
  }
});

test('cropPatches rejects windows leaving the image and non-integer factors', () => {
  const p = makePlanes();
  assert.throws(() => cropPatches(p, [{ image: 0, x: 60, y: 0 }], 8), RangeError);
  assert.throws(() => cropPatches(p, [{ image: 0, x: 0, y: 57 }], 8), /window \(0, 57\) of 8 px leaves the 64 px image/);
  assert.throws(() => cropPatches(p, [{ image: 0, x: -1, y: 0 }], 8), RangeError);
  assert.throws(() => cropPatches(p, [{ image: 0, x: 0.5, y: 0 }], 8), /corner and image must be whole/);
  assert.throws(() => cropPatches(p, [{ image: 4, x: 0, y: 0 }], 8), /image one of 4/);
  assert.throws(() => cropPatches(p, [{ image: 0, x: 0, y: 0 }], 12, 8), /patch size 12 must be a whole multiple of the input size 8/);
  assert.throws(() => cropPatches(p, [{ image: 0, x: 0, y: 0 }], 8, 16), /whole multiple/);
});
