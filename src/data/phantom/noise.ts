import type { Rng } from '../rng.js';

/**
 * Fractal value noise: a sum of octaves of smoothly interpolated random lattices, each octave
 * twice as fine and `gain` times as strong as the last. Cheap (one bilinear lookup per pixel per
 * octave) and seeded through `rng`, it gives the blobby, multi-scale look of fibroglandular
 * tissue. Output is normalised to zero mean and unit standard deviation.
 */
export function fractalNoise(rng: Rng, width: number, height: number, baseCells: number, octaves: number, gain = 0.55): Float32Array {
  const out = new Float32Array(width * height);
  let amp = 1;
  let cells = baseCells;
  for (let o = 0; o < octaves; o++) {
    const gw = cells + 2;
    const gh = Math.ceil((cells * height) / width) + 2;
    const grid = new Float32Array(gw * gh);
    for (let i = 0; i < grid.length; i++) grid[i] = rng.next() * 2 - 1;
    const step = width / cells;
    // Per-column lattice index and smoothstep weight, shared by every row.
    const gx = new Int32Array(width);
    const wx = new Float32Array(width);
    for (let x = 0; x < width; x++) {
      const u = x / step;
      gx[x] = Math.floor(u);
      const f = u - gx[x]!;
      wx[x] = f * f * (3 - 2 * f);
    }
    for (let y = 0; y < height; y++) {
      const v = y / step;
      const j = Math.floor(v);
      const fy = v - j;
      const wy = fy * fy * (3 - 2 * fy);
      const r0 = j * gw;
      const r1 = r0 + gw;
      const row = y * width;
      for (let x = 0; x < width; x++) {
        const i = gx[x]!;
        const w = wx[x]!;
        const top = grid[r0 + i]! + (grid[r0 + i + 1]! - grid[r0 + i]!) * w;
        const bot = grid[r1 + i]! + (grid[r1 + i + 1]! - grid[r1 + i]!) * w;
        out[row + x]! += amp * (top + (bot - top) * wy);
      }
    }
    amp *= gain;
    cells *= 2;
  }
  let mean = 0;
  for (let i = 0; i < out.length; i++) mean += out[i]!;
  mean /= out.length;
  let sq = 0;
  for (let i = 0; i < out.length; i++) sq += (out[i]! - mean) ** 2;
  const sd = Math.sqrt(sq / out.length) || 1;
  for (let i = 0; i < out.length; i++) out[i] = (out[i]! - mean) / sd;
  return out;
}
