/**
 * Binary erosion and dilation by a (2r + 1)-pixel square, on run-length masks (runs.ts). A square
 * is separable: shrink or grow every run by r columns, then intersect or unite each row with the
 * r rows above and below it. Rows hold a handful of runs, so this costs O(runs * r) with no
 * pixel plane. Outside the image counts as foreground for erosion, so a breast cut by the film
 * edge keeps its edge.
 */
import { RunBuilder, type Runs } from './runs.js';

/** Pixels whose whole (2r + 1)-square (the part inside the image) is foreground. */
export function erodeRuns(runs: Runs, width: number, height: number, r: number): Runs {
  const narrowed = runsFromRows(height, (y) => {
    const out: number[] = [];
    for (let i = runs.rowFirst[y]!; i < runs.rowFirst[y + 1]!; i++) {
      const s = runs.start[i] === 0 ? 0 : runs.start[i]! + r;
      const e = runs.end[i] === width ? width : runs.end[i]! - r;
      if (s < e) out.push(s, e);
    }
    return out;
  });
  return runsFromRows(height, (y) => {
    let cur = rowIntervals(narrowed, y);
    for (let k = Math.max(0, y - r); k <= Math.min(height - 1, y + r) && cur.length > 0; k++) {
      if (k !== y) cur = intersect(cur, rowIntervals(narrowed, k));
    }
    return cur;
  });
}

/** Pixels within the (2r + 1)-square of a foreground pixel; `members` picks runs (default all). */
export function dilateRuns(runs: Runs, width: number, height: number, r: number, members?: Int32Array): Runs {
  const widened: number[][] = Array.from({ length: height }, () => []);
  const pick = members ?? Int32Array.from({ length: runs.count }, (_, i) => i);
  for (const i of pick) widened[runs.row[i]!]!.push(Math.max(0, runs.start[i]! - r), Math.min(width, runs.end[i]! + r));
  return runsFromRows(height, (y) => {
    const all: number[] = [];
    for (let k = Math.max(0, y - r); k <= Math.min(height - 1, y + r); k++) all.push(...widened[k]!);
    return unite(all);
  });
}

/** Pixels in both `a` and `b` (same height). */
export function intersectRuns(a: Runs, b: Runs, height: number): Runs {
  return runsFromRows(height, (y) => intersect(rowIntervals(a, y), rowIntervals(b, y)));
}

/** Runs built row by row from each row's sorted, disjoint [start, end, start, end, ...] list. */
export function runsFromRows(height: number, intervalsOf: (y: number) => readonly number[]): Runs {
  const out = new RunBuilder(height);
  for (let y = 0; y < height; y++) {
    out.rowFirst[y] = out.count;
    const list = intervalsOf(y);
    for (let j = 0; j < list.length; j += 2) out.push(y, list[j]!, list[j + 1]!);
  }
  out.rowFirst[height] = out.count;
  return out.done();
}

/** Row y's runs as a flat [start, end, start, end, ...] list. */
function rowIntervals(runs: Runs, y: number): number[] {
  const out: number[] = [];
  for (let i = runs.rowFirst[y]!; i < runs.rowFirst[y + 1]!; i++) out.push(runs.start[i]!, runs.end[i]!);
  return out;
}

/** Intersection of two sorted, disjoint interval lists. */
function intersect(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i]!, b[j]!);
    const e = Math.min(a[i + 1]!, b[j + 1]!);
    if (s < e) out.push(s, e);
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return out;
}

/** Union of intervals in any order, as a sorted, disjoint list (touching intervals merge). */
function unite(flat: number[]): number[] {
  const idx = Array.from({ length: flat.length / 2 }, (_, k) => k).sort((p, q) => flat[2 * p]! - flat[2 * q]!);
  const out: number[] = [];
  for (const k of idx) {
    const s = flat[2 * k]!;
    const e = flat[2 * k + 1]!;
    if (out.length > 0 && s <= out[out.length - 1]!) out[out.length - 1] = Math.max(out[out.length - 1]!, e);
    else out.push(s, e);
  }
  return out;
}
