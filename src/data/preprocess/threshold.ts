/**
 * Otsu's threshold (Otsu 1979): the level that maximises the between-class variance of the
 * histogram. Works on the full integer histogram (256 or 65536 bins), so 16-bit images need no
 * rebinning. Returns t such that foreground = value > t.
 */
export function otsuThreshold(data: Uint8Array | Uint16Array, bins: number): number {
  const hist = new Float64Array(bins);
  for (let i = 0; i < data.length; i++) hist[data[i] as number]! += 1;
  const total = data.length;
  let sumAll = 0;
  for (let v = 0; v < bins; v++) sumAll += v * hist[v]!;
  let wB = 0;
  let sumB = 0;
  let best = -1;
  let bestT = 0;
  for (let t = 0; t < bins; t++) {
    wB += hist[t]!;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t]!;
    const mB = sumB / wB;
    const mF = (sumAll - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      bestT = t;
    }
  }
  return bestT;
}
