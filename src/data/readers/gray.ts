/**
 * Colour to gray by the Rec. 601 luma of the stored samples, shared by the readers of PNG, JPEG
 * and TIFF here and by the browser viewer's decoders (src/viewer), so both give the same pixels.
 */

/**
 * One gray sample per pixel. Grey stored as RGB (mini-MIAS's PNGs are) takes a shortcut: when
 * R = G = B = v the luma rounds to v exactly (checked for every 8- and 16-bit v), so the float
 * formula is only evaluated for truly coloured pixels.
 */
export function toGray(samples: Uint8Array | Uint16Array, channels: number, n: number, is16: boolean, alpha: boolean): Uint8Array | Uint16Array {
  const colour = channels - (alpha ? 1 : 0) >= 3;
  const out = is16 ? new Uint16Array(n) : new Uint8Array(n);
  if (!colour) {
    for (let i = 0, p = 0; i < n; i++, p += channels) out[i] = samples[p]!;
    return out;
  }
  for (let i = 0, p = 0; i < n; i++, p += channels) {
    const r = samples[p]!;
    const g = samples[p + 1]!;
    const b = samples[p + 2]!;
    out[i] = r === g && g === b ? r : Math.round(0.299 * r + 0.587 * g + 0.114 * b);
  }
  return out;
}

