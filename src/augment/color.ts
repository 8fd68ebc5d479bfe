/**
 * Brightness and contrast jitter with per-image factors and per-image on/off draws, as tensor
 * ops over the whole batch. Each result is clamped to [0, 1], as torchvision's adjust_* do.
 */
import { F, tensor, type Generator, type Tensor } from '../tensor/index.js';
import type { JitterConfig } from './config.js';
import { uniforms } from './random.js';

export interface JitterDraw {
  /** Whether image k is jittered. */
  applied: boolean[];
  /** Its factor; drawn for every image so the generator advances the same whatever p is. */
  factor: number[];
}

/** Per image: applied with probability p, factor ~ U[max(0, 1 - strength), 1 + strength]. */
export function sampleJitter(n: number, cfg: JitterConfig, generator: Generator): JitterDraw {
  const u = uniforms(2 * n, generator);
  const lo = Math.max(0, 1 - cfg.strength);
  const hi = 1 + cfg.strength;
  const applied: boolean[] = [];
  const factor: number[] = [];
  for (let k = 0; k < n; k++) {
    applied.push(u[2 * k]! < cfg.p);
    factor.push(lo + (hi - lo) * u[2 * k + 1]!);
  }
  return { applied, factor };
}

function perImage(values: number[]): Tensor {
  return tensor(Float32Array.from(values), [values.length, 1, 1, 1]);
}

/** clamp(x * f, 0, 1) per image (factor 1 where not applied, which changes nothing in [0, 1]). */
export function adjustBrightness(x: Tensor, draw: JitterDraw): Tensor {
  const f = perImage(draw.factor.map((v, k) => (draw.applied[k] ? v : 1)));
  const y = x.mul(f);
  f.dispose();
  const out = y.clamp(0, 1);
  y.dispose();
  return out;
}

/**
 * Per-image mean intensity [N, 1, 1, 1]. For 3 channels, the mean of torchvision's grayscale
 * (0.2989 R + 0.587 G + 0.114 B: rgb_to_grayscale of torchvision 0.14), as adjust_contrast uses; for 1 channel, the plain mean.
 */
export function imageMean(x: Tensor): Tensor {
  const c = x.size(1);
  if (c === 1) return x.mean([1, 2, 3], true);
  if (c !== 3) throw new Error(`imageMean: 1 or 3 channels, got ${c}`);
  const m = x.mean([2, 3], true);
  const w = tensor([0.2989, 0.587, 0.114]).view(1, 3, 1, 1);
  const mw = m.mul(w);
  m.dispose();
  w.dispose();
  const out = mw.sum(1, true);
  mw.dispose();
  return out;
}

/**
 * clamp((x - mean) f + mean, 0, 1) for the images drawn; the others are passed through
 * untouched (selected with where, because (x - m) * 1 + m is not x bit for bit).
 */
export function adjustContrast(x: Tensor, draw: JitterDraw): Tensor {
  if (!draw.applied.some(Boolean)) return x.clone();
  const m = imageMean(x);
  const f = perImage(draw.factor);
  const centred = x.sub(m);
  const scaled = centred.mul(f);
  const shifted = scaled.add(m);
  const clamped = shifted.clamp(0, 1);
  const mask = tensor(Uint8Array.from(draw.applied, Number), [x.size(0), 1, 1, 1], { dtype: 'bool' });
  const out = F.where(mask, clamped, x);
  for (const t of [m, f, centred, scaled, shifted, clamped, mask]) t.dispose();
  return out;
}
