/**
 * Exact area-averaging resize: each output pixel is the mean of the input area it covers,
 * with partially covered input pixels weighted by the covered fraction. Separable (rows, then
 * columns), so the cost is O(w*h) per pass, and it is exact for any ratio, including upscaling
 * (where it reduces to nearest-neighbour within each input pixel).
 */
export function areaResize(
  src: Float32Array,
  srcWidth: number,
  srcHeight: number,
  dstWidth: number,
  dstHeight: number,
): Float32Array {
  return areaResizeRows(srcWidth, srcHeight, dstWidth, dstHeight, (y, row) => {
    row.set(src.subarray(y * srcWidth, (y + 1) * srcWidth));
    return true; // the whole row: values may be anything, so nothing is assumed zero
  });
}

/**
 * Where a row produced by a RowSource may be non-zero: columns [lo, hi). Columns outside it are
 * zeros and are never read, so the source need not even write them.
 */
export interface RowSpan {
  lo: number;
  hi: number;
}

/**
 * Writes source row y into `row` (at least columns [span.lo, span.hi), which arrive set to the
 * whole row) and returns true, or returns false when the row is all zeros.
 */
export type RowSource = (y: number, row: Float32Array, span: RowSpan) => boolean;

/**
 * areaResize over a plane that is produced one row at a time, so callers that crop, flip, pad
 * or mask on the fly never build the full float plane, and only the non-zero part of each row
 * (the breast, not the film background) is summed.
 *
 * The arithmetic is the textbook one, in the same order: horizontal sums in float64 in
 * ascending input column, vertical sums in float64 in ascending input row, each starting from
 * 0, then rounded to float32 once. Skipping zero rows, zero columns at either end of a row and
 * the outputs they alone feed drops only terms that are +0, and adding +0 to a sum started at
 * +0 changes nothing, so the result is bit-identical to summing everything. Streaming the rows
 * into per-output accumulators keeps the order (each accumulator still receives its terms by
 * ascending row) while the intermediate is only dstWidth x dstHeight.
 */
export function areaResizeRows(srcWidth: number, srcHeight: number, dstWidth: number, dstHeight: number, fillRow: RowSource): Float32Array {
  const wx = axisWeights(srcWidth, dstWidth);
  const wy = axisWeights(srcHeight, dstHeight);
  const xStart = wx.start;
  const xOffset = wx.offset;
  const xWeight = wx.weight;
  const row = new Float32Array(srcWidth);
  const h = new Float64Array(dstWidth);
  const acc = new Float64Array(dstWidth * dstHeight);
  const span: RowSpan = { lo: 0, hi: srcWidth };
  let firstOut = 0; // output rows below it are finished: their cells end above the current row
  for (let y = 0; y < srcHeight; y++) {
    while (firstOut < dstHeight && wy.start[firstOut]! + wy.offset[firstOut + 1]! - wy.offset[firstOut]! <= y) firstOut++;
    span.lo = 0;
    span.hi = srcWidth;
    if (!fillRow(y, row, span)) continue;
    const { lo, hi } = span;
    if (lo >= hi) continue;
    // Output columns whose cells overlap [lo, hi); the others get only zeros.
    let oLo = 0;
    while (xStart[oLo]! + xOffset[oLo + 1]! - xOffset[oLo]! <= lo) oLo++;
    let oHi = oLo;
    while (oHi < dstWidth && xStart[oHi]! < hi) oHi++;
    for (let o = oLo; o < oHi; o++) {
      const start = xStart[o]!;
      const from = xOffset[o]! - start; // weight of input column c is xWeight[from + c]
      const c0 = start > lo ? start : lo;
      const end = start + xOffset[o + 1]! - xOffset[o]!;
      const c1 = end < hi ? end : hi;
      let s = 0;
      for (let c = c0; c < c1; c++) s += row[c]! * xWeight[from + c]!;
      h[o] = s;
    }
    // Every output row whose cell covers input row y, in order.
    for (let o = firstOut; o < dstHeight && wy.start[o]! <= y; o++) {
      const w = wy.weight[wy.offset[o]! + y - wy.start[o]!]!;
      const base = o * dstWidth;
      for (let x = oLo; x < oHi; x++) acc[base + x]! += h[x]! * w;
    }
  }
  const out = new Float32Array(acc.length);
  out.set(acc); // the one rounding to float32
  return out;
}

/** Per output cell o: input pixels start[o] .. and their weights weight[offset[o] .. offset[o + 1]). */
interface AxisWeights {
  start: Int32Array;
  offset: Int32Array;
  /** Normalised to sum 1 per cell. */
  weight: Float64Array;
}

/** Overlap of output cell o = [o*n/m, (o+1)*n/m) with each input pixel [i, i+1). */
function axisWeights(n: number, m: number): AxisWeights {
  const start = new Int32Array(m);
  const offset = new Int32Array(m + 1);
  const cells: number[] = [];
  for (let o = 0; o < m; o++) {
    // Exact rational bounds o*n/m; computed from integers so the cells tile without gaps.
    const lo = (o * n) / m;
    const hi = ((o + 1) * n) / m;
    const first = Math.floor(lo);
    const end = Math.min(n, Math.ceil(hi));
    const span = hi - lo;
    start[o] = first;
    offset[o] = cells.length;
    for (let i = first; i < end; i++) cells.push((Math.min(hi, i + 1) - Math.max(lo, i)) / span);
  }
  offset[m] = cells.length;
  return { start, offset, weight: Float64Array.from(cells) };
}
