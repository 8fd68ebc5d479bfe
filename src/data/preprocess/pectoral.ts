/**
 * The pectoral muscle of a mediolateral-oblique view: a bright wedge in the upper chest-wall
 * corner whose edge is close to a straight line (Kwok et al. 2004, "Automatic pectoral muscle
 * segmentation on mediolateral oblique view mammograms", IEEE TMI 23(9), straight-line estimate).
 * On a plane of block means (about 128 blocks on the long side, chest wall on the left), two
 * detectors each give one edge point per row of the upper 70 %: the end of the bright run from
 * the chest wall (brighter than Otsu's level of the upper-left corner), and the strongest
 * bright-to-dark step of the smoothed row. A line fitted to all points by consensus (every pair
 * of points proposes a line; the one that passes within 4 % of the width of points on the most
 * rows wins, then least squares on those) is kept only when it is shaped like the muscle's edge:
 * sloping toward the chest wall going down (0.15-4 columns per row), meeting the top between 10
 * and 90 % of the width and the chest wall in the upper 10-100 % of the height, supported on at
 * least 40 % of the rows it spans. Otherwise nothing is removed.
 */
import type { Box } from './components.js';
import { runsFromRows } from './morphology.js';
import type { Runs } from './runs.js';
import { otsuThreshold } from './threshold.js';

/** The muscle's edge in the crop, chest wall on the left: column top + slope * row (crop pixels). */
export interface PectoralLine {
  top: number;
  slope: number;
}

/** Blocks on the long side of the plane the line is found on. */
const PLANE_BLOCKS = 128;

export function findPectoralLine(data: Uint8Array | Uint16Array, width: number, kept: Runs, crop: Box, flipped: boolean): PectoralLine | null {
  const step = Math.max(1, Math.round(Math.max(crop.width, crop.height) / PLANE_BLOCKS));
  const w = Math.floor(crop.width / step);
  const h = Math.floor(crop.height / step);
  if (w < 8 || h < 8) return null;
  const sum = new Float64Array(w * h);
  const count = new Float64Array(w * h);
  for (let i = 0; i < kept.count; i++) {
    const r = Math.floor((kept.row[i]! - crop.y) / step);
    if (r < 0 || r >= h) continue;
    const base = kept.row[i]! * width;
    for (let x = kept.start[i]!; x < kept.end[i]!; x++) {
      const c = Math.floor((flipped ? crop.width - 1 - (x - crop.x) : x - crop.x) / step);
      if (c >= w) continue;
      sum[r * w + c]! += data[base + x]!;
      count[r * w + c]! += 1;
    }
  }
  const ok = new Uint8Array(w * h);
  const mean = new Float64Array(w * h);
  for (let k = 0; k < w * h; k++) {
    ok[k] = count[k]! >= (step * step) / 2 ? 1 : 0;
    if (ok[k]) mean[k] = sum[k]! / count[k]!;
  }
  const rows = Math.floor(0.7 * h);
  const points = [...brightRunEnds(mean, ok, w, h, rows), ...strongestSteps(mean, ok, w, h, rows)];
  const line = consensusLine(points, Math.max(2, 0.04 * w));
  if (!line) return null;
  const { p, s, support } = line;
  const reach = -p / s; // the row where the edge meets the chest wall
  const plausible = s <= -0.15 && s >= -4 && p >= 0.1 * w && p <= 0.9 * w && reach >= 0.1 * h && reach <= h && support >= 0.4 * reach;
  if (!plausible) return null;
  // Block row r is centred on crop row (r + 0.5) * step, and a run of k blocks ends at column k * step.
  return { top: step * (p - 0.5 * s), slope: s };
}

type EdgePoint = [row: number, column: number];

/** Per row, the length in blocks of the run from the chest wall brighter than Otsu's level of the upper-left corner. */
function brightRunEnds(mean: Float64Array, ok: Uint8Array, w: number, h: number, rows: number): EdgePoint[] {
  const corner: number[] = [];
  for (let r = 0; r < Math.floor(0.6 * h); r++) for (let c = 0; c < Math.floor(0.6 * w); c++) if (ok[r * w + c]) corner.push(Math.floor(mean[r * w + c]!));
  if (corner.length === 0) return [];
  const levels = Uint16Array.from(corner, (v) => Math.min(v, 65535));
  const t = otsuThreshold(levels, Math.max(...levels) + 1);
  const out: EdgePoint[] = [];
  for (let r = 0; r < rows; r++) {
    let k = 0;
    while (k < w && ok[r * w + k] && mean[r * w + k]! > t) k++;
    if (k > 0) out.push([r, k]);
  }
  return out;
}

/** Per row, the column of the largest drop between the two blocks before and the two from it (3 x 3 box-smoothed plane); the weakest 30 % of rows are dropped. */
function strongestSteps(mean: Float64Array, ok: Uint8Array, w: number, h: number, rows: number): EdgePoint[] {
  const smooth = new Float64Array(w * h);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      let acc = 0;
      for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) acc += mean[clamp(r + dr, h) * w + clamp(c + dc, w)]!;
      smooth[r * w + c] = acc / 9;
    }
  }
  const found: { r: number; k: number; drop: number }[] = [];
  for (let r = 0; r < rows; r++) {
    let drop = 0;
    let at = 0;
    for (let k = 2; k < Math.floor(0.8 * w); k++) {
      const i = r * w + k;
      if (!ok[i - 2] || !ok[i + 1]) continue;
      const d = (smooth[i - 2]! + smooth[i - 1]!) / 2 - (smooth[i]! + smooth[i + 1]!) / 2;
      if (d > drop) {
        drop = d;
        at = k;
      }
    }
    found.push({ r, k: at, drop });
  }
  const floor = Math.max(quantile(found.map((f) => f.drop), 0.3), 1e-9);
  return found.filter((f) => f.k > 0 && f.drop >= floor).map((f) => [f.r, f.k]);
}

/** The line through the most rows' points (within tol), refitted by least squares on them. */
function consensusLine(points: EdgePoint[], tol: number): { p: number; s: number; support: number } | null {
  let best: boolean[] | null = null;
  let bestRows = 0;
  const seen = new Int32Array(points.reduce((m, [r]) => Math.max(m, r), 0) + 1).fill(-1);
  let pair = 0;
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const [ri, ci] = points[i]!;
      const [rj, cj] = points[j]!;
      if (ri === rj) continue;
      const s = (cj - ci) / (rj - ri);
      if (s >= 0) continue;
      const p = ci - s * ri;
      let n = 0;
      pair++;
      for (const [r, c] of points) {
        if (Math.abs(c - (p + s * r)) > tol || seen[r] === pair) continue;
        seen[r] = pair;
        n++;
      }
      if (n > bestRows) {
        bestRows = n;
        best = points.map(([r, c]) => Math.abs(c - (p + s * r)) <= tol);
      }
    }
  }
  if (!best) return null;
  const used = points.filter((_, k) => best![k]);
  const n = used.length;
  const mr = used.reduce((a, [r]) => a + r, 0) / n;
  const mc = used.reduce((a, [, c]) => a + c, 0) / n;
  let srr = 0;
  let src = 0;
  for (const [r, c] of used) {
    srr += (r - mr) * (r - mr);
    src += (r - mr) * (c - mc);
  }
  if (srr === 0) return null;
  const s = src / srr;
  return { p: mc - s * mr, s, support: bestRows };
}

/** Linear-interpolated quantile (numpy's default). */
function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const v = [...values].sort((a, b) => a - b);
  const pos = q * (v.length - 1);
  const lo = Math.floor(pos);
  return v[lo]! + (pos - lo) * ((v[Math.min(lo + 1, v.length - 1)] ?? v[lo]!) - v[lo]!);
}

function clamp(i: number, n: number): number {
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/** `kept` without the muscle: per crop row, the columns on the chest-wall side of the line. */
export function removePectoral(kept: Runs, height: number, crop: Box, flipped: boolean, line: PectoralLine): Runs {
  return runsFromRows(height, (y) => {
    const out: number[] = [];
    const cut = Math.round(line.top + line.slope * (y - crop.y));
    for (let i = kept.rowFirst[y]!; i < kept.rowFirst[y + 1]!; i++) {
      let s = kept.start[i]!;
      let e = kept.end[i]!;
      if (cut > 0 && y >= crop.y && y < crop.y + crop.height) {
        if (flipped) e = Math.min(e, crop.x + crop.width - cut);
        else s = Math.max(s, crop.x + cut);
      }
      if (s < e) out.push(s, e);
    }
    return out;
  });
}
