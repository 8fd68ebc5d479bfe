import { test } from 'node:test';
import assert from 'node:assert/strict';
import { F, Generator, tensor, type Tensor } from '../../src/tensor/index.js';
import {
  augmentConfig,
  centreFallback,
  randomResizedCrop,
  resizedCrop,
  sampleCropBoxes,
  sampleFlips,
  type CropBox,
  type Flips,
} from '../../src/augment/index.js';
import { assertBinomial, assertClose, pattern } from './helpers.js';

const noFlip = { horizontal: 0, vertical: 0 };

function image(n: number, c: number, h: number, w: number, seed = 1): Tensor {
  return tensor(Float32Array.from(pattern(n * c * h * w, seed)), [n, c, h, w]);
}

function values(t: Tensor): number[] {
  try {
    return t.toArray();
  } finally {
    t.dispose();
  }
}

/**
 * Reference in plain JS: output pixel o samples input coordinate left + (o + 0.5) w / S - 0.5
 * (align_corners=false), clamped to the image (border padding), bilinearly; a flip mirrors o.
 */
function referenceCrop(x: number[], [n, c, h, w]: number[], boxes: CropBox[], flips: Flips, s: number): number[] {
  const out: number[] = [];
  const at = (k: number, ch: number, y: number, xx: number) => x[((k * c + ch) * h + y) * w + xx]!;
  for (let k = 0; k < n; k++) {
    const b = boxes[k]!;
    for (let ch = 0; ch < c; ch++) {
      for (let oy = 0; oy < s; oy++) {
        for (let ox = 0; ox < s; ox++) {
          const my = flips.vertical[k] ? s - 1 - oy : oy;
          const mx = flips.horizontal[k] ? s - 1 - ox : ox;
          const sy = Math.min(h - 1, Math.max(0, b.top + ((my + 0.5) * b.height) / s - 0.5));
          const sx = Math.min(w - 1, Math.max(0, b.left + ((mx + 0.5) * b.width) / s - 0.5));
          const y0 = Math.floor(sy);
          const x0 = Math.floor(sx);
          const y1 = Math.min(h - 1, y0 + 1);
          const x1 = Math.min(w - 1, x0 + 1);
          const fy = sy - y0;
          const fx = sx - x0;
          out.push(
            (1 - fy) * ((1 - fx) * at(k, ch, y0, x0) + fx * at(k, ch, y0, x1)) + fy * ((1 - fx) * at(k, ch, y1, x0) + fx * at(k, ch, y1, x1)),
          );
        }
      }
    }
  }
  return out;
}

test('crop: scale 1, ratio 1, no flip is the identity at the same size', () => {
  const x = image(4, 3, 32, 32);
  const crop = augmentConfig({ crop: { scale: [1, 1], ratio: [1, 1] } }).crop;
  const y = randomResizedCrop(x, 32, crop, noFlip, Generator.seeded(3));
  assertClose(values(y), x.toArray(), 1e-5, 'identity');
  x.dispose();
});

test('crop: the whole image resized equals bilinear interpolate (down 64->32 and up 16->32)', () => {
  for (const side of [64, 16]) {
    const x = image(2, 1, side, side, side);
    const full = [0, 1].map(() => ({ top: 0, left: 0, height: side, width: side }));
    const y = resizedCrop(x, full, null, 32);
    assertClose(values(y), values(F.interpolate(x, 32, 'bilinear', false)), 1e-5, `resize from ${side}`);
    x.dispose();
  }
});

test('crop: flips equal Tensor.flip (horizontal: dim 3, vertical: dim 2, both)', () => {
  const x = image(3, 1, 16, 16);
  const full = [0, 1, 2].map(() => ({ top: 0, left: 0, height: 16, width: 16 }));
  const cases: [Flips, number[]][] = [
    [{ horizontal: [true, true, true], vertical: [false, false, false] }, [3]],
    [{ horizontal: [false, false, false], vertical: [true, true, true] }, [2]],
    [{ horizontal: [true, true, true], vertical: [true, true, true] }, [2, 3]],
  ];
  for (const [flips, dims] of cases) {
    assertClose(values(resizedCrop(x, full, flips, 16)), values(x.flip(...dims)), 1e-5, `flip ${dims}`);
  }
  // Per-image: only image 1 flipped.
  const mixed = values(resizedCrop(x, full, { horizontal: [false, true, false], vertical: [false, false, false] }, 16));
  const flipped = values(x.flip(3));
  const plain = x.toArray();
  const per = 16 * 16;
  assertClose(mixed.slice(0, per), plain.slice(0, per), 1e-5, 'image 0 unflipped');
  assertClose(mixed.slice(per, 2 * per), flipped.slice(per, 2 * per), 1e-5, 'image 1 flipped');
  assertClose(mixed.slice(2 * per), plain.slice(2 * per), 1e-5, 'image 2 unflipped');
  x.dispose();
});

test('crop: the left half of a 4x4 ramp resized to 4x4, by hand', () => {
  // x[r][c] = 4r + c. Output column o samples c = (o + 0.5) * 2/4 - 0.5 = -0.25, 0.25, 0.75, 1.25
  // (clamped to 0 at the image edge); rows map 1:1.
  const x = tensor(Array.from({ length: 16 }, (_, i) => i), [1, 1, 4, 4]);
  const y = values(resizedCrop(x, [{ top: 0, left: 0, height: 4, width: 2 }], null, 4));
  const want = [0, 1, 2, 3].flatMap((r) => [0, 0.25, 0.75, 1.25].map((c) => 4 * r + c));
  assertClose(y, want, 1e-6, 'ramp');
  // Flipped horizontally: the same columns in reverse order.
  const f = values(resizedCrop(x, [{ top: 0, left: 0, height: 4, width: 2 }], { horizontal: [true], vertical: [false] }, 4));
  assertClose(f, [0, 1, 2, 3].flatMap((r) => [1.25, 0.75, 0.25, 0].map((c) => 4 * r + c)), 1e-6, 'flipped ramp');
  x.dispose();
});

test('crop: random boxes and flips on a non-square 3-channel batch match a JS bilinear reference', () => {
  const shape = [6, 3, 20, 28];
  const x = image(shape[0]!, shape[1]!, shape[2]!, shape[3]!, 7);
  const g = Generator.seeded(11);
  const boxes = sampleCropBoxes(6, 20, 28, augmentConfig().crop, g);
  const flips = sampleFlips(6, { horizontal: 0.5, vertical: 0.5 }, g);
  const got = values(resizedCrop(x, boxes, flips, 12));
  assertClose(got, referenceCrop(x.toArray(), shape, boxes, flips, 12), 1e-5, 'random crops');
  x.dispose();
});

test('crop: drawn boxes lie in the image, areas in [0.5, 0.8], ratios in [3/4, 4/3] (up to pixel rounding)', () => {
  const n = 4000;
  const side = 64;
  const crop = augmentConfig().crop;
  const boxes = sampleCropBoxes(n, side, side, crop, Generator.seeded(5));
  let areaSum = 0;
  let wide = 0;
  let centreSum = 0;
  for (const b of boxes) {
    assert.ok(Number.isInteger(b.top) && Number.isInteger(b.left) && Number.isInteger(b.height) && Number.isInteger(b.width));
    assert.ok(b.top >= 0 && b.left >= 0 && b.top + b.height <= side && b.left + b.width <= side, `box in image: ${JSON.stringify(b)}`);
    // w and h are rounded to whole pixels: allow half a pixel on each side.
    const lo = ((b.width - 0.5) * (b.height - 0.5)) / side ** 2;
    const hi = ((b.width + 0.5) * (b.height + 0.5)) / side ** 2;
    assert.ok(hi >= 0.5 && lo <= 0.8, `area ${(b.width * b.height) / side ** 2} of ${JSON.stringify(b)}`);
    assert.ok((b.width + 0.5) / (b.height - 0.5) >= 3 / 4 && (b.width - 0.5) / (b.height + 0.5) <= 4 / 3, `ratio of ${JSON.stringify(b)}`);
    areaSum += (b.width * b.height) / side ** 2;
    if (b.width > b.height) wide++;
    centreSum += b.left + b.width / 2;
  }
  // Uniform area in [0.5, 0.8] has mean 0.65; rejection of boxes wider than the image pulls it down a little.
  const meanArea = areaSum / n;
  assert.ok(meanArea > 0.62 && meanArea < 0.66, `mean area ${meanArea}`);
  // log-uniform ratio over a range symmetric in log: wide and tall equally often (ties w == h excluded from neither side).
  const tied = boxes.filter((b) => b.width === b.height).length;
  assertBinomial(wide, n - tied, 0.5, 'wide boxes');
  // Offsets uniform: box centres average to the image centre.
  assert.ok(Math.abs(centreSum / n - side / 2) < 0.5, `mean box centre ${centreSum / n}`);
});

test('crop: when every attempt fails, the centre crop at the nearest allowed ratio (torchvision fallback)', () => {
  // Ratios [2, 3] need w >= sqrt(0.9 * 1024 * 2) > 32: never fits a 32x32 image.
  const crop = { scale: [0.9, 1] as [number, number], ratio: [2, 3] as [number, number], attempts: 10 };
  const boxes = sampleCropBoxes(5, 32, 32, crop, Generator.seeded(1));
  for (const b of boxes) assert.deepEqual(b, { top: 8, left: 0, height: 16, width: 32 });
  assert.deepEqual(centreFallback(40, 10, [0.5, 1]), { top: 10, left: 0, height: 20, width: 10 });
  assert.deepEqual(centreFallback(30, 30, [0.5, 2]), { top: 0, left: 0, height: 30, width: 30 });
});

test('crop: the same seed draws the same boxes and flips; another seed does not', () => {
  const crop = augmentConfig().crop;
  const draw = (seed: number) => {
    const g = Generator.seeded(seed);
    return { boxes: sampleCropBoxes(32, 64, 64, crop, g), flips: sampleFlips(32, { horizontal: 0.5, vertical: 0.5 }, g) };
  };
  assert.deepEqual(draw(42), draw(42));
  assert.notDeepEqual(draw(42).boxes, draw(43).boxes);
});

test('crop: flip frequencies follow their probabilities', () => {
  const n = 4000;
  const f = sampleFlips(n, { horizontal: 0.5, vertical: 0.2 }, Generator.seeded(9));
  assertBinomial(f.horizontal.filter(Boolean).length, n, 0.5, 'horizontal flips');
  assertBinomial(f.vertical.filter(Boolean).length, n, 0.2, 'vertical flips');
  const none = sampleFlips(100, { horizontal: 0, vertical: 0 }, Generator.seeded(9));
  assert.ok(!none.horizontal.some(Boolean) && !none.vertical.some(Boolean));
});

test('crop: resizedCrop rejects a box list of the wrong length', () => {
  const x = image(2, 1, 8, 8);
  assert.throws(() => resizedCrop(x, [{ top: 0, left: 0, height: 8, width: 8 }], null, 4), /1 boxes for a batch of 2/);
  x.dispose();
});
