import type { GrayImage, Laterality } from '../image.js';
import type { Lesion } from '../records.js';
import { createRng, type Rng, type Seed } from '../rng.js';
import { fractalNoise } from './noise.js';

export type PhantomLabel = 'normal' | 'benign' | 'malignant';
export type PhantomLesionKind = 'round' | 'spiculated' | 'calcifications';

/**
 * The label rule: normal = no lesion; benign = one round, smooth-edged mass; malignant = one
 * spiculated mass or one cluster of microcalcifications (chosen 50/50). It follows the BI-RADS
 * descriptors (circumscribed round mass: usually benign; spiculated margin or clustered fine
 * calcifications: suspicious), simplified so the label is a function of the lesion's shape.
 */
export function lesionKindsFor(label: PhantomLabel): PhantomLesionKind[] {
  return label === 'normal' ? [] : label === 'benign' ? ['round'] : ['spiculated', 'calcifications'];
}

export interface PhantomSpec {
  seed: Seed;
  /** Image index within the seed's stream; the pixels depend only on (seed, index, spec). */
  index: number;
  label: PhantomLabel;
  laterality: Laterality;
  /** Side in pixels. Default 256. */
  size?: number;
  /** ACR density 1-4 (fatty .. extremely dense). Default: drawn from the seed. */
  density?: 1 | 2 | 3 | 4;
  /** Add a bright film-label marker outside the breast (preprocessing must remove it). Default: drawn, p = 0.5. */
  marker?: boolean;
  /** Force the malignant lesion kind instead of drawing it. */
  kind?: PhantomLesionKind;
  /**
   * Lesion size relative to the default (3.5-5.5 % of the side). Larger values make lesions that
   * survive heavy downsampling, for tests and demos at 16 px.
   */
  lesionScale?: number;
}

export interface Phantom {
  /** 16-bit, background 0; chest wall on the left for L and on the right for R (the display convention). */
  image: GrayImage;
  /** 1 on the lesion (mass body and spicules; the disc of a calcification cluster), else 0. */
  mask: Uint8Array;
  /** 1 inside the breast outline (skin included). */
  breast: Uint8Array;
  label: PhantomLabel;
  laterality: Laterality;
  density: 1 | 2 | 3 | 4;
  lesions: Lesion[];
  hasMarker: boolean;
}

const PEAK = 60000; // below 65535 so noise and calcifications never clip

/** Renders one phantom mammogram (CC-like view). About 2-4 ms at 256 x 256. */
export function renderPhantom(spec: PhantomSpec): Phantom {
  const S = spec.size ?? 256;
  if (!Number.isInteger(S) || S < 32 || S > 4096) throw new Error(`phantom size must be 32..4096, got ${S}`);
  const rng = createRng(spec.seed, 'phantom', spec.index);
  const density = spec.density ?? ((1 + rng.int(4)) as 1 | 2 | 3 | 4);
  const hasMarker = spec.marker ?? rng.next() < 0.5;

  // Breast: half an ellipse against the chest wall. a = depth (nipple distance), b = half height.
  const a = S * rng.uniform(0.45, 0.78);
  const b = S * rng.uniform(0.3, 0.44);
  const cy = S * (0.5 + rng.uniform(-0.05, 0.05));
  const left = spec.laterality === 'L';
  const depth = (x: number): number => (left ? x + 0.5 : S - x - 0.5);

  const coarse = fractalNoise(rng, S, S, 3, 5, 0.6);
  const fine = fractalNoise(rng, S, S, 24, 2, 0.5);
  // Dense-tissue threshold chosen so roughly 15/35/55/75 % of the breast is fibroglandular.
  const cut = [1.1, 0.5, -0.1, -0.7][density - 1]!;
  const img = new Float32Array(S * S);
  const breast = new Uint8Array(S * S);
  const skinPx = Math.max(1.5, S / 160);
  const minAxis = Math.min(a, b);
  for (let y = 0; y < S; y++) {
    const dy = (y + 0.5 - cy) / b;
    for (let x = 0; x < S; x++) {
      const dx = depth(x) / a;
      const rho2 = dx * dx + dy * dy;
      if (rho2 > 1) continue;
      const i = y * S + x;
      breast[i] = 1;
      const rho = Math.sqrt(rho2);
      // Compressed-breast thickness: flat inside, rolling off over the outer ~15 %.
      const thick = Math.min(1, 3 * Math.sqrt(1 - rho2));
      // Glandular tissue gathers behind the nipple, away from the skin.
      const g = coarse[i]! + 1.2 * (0.6 - rho);
      const dense = Math.min(1, Math.max(0, (g - cut) / 1.1));
      let v = thick * (0.28 + 0.34 * dense + 0.06 * fine[i]! * (0.3 + dense));
      if ((1 - rho) * minAxis < skinPx) v += 0.1;
      img[i] = v;
    }
  }

  const lesions: Lesion[] = [];
  const mask = new Uint8Array(S * S);
  const kinds = lesionKindsFor(spec.label);
  if (kinds.length > 0) {
    // A separate stream, so the same (seed, index) rendered as normal is this image minus the lesion.
    const lrng = createRng(spec.seed, 'lesion', spec.index);
    const kind = spec.kind && kinds.includes(spec.kind) ? spec.kind : kinds[lrng.int(kinds.length)]!;
    // Centre well inside the breast: 25-65 % of the depth from the chest wall, and vertically
    // within the middle 60 % of the breast's height at that depth, so it never touches the skin.
    const cd = a * lrng.uniform(0.25, 0.65);
    const halfH = b * Math.sqrt(1 - (cd / a) ** 2);
    const cx = left ? cd - 0.5 : S - cd - 0.5;
    const cyL = cy - 0.5 + halfH * lrng.uniform(-0.6, 0.6);
    const radius = drawLesion(kind, lrng, S, img, mask, cx, cyL, spec.lesionScale ?? 1);
    lesions.push({ x: cx, y: cyL, radius, kind, severity: spec.label === 'benign' ? 'benign' : 'malignant' });
  }
  for (let i = 0; i < mask.length; i++) mask[i] = mask[i]! & breast[i]!;

  if (hasMarker) {
    // A film label in the far top corner; the breast (a <= 0.78 S) never reaches x > 0.8 S.
    const w = Math.max(3, Math.round(S * 0.07));
    const h = Math.max(2, Math.round(S * 0.035));
    const x0 = left ? Math.round(S * 0.88) : Math.round(S * 0.12) - w;
    const y0 = Math.round(S * 0.03);
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) img[y * S + x] = 0.95;
  }

  const data = new Uint16Array(S * S);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(Math.min(1, Math.max(0, img[i]!)) * PEAK);
  const image: GrayImage = {
    width: S,
    height: S,
    bitDepth: 16,
    data,
    meta: { source: `phantom:${spec.seed}/${spec.index}`, format: 'phantom', laterality: spec.laterality, view: 'CC' },
  };
  return { image, mask, breast, label: spec.label, laterality: spec.laterality, density, lesions, hasMarker };
}

/** Adds one lesion to `img` and marks it in `mask`; returns its enclosing radius in pixels. */
function drawLesion(kind: PhantomLesionKind, rng: Rng, S: number, img: Float32Array, mask: Uint8Array, cx: number, cy: number, scale: number): number {
  const box = (r: number, f: (x: number, y: number, dx: number, dy: number) => void): void => {
    const x0 = Math.max(0, Math.floor(cx - r - 1));
    const x1 = Math.min(S - 1, Math.ceil(cx + r + 1));
    const y0 = Math.max(0, Math.floor(cy - r - 1));
    const y1 = Math.min(S - 1, Math.ceil(cy + r + 1));
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) f(x, y, x - cx, y - cy);
  };
  if (kind === 'round') {
    // Circumscribed: a dome with a smooth ~2 px edge.
    const r = scale * S * rng.uniform(0.035, 0.055);
    const c = rng.uniform(0.1, 0.16);
    box(r + 2, (x, y, dx, dy) => {
      const d = Math.hypot(dx, dy);
      const edge = Math.min(1, Math.max(0, (r + 1 - d) / 2));
      const dome = d < r ? Math.sqrt(1 - (d / r) ** 2) : 0;
      img[y * S + x]! += c * edge * (0.5 + 0.5 * dome);
      if (d <= r) mask[y * S + x] = 1;
    });
    return r;
  }
  if (kind === 'spiculated') {
    // Irregular core (radius modulated by a few harmonics) plus thin radiating spicules.
    const r = scale * S * rng.uniform(0.028, 0.045);
    const c = rng.uniform(0.12, 0.18);
    const harm = [2, 3, 5].map((k) => ({ k, amp: rng.uniform(0.05, 0.15), ph: rng.uniform(0, 2 * Math.PI) }));
    const nSp = 8 + rng.int(7);
    const spicules = Array.from({ length: nSp }, (_, i) => ({
      angle: ((i + rng.uniform(-0.3, 0.3)) / nSp) * 2 * Math.PI,
      length: r * rng.uniform(1.8, 2.8),
    }));
    const reach = r * 1.3 + Math.max(...spicules.map((s) => s.length));
    box(reach, (x, y, dx, dy) => {
      const d = Math.hypot(dx, dy);
      const th = Math.atan2(dy, dx);
      const rr = r * (1 + harm.reduce((s, h) => s + h.amp * Math.sin(h.k * th + h.ph), 0));
      let v = d < rr ? c * (0.7 + 0.3 * Math.sqrt(1 - (d / rr) ** 2)) : 0;
      for (const s of spicules) {
        const ux = Math.cos(s.angle);
        const uy = Math.sin(s.angle);
        const along = dx * ux + dy * uy;
        if (along < 0 || along > s.length) continue;
        const across = Math.abs(dx * uy - dy * ux);
        const wv = Math.max(0, 1 - across / 1.2);
        v = Math.max(v, c * 0.7 * wv * (1 - along / s.length));
      }
      if (v > 0) {
        img[y * S + x]! += v;
        if (d < rr || v > c * 0.15) mask[y * S + x] = 1;
      }
    });
    return Math.max(...spicules.map((s) => s.length));
  }
  // Calcification cluster: 10-20 tiny bright specks inside a disc; the mask is the disc,
  // as MIAS and CBIS annotate clusters rather than single calcifications.
  const R = scale * S * rng.uniform(0.035, 0.055);
  const n = 10 + rng.int(11);
  const dots = Array.from({ length: n }, () => {
    const rr = R * Math.sqrt(rng.next());
    const a = rng.uniform(0, 2 * Math.PI);
    return { x: cx + rr * Math.cos(a), y: cy + rr * Math.sin(a), r: rng.uniform(0.7, 1.4) * Math.max(1, S / 256), c: rng.uniform(0.4, 0.7) };
  });
  box(R + 2, (x, y, dx, dy) => {
    if (Math.hypot(dx, dy) <= R) mask[y * S + x] = 1;
    for (const d of dots) {
      const dd = Math.hypot(x - d.x, y - d.y);
      if (dd < d.r + 0.5) img[y * S + x]! += d.c * Math.min(1, d.r + 0.5 - dd);
    }
  });
  return R;
}
