/** Run-length erosion, dilation and intersection against their pixel definitions on random masks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dilateRuns, erodeRuns, intersectRuns } from '../../../src/data/preprocess/morphology.js';
import { paintRuns, thresholdRuns } from '../../../src/data/preprocess/runs.js';
import { rng } from '../../tensor/helpers.js';

/** Erosion: every pixel of the square inside the image is set (outside counts as set). Dilation: any is. */
function naive(fg: Uint8Array, w: number, h: number, r: number, erode: boolean): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let all = true;
      let any = false;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          if (fg[ny * w + nx]) any = true;
          else all = false;
        }
      }
      out[y * w + x] = (erode ? all : any) ? 1 : 0;
    }
  }
  return out;
}

/** A union of a few random rectangles with some pixels flipped: blobs that survive erosion, and thin bits that do not. */
function randomMask(next: () => number, w: number, h: number): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let k = 1 + Math.floor(next() * 4); k > 0; k--) {
    const x0 = Math.floor(next() * w);
    const y0 = Math.floor(next() * h);
    const x1 = Math.min(w, x0 + 1 + Math.floor(next() * w));
    const y1 = Math.min(h, y0 + 1 + Math.floor(next() * h));
    for (let y = y0; y < y1; y++) m.fill(1, y * w + x0, y * w + x1);
  }
  for (let i = 0; i < m.length; i++) if (next() < 0.05) m[i] = 1 - m[i]!;
  return m;
}

test('run erosion and dilation by a square equal the pixel definitions on random masks', () => {
  const next = rng(5);
  let eroded = 0;
  for (let trial = 0; trial < 200; trial++) {
    const w = 1 + Math.floor(next() * 30);
    const h = 1 + Math.floor(next() * 30);
    const r = Math.floor(next() * 4);
    const fg = randomMask(next, w, h);
    const runs = thresholdRuns(fg, w, h, 0);
    if (r > 0 && erodeRuns(runs, w, h, r).count > 0) eroded++;
    assert.deepEqual(paintRuns(erodeRuns(runs, w, h, r), w, new Uint8Array(w * h)), naive(fg, w, h, r, true), `erode trial ${trial} ${w}x${h} r ${r}`);
    assert.deepEqual(paintRuns(dilateRuns(runs, w, h, r), w, new Uint8Array(w * h)), naive(fg, w, h, r, false), `dilate trial ${trial} ${w}x${h} r ${r}`);
  }
  assert.ok(eroded > 50, `${eroded} trials where erosion by r >= 1 left something`);
});

test('dilating chosen runs grows only those; intersection is the pixelwise and', () => {
  const next = rng(9);
  for (let trial = 0; trial < 100; trial++) {
    const w = 2 + Math.floor(next() * 25);
    const h = 2 + Math.floor(next() * 25);
    const a = randomMask(next, w, h);
    const b = randomMask(next, w, h);
    const ra = thresholdRuns(a, w, h, 0);
    const rb = thresholdRuns(b, w, h, 0);
    const both = paintRuns(intersectRuns(ra, rb, h), w, new Uint8Array(w * h));
    assert.deepEqual(both, Uint8Array.from(a, (v, i) => v & b[i]!), `trial ${trial}`);
    // Only the even-numbered runs of a, dilated by 1.
    const members = Int32Array.from({ length: Math.ceil(ra.count / 2) }, (_, k) => 2 * k);
    const only = new Uint8Array(w * h);
    for (const i of members) only.fill(1, ra.row[i]! * w + ra.start[i]!, ra.row[i]! * w + ra.end[i]!);
    assert.deepEqual(paintRuns(dilateRuns(ra, w, h, 1, members), w, new Uint8Array(w * h)), naive(only, w, h, 1, false), `members trial ${trial}`);
  }
});
