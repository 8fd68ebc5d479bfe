/**
 * The run-length labelling and the row-streamed resize against naive references (the
 * definitions they replace): random masks, ties, corner contacts, holes at the border, flips.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GrayImage } from '../../../src/data/image.js';
import { areaResize, fillHoles, largestComponent, preprocessMammogram, warpToOutput } from '../../../src/data/preprocess/index.js';

/** Deterministic xorshift PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** Pixel-by-pixel BFS labelling: the textbook definition. */
function naiveLargest(fg: Uint8Array, w: number, h: number): { mask: Uint8Array; area: number } | undefined {
  const label = new Int32Array(w * h);
  let best = 0;
  let bestArea = 0;
  let next = 0;
  for (let s = 0; s < fg.length; s++) {
    if (!fg[s] || label[s]) continue;
    next++;
    const queue = [s];
    label[s] = next;
    let area = 0;
    while (queue.length) {
      const p = queue.pop()!;
      area++;
      const x = p % w;
      const y = (p - x) / w;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const q = ny * w + nx;
          if (fg[q] && !label[q]) {
            label[q] = next;
            queue.push(q);
          }
        }
      }
    }
    if (area > bestArea) {
      bestArea = area;
      best = next;
    }
  }
  if (!best) return undefined;
  return { mask: Uint8Array.from(label, (l) => (l === best ? 1 : 0)), area: bestArea };
}

/** Zero pixels 4-connected to the border stay 0, everything else becomes 1. */
function naiveFill(mask: Uint8Array, w: number, h: number): Uint8Array {
  const outside = new Uint8Array(w * h);
  const queue: number[] = [];
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if ((x === 0 || y === 0 || x === w - 1 || y === h - 1) && !mask[y * w + x]) queue.push(y * w + x);
  for (const p of queue) outside[p] = 1;
  while (queue.length) {
    const p = queue.pop()!;
    const x = p % w;
    for (const q of [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p - w, p + w]) {
      if (q >= 0 && q < w * h && !mask[q] && !outside[q]) {
        outside[q] = 1;
        queue.push(q);
      }
    }
  }
  return Uint8Array.from(outside, (o) => (o ? 0 : 1));
}

test('run labelling equals pixel BFS on random masks (8-connectivity, first-found ties)', () => {
  const next = rng(7);
  for (let trial = 0; trial < 300; trial++) {
    const w = 1 + Math.floor(next() * 40);
    const h = 1 + Math.floor(next() * 40);
    const density = next();
    const fg = Uint8Array.from({ length: w * h }, () => (next() < density ? 1 : 0));
    const got = largestComponent(fg, w, h);
    const want = naiveLargest(fg, w, h);
    assert.equal(got?.area, want?.area, `trial ${trial}`);
    if (got && want) assert.deepEqual(got.mask, want.mask, `trial ${trial} ${w}x${h}`);
  }
});

test('run hole filling equals a 4-connected border flood on random masks', () => {
  const next = rng(11);
  for (let trial = 0; trial < 300; trial++) {
    const w = 1 + Math.floor(next() * 30);
    const h = 1 + Math.floor(next() * 30);
    const density = next();
    const mask = Uint8Array.from({ length: w * h }, () => (next() < density ? 1 : 0));
    const want = naiveFill(mask, w, h);
    fillHoles(mask, w, h);
    assert.deepEqual(mask, want, `trial ${trial} ${w}x${h}`);
  }
});

test('a hole that touches the border only diagonally stays filled', () => {
  // 0 at (1,1) is enclosed 4-wise; (0,0) is outside. They touch only corner-wise.
  const m = Uint8Array.from([0, 1, 1, 1, 0, 1, 1, 1, 1]);
  fillHoles(m, 3, 3);
  assert.deepEqual([...m], [0, 1, 1, 1, 1, 1, 1, 1, 1]);
});

/** The former two-plane area resize (per-cell weight lists, float64 intermediate plane). */
function refResize(src: Float32Array, sw: number, sh: number, dw: number, dh: number): Float32Array {
  const weights = (n: number, m: number) =>
    Array.from({ length: m }, (_, o) => {
      const lo = (o * n) / m;
      const hi = ((o + 1) * n) / m;
      const start = Math.floor(lo);
      const end = Math.min(n, Math.ceil(hi));
      return { start, w: Array.from({ length: end - start }, (_, k) => (Math.min(hi, start + k + 1) - Math.max(lo, start + k)) / (hi - lo)) };
    });
  const wx = weights(sw, dw);
  const wy = weights(sh, dh);
  const tmp = new Float64Array(sh * dw);
  for (let y = 0; y < sh; y++) {
    for (let o = 0; o < dw; o++) {
      let s = 0;
      wx[o]!.w.forEach((w, k) => (s += src[y * sw + wx[o]!.start + k]! * w));
      tmp[y * dw + o] = s;
    }
  }
  const out = new Float32Array(dw * dh);
  for (let o = 0; o < dh; o++) {
    for (let x = 0; x < dw; x++) {
      let s = 0;
      wy[o]!.w.forEach((w, k) => (s += tmp[(wy[o]!.start + k) * dw + x]! * w));
      out[o * dw + x] = s;
    }
  }
  return out;
}

test('areaResize equals the two-plane reference bit for bit, down and up, any values', () => {
  const next = rng(5);
  for (let trial = 0; trial < 60; trial++) {
    const sw = 1 + Math.floor(next() * 70);
    const sh = 1 + Math.floor(next() * 70);
    const dw = 1 + Math.floor(next() * 50);
    const dh = 1 + Math.floor(next() * 50);
    const src = Float32Array.from({ length: sw * sh }, () => (next() < 0.3 ? 0 : next() * 4 - 1));
    assert.deepEqual(areaResize(src, sw, sh, dw, dh), refResize(src, sw, sh, dw, dh), `trial ${trial} ${sw}x${sh} -> ${dw}x${dh}`);
  }
});

test('streamed warp equals a resize of the whole padded square, flipped or not', () => {
  const next = rng(3);
  for (let trial = 0; trial < 40; trial++) {
    const width = 20 + Math.floor(next() * 60);
    const height = 20 + Math.floor(next() * 60);
    const data = new Uint8Array(width * height);
    // A blob with holes and a detached marker, so crops, masks and padding all vary.
    const cx = next() * width;
    const cy = next() * height;
    const r = 5 + next() * 20;
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if ((x - cx) ** 2 + (y - cy) ** 2 < r * r && next() < 0.9) data[y * width + x] = 1 + Math.floor(next() * 255);
    data[0] = 255;
    const image: GrayImage = { width, height, bitDepth: 8, data, meta: { source: 'random', format: 'png' } };
    for (const flip of ['mass', 'none'] as const) {
      const size = 16 + Math.floor(next() * 40);
      const p = preprocessMammogram(image, { size, flip });
      // Reference: the full masked float plane, placed in the square by hand, then areaResize.
      let peak = 0;
      for (let i = 0; i < data.length; i++) if (p.mask[i] && data[i]! > peak) peak = data[i]!;
      const plane = Float32Array.from(data, (v, i) => (p.mask[i] ? Math.min(1, v * (1 / peak)) : 0));
      const t = p.transform;
      const square = new Float32Array(t.squareSize ** 2);
      for (let y = 0; y < t.crop.height; y++) {
        for (let x = 0; x < t.crop.width; x++) {
          const sx = t.flipped ? t.crop.width - 1 - x : x;
          square[(y + t.pad.top) * t.squareSize + x] = plane[(t.crop.y + y) * width + t.crop.x + sx]!;
        }
      }
      const want = refResize(square, t.squareSize, t.squareSize, size, size);
      assert.deepEqual(p.data, want, `trial ${trial} flip ${flip}`);
      assert.deepEqual(warpToOutput(t, plane), want, `warpToOutput, trial ${trial}`);
    }
  }
});
