import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GrayImage } from '../../../src/data/image.js';
import {
  areaResize,
  fillHoles,
  heatmapToOriginal,
  largestComponent,
  otsuThreshold,
  preprocessMammogram,
  toOriginal,
  toOutput,
  warpToOutput,
} from '../../../src/data/preprocess/index.js';

function image(width: number, height: number, paint: (x: number, y: number) => number, bitDepth: 8 | 16 = 8): GrayImage {
  const data = bitDepth === 8 ? new Uint8Array(width * height) : new Uint16Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = paint(x, y);
  return { width, height, bitDepth, data, meta: { source: 'synthetic', format: 'png' } };
}

// A 30 x 50 "breast" (value 200) at x 10..39, y 15..64 and a 5 x 5 marker (255) at x 80..84, y 5..9.
const rectWithMarker = image(100, 80, (x, y) => {
  if (x >= 10 && x < 40 && y >= 15 && y < 65) return 200;
  if (x >= 80 && x < 85 && y >= 5 && y < 10) return 255;
  return 0;
});

test('crop box is the breast, the marker is zeroed, the square is padded on the right', () => {
  const p = preprocessMammogram(rectWithMarker, { size: 25, laterality: 'L', normalize: 'bit-depth' });
  const t = p.transform;
  assert.deepEqual(t.crop, { x: 10, y: 15, width: 30, height: 50 });
  assert.equal(t.flipped, false);
  assert.equal(t.flipReason, 'laterality');
  assert.deepEqual(t.pad, { left: 0, top: 0, right: 20, bottom: 0 });
  assert.equal(t.squareSize, 50);
  assert.equal(t.scale, 0.5);
  assert.equal(p.mask[7 * 100 + 82], 0, 'marker outside the component');
  assert.equal(p.mask[40 * 100 + 20], 1);
  // Columns 0..14 hold the breast (200/255), 15..24 are padding.
  for (let y = 0; y < 25; y++) {
    for (let x = 0; x < 25; x++) {
      const want = x < 15 ? 200 / 255 : 0;
      assert.ok(Math.abs(p.data[y * 25 + x]! - want) < 1e-6, `(${x},${y}) = ${p.data[y * 25 + x]}`);
    }
  }
  // Default normalisation divides by the brightest breast pixel (200), not by the marker (255).
  const q = preprocessMammogram(rectWithMarker, { size: 25, laterality: 'L' });
  assert.equal(q.data[0], 1);
});

test('a label joined to the breast by a 1-px film edge is cut off; the breast keeps its outline', () => {
  // A breast (value 150: a half-ellipse bulging right from the chest wall at x 0, with a 2-px-thin
  // nipple line to x 301) on a 512 x 512 film, a 1-px bright border row along the top (y 0) and
  // down the chest wall to the breast, and a 20 x 12 label (250) hanging from that row at
  // x 400..419. The opening's radius is round(512 / 256) = 2 px, so the foreground within 4 px
  // of the eroded breast comes back: the nipple line, and a stub of the border column.
  const inBreast = (x: number, y: number): boolean => (x < 300 && y >= 120 && y < 380 && (x * x) / (300 * 300) + ((y - 250) * (y - 250)) / (130 * 130) <= 1) || (y >= 249 && y <= 250 && x < 302);
  const onBridge = (x: number, y: number): boolean => (y === 0 && x < 460) || (x === 0 && y < 120);
  const film = image(512, 512, (x, y) => {
    if (inBreast(x, y)) return 150;
    if (onBridge(x, y)) return 200;
    if (x >= 400 && x < 420 && y >= 1 && y < 13) return 250;
    return 0;
  });
  const opened = preprocessMammogram(film, { size: 64, laterality: 'L' });
  const extra: string[] = [];
  let lost = 0;
  for (let y = 0; y < 512; y++) {
    for (let x = 0; x < 512; x++) {
      const m = opened.mask[y * 512 + x];
      if (inBreast(x, y) && !m) lost++;
      if (!inBreast(x, y) && m) extra.push(`${x},${y}`);
    }
  }
  assert.equal(lost, 0, 'every breast pixel is kept, the nipple line included');
  assert.ok(extra.length >= 1 && extra.length <= 4, `a stub of 1-4 px, got ${extra.length}`);
  assert.deepEqual(extra, Array.from({ length: extra.length }, (_, k) => `0,${120 - extra.length + k}`), 'only the border column just above the breast');
  assert.deepEqual(opened.transform.crop, { x: 0, y: 120 - extra.length, width: 302, height: 260 + extra.length });
  // Without the opening the border row and the label are part of the breast.
  const plain = preprocessMammogram(film, { size: 64, laterality: 'L', opening: 0 });
  assert.deepEqual(plain.transform.crop, { x: 0, y: 0, width: 460, height: 380 });
  assert.equal(plain.mask[5 * 512 + 410], 1);
  assert.equal(opened.mask[5 * 512 + 410], 0);
});

test('a right breast is mirrored and points map exactly through crop, flip, pad and scale', () => {
  const p = preprocessMammogram(rectWithMarker, { size: 25, laterality: 'R' });
  const t = p.transform;
  assert.equal(t.flipped, true);
  // Pixel (10, 15), the crop's top-left, lands at the mirrored side: u = 30 - 0.5 -> 29.5 * 0.5 - 0.5.
  assert.deepEqual(toOutput(t, { x: 10, y: 15 }), { x: 14.25, y: -0.25 });
  assert.deepEqual(toOutput(t, { x: 39, y: 64, radius: 8 }), { x: -0.25, y: 24.25, radius: 4 });
  for (const pt of [{ x: 12.5, y: 20 }, { x: 39, y: 64, radius: 3 }, { x: 25.25, y: 40.75 }]) {
    const back = toOriginal(t, toOutput(t, pt));
    assert.ok(Math.abs(back.x - pt.x) < 1e-9 && Math.abs(back.y - pt.y) < 1e-9);
    if (pt.radius !== undefined) assert.ok(Math.abs(back.radius! - pt.radius) < 1e-9);
  }
});

test('vertical padding is split evenly and a tall image keeps the chest wall at column 0', () => {
  // 40 wide x 20 tall breast: pad 10 above and 10 below.
  const img = image(60, 60, (x, y) => (x < 40 && y >= 5 && y < 25 ? 100 : 0));
  const p = preprocessMammogram(img, { size: 16, laterality: 'L' });
  assert.deepEqual(p.transform.pad, { left: 0, top: 10, right: 0, bottom: 10 });
  const c = toOutput(p.transform, { x: 0, y: 5 });
  assert.ok(Math.abs(c.x - (0.5 * 0.4 - 0.5)) < 1e-9 && Math.abs(c.y - (10.5 * 0.4 - 0.5)) < 1e-9);
});

test('without laterality the side with more breast becomes the chest wall', () => {
  // A triangle whose wide side (the chest wall) is on the right.
  const img = image(64, 64, (x, y) => (x >= 8 && Math.abs(y - 32) <= (x - 8) / 2 ? 150 : 0));
  const p = preprocessMammogram(img, { size: 16 });
  assert.equal(p.transform.massSide, 'right');
  assert.equal(p.transform.flipReason, 'mass');
  assert.equal(p.transform.flipped, true);
  // After the flip the left output column is brighter than the right one.
  let leftCol = 0;
  let rightCol = 0;
  for (let y = 0; y < 16; y++) {
    leftCol += p.data[y * 16]!;
    rightCol += p.data[y * 16 + 15]!;
  }
  assert.ok(leftCol > rightCol);
  assert.equal(preprocessMammogram(img, { size: 16, flip: 'none' }).transform.flipped, false);
});

test('area resize equals hand-computed means, including fractional overlaps', () => {
  const four = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  assert.deepEqual([...areaResize(four, 4, 4, 2, 2)], [3.5, 5.5, 11.5, 13.5]);
  // 3 -> 2: each output cell covers 1.5 input pixels (weights 2/3, 1/3).
  const nine = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const out = areaResize(nine, 3, 3, 2, 2);
  // e.g. out(1, 0): rows (2*0.5 + 3)/1.5 = 8/3 and (5*0.5 + 6)/1.5 = 17/3, then (8/3 + 17/3 * 0.5)/1.5 = 11/3.
  const want = [7 / 3, 11 / 3, 19 / 3, 23 / 3];
  want.forEach((w, i) => assert.ok(Math.abs(out[i]! - w) < 1e-5, `${i}: ${out[i]} vs ${w}`));
  // Upscaling by 2 replicates pixels.
  assert.deepEqual([...areaResize(Float32Array.from([1, 2, 3, 4]), 2, 2, 4, 4)], [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
});

test('largest component uses 8-connectivity, holes are filled, and large images do not overflow', () => {
  // A diagonal line of 3 pixels (one 8-component) beats two separate 2-pixel blobs.
  const fg = new Uint8Array(36);
  for (const i of [0, 7, 14, 4, 5, 34, 35]) fg[i] = 1;
  const c = largestComponent(fg, 6, 6)!;
  assert.equal(c.area, 3);
  assert.deepEqual(c.box, { x: 0, y: 0, width: 3, height: 3 });
  // A ring with a hole: the hole is filled, the outside is not.
  const ring = new Uint8Array(25);
  for (let y = 1; y < 4; y++) for (let x = 1; x < 4; x++) ring[y * 5 + x] = x === 2 && y === 2 ? 0 : 1;
  fillHoles(ring, 5, 5);
  assert.equal(ring[12], 1);
  assert.equal(ring[0], 0);
  const big = new Uint8Array(3000 * 2000).fill(1);
  assert.equal(largestComponent(big, 3000, 2000)!.area, 6e6);
});

test('otsu splits a bimodal histogram between the modes', () => {
  const data = new Uint8Array(200);
  data.fill(20, 0, 100);
  data.fill(180, 100);
  const t = otsuThreshold(data, 256);
  assert.ok(t >= 20 && t < 180);
  const img = image(50, 50, (x) => (x < 25 ? 0 : 30000), 16);
  const p = preprocessMammogram(img, { size: 16, threshold: 'otsu', laterality: 'R' });
  assert.deepEqual(p.transform.crop, { x: 25, y: 0, width: 25, height: 50 });
});

test('a mask warps with the image and a heatmap maps back onto the original', () => {
  const p = preprocessMammogram(rectWithMarker, { size: 25, laterality: 'R' });
  const lesion = new Uint8Array(100 * 80);
  for (let y = 30; y < 40; y++) for (let x = 30; x < 40; x++) lesion[y * 100 + x] = 1;
  const m = warpToOutput(p.transform, lesion);
  // Original x 30..39 is crop column 20..29, mirrored to 0..9, output 0..4; y 30..39 -> 7.5..12.5.
  assert.equal(m[10 * 25 + 2], 1);
  assert.equal(m[7 * 25 + 2], 0.5);
  assert.equal(m[10 * 25 + 6], 0);
  const back = heatmapToOriginal(p.transform, m);
  assert.equal(back[35 * 100 + 33], 1);
  assert.equal(back[7 * 100 + 82], 0, 'outside the crop stays 0');
});

test('rejects sizes outside 16..1024', () => {
  assert.throws(() => preprocessMammogram(rectWithMarker, { size: 8 }), /16\.\.1024/);
  assert.equal(preprocessMammogram(rectWithMarker, { size: 1024 }).data.length, 1024 * 1024);
});
