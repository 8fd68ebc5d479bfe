/**
 * Plain JPEG files through the same WASM libjpeg that decodes JPEG DICOMs (dcmjs-codecs), so the
 * viewer bundles one JPEG decoder. libjpeg needs the frame's geometry up front: read from the
 * first SOF marker. EXIF orientation is not applied (the CLI's sharp does apply it); a rotated
 * phone photo would be scored as stored, and the page says so in the file's notes.
 */
import dcmjsCodecs from 'dcmjs-codecs';
import type { GrayImage } from '../data/image.js';
import { initCodecs } from '../data/readers/dicom/codecs.js';
import { toGray } from '../data/readers/gray.js';

const { NativeCodecs, Context } = dcmjsCodecs;

interface Frame { width: number; height: number; components: number; precision: number }

function readSof(b: Uint8Array, name: string): Frame {
  let p = 2;
  while (p + 4 <= b.length) {
    if (b[p] !== 0xff) throw new Error(`${name}: cannot read JPEG: marker expected at byte ${p}`);
    const m = b[p + 1]!;
    if (m === 0xff) { p++; continue; }
    const len = (b[p + 2]! << 8) | b[p + 3]!;
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC)
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      if (p + 10 > b.length) break;
      return { precision: b[p + 4]!, height: (b[p + 5]! << 8) | b[p + 6]!, width: (b[p + 7]! << 8) | b[p + 8]!, components: b[p + 9]! };
    }
    p += 2 + len;
  }
  throw new Error(`${name}: cannot read JPEG: no frame header (SOF) found (truncated file?)`);
}

export async function decodeJpegFile(bytes: Uint8Array, name: string): Promise<GrayImage> {
  const f = readSof(bytes, name);
  if (f.components !== 1 && f.components !== 3) throw new Error(`${name}: cannot read JPEG: ${f.components} components (only gray and colour)`);
  const is16 = f.precision > 8;
  await initCodecs();
  let out: Uint8Array;
  try {
    const ctx = new Context({
      width: f.width, height: f.height, bitsAllocated: is16 ? 16 : 8, bitsStored: f.precision, samplesPerPixel: f.components,
      pixelRepresentation: 0, planarConfiguration: 0, photometricInterpretation: f.components === 3 ? 'YBR_FULL_422' : 'MONOCHROME2', encodedBuffer: bytes,
    });
    const d = NativeCodecs.decodeJpeg(ctx, { convertColorspaceToRgb: f.components === 3 }).getDecodedBuffer();
    if (!d) throw new Error('the decoder returned no data');
    out = new Uint8Array(d);
  } catch (e) {
    throw new Error(`${name}: cannot read JPEG: ${(e as Error).message} (corrupt or truncated?)`);
  }
  const n = f.width * f.height;
  if (out.length !== n * f.components * (is16 ? 2 : 1)) throw new Error(`${name}: cannot read JPEG: decoded ${out.length} bytes for ${f.width}x${f.height}x${f.components}`);
  const samples = is16 ? new Uint16Array(out.buffer, 0, n * f.components) : out;
  return {
    width: f.width, height: f.height, bitDepth: is16 ? 16 : 8,
    data: f.components === 1 ? samples : toGray(samples, 3, n, is16, false),
    meta: { source: name, format: 'jpeg', notes: { channels: f.components, orientation: 'as stored (EXIF orientation not applied)' } },
  };
}
