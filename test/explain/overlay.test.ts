import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { GrayImage } from '../../src/data/image.js';
import { toOriginal, toOutput, heatmapToOriginal, type PreprocessTransform } from '../../src/data/preprocess/transform.js';
import { colormap, overlayOnOriginal, writeOverlayPng } from '../../src/explain/overlay.js';

// An 80x60 original; the breast crop (40x30 at (10, 5)) is mirrored, padded 5 rows above and
// below to a 40x40 square and scaled to a 32 px network input (0.8 output px per original px).
const T: PreprocessTransform = {
  original: { width: 80, height: 60 },
  crop: { x: 10, y: 5, width: 40, height: 30 },
  flipped: true,
  flipReason: 'laterality',
  massSide: 'right',
  pad: { left: 0, top: 5, right: 0, bottom: 5 },
  squareSize: 40,
  outputSize: 32,
  scale: 0.8,
};

function image(): GrayImage {
  const data = new Uint8Array(80 * 60);
  for (let y = 0; y < 60; y++) for (let x = 0; x < 80; x++) data[y * 80 + x] = (x * 3 + y) % 200;
  return { width: 80, height: 60, bitDepth: 8, data, meta: { source: 'test', format: 'png' } };
}

/** A Gaussian peak at network-input pixel (px, py). */
function peakMap(px: number, py: number, sigma: number, size = 32): Float32Array {
  const m = new Float32Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) m[y * size + x] = Math.exp(-((x - px) ** 2 + (y - py) ** 2) / (2 * sigma * sigma));
  return m;
}

test('colour maps: jet and turbo run blue to red, jet matches its piecewise formula', () => {
  assert.deepEqual(colormap(0, 'jet'), [0, 0, 0.5]);
  assert.deepEqual(colormap(0.5, 'jet'), [0.5, 1, 0.5]);
  assert.deepEqual(colormap(0.75, 'jet'), [1, 0.5, 0]);
  assert.deepEqual(colormap(1, 'jet'), [0.5, 0, 0]);
  const lo = colormap(0.15, 'turbo');
  const hi = colormap(0.8, 'turbo');
  assert.ok(lo[2] > lo[0] && hi[0] > 0.9 && hi[2] < 0.1, `turbo ${lo} ${hi}`);
});

test('a heatmap peak at a network-input point lands on the mapped point of the original (crop, flip, pad)', () => {
  const net = { x: 9, y: 20 };
  const orig = toOriginal(T, net);
  // Flip: network x 9 (near the chest wall, left) is the crop's right side in the original.
  assert.ok(orig.x > T.crop.x + T.crop.width / 2, `flipped x ${orig.x}`);
  const back = toOutput(T, orig);
  assert.ok(Math.abs(back.x - 9) < 1e-9 && Math.abs(back.y - 20) < 1e-9);
  const heat = heatmapToOriginal(T, peakMap(net.x, net.y, 3));
  let best = 0;
  for (let i = 1; i < heat.length; i++) if (heat[i]! > heat[best]!) best = i;
  const bx = best % 80;
  const by = Math.floor(best / 80);
  assert.ok(Math.hypot(bx - orig.x, by - orig.y) <= 0.75, `peak at (${bx}, ${by}), mapped point (${orig.x}, ${orig.y})`);
  // Outside the crop the heatmap is undefined: zero heat and the plain grayscale image.
  const rgb = overlayOnOriginal(image(), T, peakMap(net.x, net.y, 3), 32, { opacity: 0.4 });
  const i = 2 * 80 + 70;
  assert.equal(heat[i], 0);
  assert.deepEqual(Array.from(rgb.data.subarray(3 * i, 3 * i + 3)), [Math.round(((70 * 3 + 2) % 200) / 199 * 255), Math.round(((70 * 3 + 2) % 200) / 199 * 255), Math.round(((70 * 3 + 2) % 200) / 199 * 255)]);
  // Inside: (1 - a) * gray + a * jet(heat), per channel.
  const j = by * 80 + bx;
  const g = image().data[j]! / 199;
  const c = colormap(heat[j]!, 'jet');
  for (let ch = 0; ch < 3; ch++) assert.ok(Math.abs(rgb.data[3 * j + ch]! - 255 * (0.6 * g + 0.4 * c[ch]!)) <= 0.5 + 1e-9);
});

test('the PNG has the original size and its red channel peaks around the mapped point', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mammoclr-overlay-'));
  try {
    const net = { x: 22, y: 10 };
    const orig = toOriginal(T, net);
    const path = join(dir, 'sub', 'overlay.png');
    await writeOverlayPng(path, image(), T, peakMap(net.x, net.y, 2.5), 32, { opacity: 1, colormap: 'jet' });
    assert.deepEqual(await readdir(join(dir, 'sub')), ['overlay.png'], 'no temporary file left behind');
    const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
    assert.equal(info.width, 80);
    assert.equal(info.height, 60);
    assert.equal(info.channels, 3);
    // Jet saturates red on a ring around the peak (heat 0.625-0.875): its centroid is the peak.
    let sx = 0, sy = 0, n = 0, maxR = 0, far = 0;
    for (let y = 0; y < 60; y++) {
      for (let x = 0; x < 80; x++) {
        // Outside the crop the grayscale image shows through (white pixels there are not heat).
        if (x < T.crop.x || x >= T.crop.x + T.crop.width || y < T.crop.y || y >= T.crop.y + T.crop.height) continue;
        const r = data[3 * (y * 80 + x)]!;
        maxR = Math.max(maxR, r);
        if (r === 255) { sx += x; sy += y; n++; }
        if (Math.hypot(x - orig.x, y - orig.y) > 12) far = Math.max(far, r);
      }
    }
    assert.equal(maxR, 255);
    assert.ok(n >= 4);
    const d = Math.hypot(sx / n - orig.x, sy / n - orig.y);
    assert.ok(d < 1, `red centroid (${(sx / n).toFixed(2)}, ${(sy / n).toFixed(2)}) vs mapped point (${orig.x}, ${orig.y})`);
    // Far from the peak inside the crop the colour is blue: little red.
    assert.ok(far < 40, `red far from the peak: ${far}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
