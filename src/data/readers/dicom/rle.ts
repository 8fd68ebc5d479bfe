/**
 * DICOM RLE Lossless decoder (PS3.5 Annex G). A frame is a 64-byte header (segment count + 15
 * offsets) and one PackBits segment per byte plane: for each sample, most significant byte first.
 * Returns little-endian sample bytes, samples interleaved (R G B R G B ...).
 */
export function decodeRle(frame: Uint8Array, pixels: number, samplesPerPixel: number, bytesPerSample: number): Uint8Array {
  if (frame.length < 64) throw new Error(`RLE frame too short for its 64-byte header (${frame.length} bytes)`);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  const expected = samplesPerPixel * bytesPerSample;
  if (segments !== expected) throw new Error(`RLE header has ${segments} segments, expected ${expected}`);
  const out = new Uint8Array(pixels * expected);
  for (let s = 0; s < segments; s++) {
    const start = view.getUint32(4 + 4 * s, true);
    const end = s + 1 < segments ? view.getUint32(8 + 4 * s, true) : frame.length;
    if (start < 64 || end > frame.length || end < start) throw new Error(`RLE segment ${s} offsets ${start}..${end} outside the frame (${frame.length} bytes)`);
    const sample = Math.floor(s / bytesPerSample);
    // segment 0 of a sample is its most significant byte; little-endian output puts it last
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample);
    const stride = expected;
    let o = sample * bytesPerSample + byteInSample;
    let written = 0;
    let p = start;
    while (p < end && written < pixels) {
      const n = (frame[p++]! << 24) >> 24;
      if (n >= 0) {
        const count = Math.min(n + 1, pixels - written);
        if (p + n + 1 > end) throw new Error(`RLE segment ${s} literal run overruns the segment`);
        for (let k = 0; k < count; k++, o += stride) out[o] = frame[p + k]!;
        p += n + 1;
        written += count;
      } else if (n !== -128) {
        if (p >= end) throw new Error(`RLE segment ${s} replicate run overruns the segment`);
        const v = frame[p++]!;
        const count = Math.min(1 - n, pixels - written);
        for (let k = 0; k < count; k++, o += stride) out[o] = v;
        written += count;
      }
    }
    if (written < pixels) throw new Error(`RLE segment ${s} decodes to ${written} bytes, expected ${pixels} (truncated?)`);
  }
  return out;
}
