/** VOI window functions exactly as DICOM PS3.3 C.11.2.1.2 (LINEAR, LINEAR_EXACT) and C.11.2.1.3.1 (SIGMOID). */
export type VoiFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

export function applyWindow(x: number, c: number, w: number, fn: VoiFunction, ymin: number, ymax: number): number {
  if (fn === 'SIGMOID') return (ymax - ymin) / (1 + Math.exp((-4 * (x - c)) / w)) + ymin;
  if (fn === 'LINEAR_EXACT') {
    if (x <= c - w / 2) return ymin;
    if (x > c + w / 2) return ymax;
    return ((x - c) / w + 0.5) * (ymax - ymin) + ymin;
  }
  // LINEAR: c - 0.5 and w - 1 reproduce the standard's integer-centred window
  if (x <= c - 0.5 - (w - 1) / 2) return ymin;
  if (x > c - 0.5 + (w - 1) / 2) return ymax;
  return ((x - (c - 0.5)) / (w - 1) + 0.5) * (ymax - ymin) + ymin;
}
