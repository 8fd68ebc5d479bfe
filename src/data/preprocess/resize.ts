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
  const wx = axisWeights(srcWidth, dstWidth);
  const wy = axisWeights(srcHeight, dstHeight);
  // Horizontal pass: srcHeight x dstWidth, accumulated in float64 for exact means.
  const tmp = new Float64Array(srcHeight * dstWidth);
  for (let y = 0; y < srcHeight; y++) {
    const row = y * srcWidth;
    for (let o = 0; o < dstWidth; o++) {
      const { start, weights } = wx[o]!;
      let s = 0;
      for (let k = 0; k < weights.length; k++) s += src[row + start + k]! * weights[k]!;
      tmp[y * dstWidth + o] = s;
    }
  }
  const out = new Float32Array(dstWidth * dstHeight);
  for (let o = 0; o < dstHeight; o++) {
    const { start, weights } = wy[o]!;
    for (let x = 0; x < dstWidth; x++) {
      let s = 0;
      for (let k = 0; k < weights.length; k++) s += tmp[(start + k) * dstWidth + x]! * weights[k]!;
      out[o * dstWidth + x] = s;
    }
  }
  return out;
}

interface AxisWeights {
  start: number;
  /** Normalised to sum 1. */
  weights: Float64Array;
}

/** Overlap of output cell o = [o*n/m, (o+1)*n/m) with each input pixel [i, i+1). */
function axisWeights(n: number, m: number): AxisWeights[] {
  const out: AxisWeights[] = [];
  for (let o = 0; o < m; o++) {
    // Exact rational bounds o*n/m; computed from integers so the cells tile without gaps.
    const lo = (o * n) / m;
    const hi = ((o + 1) * n) / m;
    const start = Math.floor(lo);
    const end = Math.min(n, Math.ceil(hi));
    const weights = new Float64Array(end - start);
    const span = hi - lo;
    for (let i = start; i < end; i++) {
      weights[i - start] = (Math.min(hi, i + 1) - Math.max(lo, i)) / span;
    }
    out.push({ start, weights });
  }
  return out;
}
