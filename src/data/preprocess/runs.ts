/**
 * Run-length connected components. A mammogram's breast mask is a few thousand horizontal runs
 * rather than a million pixels, so labelling runs with union-find (and filling holes the same
 * way on the background runs) costs O(pixels) for the one threshold scan plus O(runs) for the
 * rest, with no per-pixel label plane and no flood-fill queue.
 */

/** Horizontal runs in raster order: row `row[i]`, columns [start[i], end[i]). */
export interface Runs {
  count: number;
  row: Int32Array;
  start: Int32Array;
  end: Int32Array;
  /** rowFirst[y] .. rowFirst[y + 1] - 1 are the runs of row y (height + 1 entries). */
  rowFirst: Int32Array;
}

export class RunBuilder {
  count = 0;
  row = new Int32Array(1024);
  start = new Int32Array(1024);
  end = new Int32Array(1024);
  readonly rowFirst: Int32Array;
  constructor(height: number) {
    this.rowFirst = new Int32Array(height + 1);
  }
  push(y: number, s: number, e: number): void {
    if (this.count === this.row.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.row = grow(this.row);
      this.start = grow(this.start);
      this.end = grow(this.end);
    }
    this.row[this.count] = y;
    this.start[this.count] = s;
    this.end[this.count] = e;
    this.count++;
  }
  done(): Runs {
    return { count: this.count, row: this.row, start: this.start, end: this.end, rowFirst: this.rowFirst };
  }
}

/** Runs of pixels with value > threshold (unsigned data, so threshold 0 means "non-zero"). */
export function thresholdRuns(data: Uint8Array | Uint16Array, width: number, height: number, threshold: number): Runs {
  const b = new RunBuilder(height);
  for (let y = 0; y < height; y++) {
    b.rowFirst[y] = b.count;
    const row = y * width;
    let x = 0;
    while (x < width) {
      while (x < width && data[row + x]! <= threshold) x++;
      if (x === width) break;
      const s = x;
      while (x < width && data[row + x]! > threshold) x++;
      b.push(y, s, x);
    }
  }
  b.rowFirst[height] = b.count;
  return b.done();
}

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    const g = parent[parent[i]!]!;
    parent[i] = g; // path halving
    i = g;
  }
  return i;
}

/**
 * Union-find over runs: runs on adjacent rows join when they overlap, widened by one column for
 * 8-connectivity (corner contact). The root of a component is always its smallest run index,
 * i.e. its first run in raster order, so "first found" tie-breaks match a raster-order scan.
 * Returns parent with every entry pointing at its root.
 */
export function labelRuns(runs: Runs, height: number, diagonal: boolean): Int32Array {
  const { start, end, rowFirst } = runs;
  const parent = new Int32Array(runs.count);
  for (let i = 0; i < runs.count; i++) parent[i] = i;
  const reach = diagonal ? 1 : 0;
  for (let y = 1; y < height; y++) {
    let a = rowFirst[y - 1]!;
    const aEnd = rowFirst[y]!;
    let b = aEnd;
    const bEnd = rowFirst[y + 1]!;
    // Two-pointer sweep: advance whichever run ends first.
    while (a < aEnd && b < bEnd) {
      if (start[a]! < end[b]! + reach && start[b]! < end[a]! + reach) {
        const ra = find(parent, a);
        const rb = find(parent, b);
        if (ra < rb) parent[rb] = ra;
        else if (rb < ra) parent[ra] = rb;
      }
      if (end[a]! < end[b]!) a++;
      else b++;
    }
  }
  for (let i = 0; i < runs.count; i++) parent[i] = parent[parent[i]!]!; // roots precede, so one pass flattens
  return parent;
}

export interface RunComponent {
  /** Indices into the source Runs, in raster order. */
  runs: Int32Array;
  area: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The largest 8-connected component; ties go to the one whose first run comes first. */
export function largestRunComponent(runs: Runs, height: number): RunComponent | undefined {
  if (runs.count === 0) return undefined;
  const parent = labelRuns(runs, height, true);
  const area = new Float64Array(runs.count);
  for (let i = 0; i < runs.count; i++) area[parent[i]!]! += runs.end[i]! - runs.start[i]!;
  let best = -1;
  for (let i = 0; i < runs.count; i++) if (parent[i] === i && (best < 0 || area[i]! > area[best]!)) best = i;
  let n = 0;
  for (let i = best; i < runs.count; i++) if (parent[i] === best) n++;
  const members = new Int32Array(n);
  let x0 = Infinity;
  let x1 = -1;
  for (let i = best, k = 0; i < runs.count; i++) {
    if (parent[i] !== best) continue;
    members[k++] = i;
    if (runs.start[i]! < x0) x0 = runs.start[i]!;
    if (runs.end[i]! - 1 > x1) x1 = runs.end[i]! - 1;
  }
  return { runs: members, area: area[best]!, x0, y0: runs.row[members[0]!]!, x1, y1: runs.row[members[n - 1]!]! };
}

/**
 * The runs `members` (indices into `runs`, raster order) with their holes filled: background (the gaps between its runs, per row) is
 * labelled with 4-connectivity, the dual of the foreground's 8, and every background region that
 * does not touch the image border is turned into foreground. Returned as runs in raster order,
 * at most one more per row than the component has (holes merge with their neighbours).
 */
export function fillRunHoles(runs: Runs, members: Int32Array, width: number, height: number): Runs {
  // Background runs: per row, the complement of the component's runs.
  const bg = new RunBuilder(height);
  let k = 0;
  for (let y = 0; y < height; y++) {
    bg.rowFirst[y] = bg.count;
    let x = 0;
    while (k < members.length && runs.row[members[k]!] === y) {
      const r = members[k++]!;
      if (runs.start[r]! > x) bg.push(y, x, runs.start[r]!);
      x = runs.end[r]!;
    }
    if (x < width) bg.push(y, x, width);
  }
  bg.rowFirst[height] = bg.count;
  const back = bg.done();
  const parent = labelRuns(back, height, false);
  const outside = new Uint8Array(back.count);
  for (let i = 0; i < back.count; i++) {
    const y = back.row[i]!;
    if (y === 0 || y === height - 1 || back.start[i] === 0 || back.end[i] === width) outside[parent[i]!] = 1;
  }
  // Filled runs: a row's maximal stretches that are not outside background.
  const out = new RunBuilder(height);
  for (let y = 0; y < height; y++) {
    out.rowFirst[y] = out.count;
    let x = 0;
    for (let i = back.rowFirst[y]!; i < back.rowFirst[y + 1]!; i++) {
      if (!outside[parent[i]!]) continue;
      if (back.start[i]! > x) out.push(y, x, back.start[i]!);
      x = back.end[i]!;
    }
    if (x < width) out.push(y, x, width);
  }
  out.rowFirst[height] = out.count;
  return out.done();
}

/** Writes runs into a 0/1 plane. */
export function paintRuns(runs: Runs, width: number, into: Uint8Array): Uint8Array {
  for (let i = 0; i < runs.count; i++) {
    const row = runs.row[i]! * width;
    into.fill(1, row + runs.start[i]!, row + runs.end[i]!);
  }
  return into;
}
