/**
 * Frame decoding through dcmjs-codecs' NativeCodecs (WASM: libjpeg 8/12/16-bit, CharLS, OpenJPEG).
 * Its Transcoder is bypassed (broken on some syntaxes); frames are handed to the codec one by one.
 */
import dcmjsCodecs from 'dcmjs-codecs';
import type { DicomHeader } from './header.js';
import { decodeRle } from './rle.js';
import { dicomError } from './errors.js';
import { endsWithEoi } from './frames.js';

const { NativeCodecs, Context } = dcmjsCodecs;
let ready: Promise<void> | undefined;
let wasmUrl: string | undefined;

/**
 * Where the codecs' WASM module is fetched from in a browser (the viewer hands it a blob: URL of
 * its embedded copy); Node reads the package's own file. Must be called before the first decode.
 */
export function setCodecsWasmUrl(url: string): void {
  wasmUrl = url;
}

/** The WASM module is initialised once, lazily, for the whole process. */
export function initCodecs(): Promise<void> {
  ready ??= NativeCodecs.initializeAsync({ logCodecsInfo: false, logCodecsTrace: false, ...(wasmUrl ? { webAssemblyModulePathOrUrl: wasmUrl } : {}) });
  return ready;
}

const LABEL: Record<string, string> = { jpeg: 'JPEG', jpegls: 'JPEG-LS', j2k: 'JPEG 2000', rle: 'RLE' };

/** Returns the frame's samples as little-endian bytes (BitsAllocated/8 per sample), interleaved. */
export async function decodeFrame(codec: string, encoded: Uint8Array, h: DicomHeader, name: string, frame: number): Promise<Uint8Array> {
  const bytesPerSample = h.bitsAllocated / 8;
  const expected = h.rows * h.columns * h.samplesPerPixel * bytesPerSample;
  const where = `${LABEL[codec] ?? codec} frame ${frame}`;
  let out: Uint8Array;
  try {
    if (codec === 'rle') {
      out = decodeRle(encoded, h.rows * h.columns, h.samplesPerPixel, bytesPerSample);
    } else {
      if (!endsWithEoi(encoded)) throw new Error('codestream has no end-of-image marker (truncated)');
      await initCodecs();
      const ctx = new Context({
        width: h.columns,
        height: h.rows,
        bitsAllocated: h.bitsAllocated,
        bitsStored: h.bitsStored,
        samplesPerPixel: h.samplesPerPixel,
        pixelRepresentation: h.pixelRepresentation,
        planarConfiguration: h.planarConfiguration,
        photometricInterpretation: h.photometricInterpretation,
        encodedBuffer: encoded,
      });
      const res =
        codec === 'jpeg'
          ? NativeCodecs.decodeJpeg(ctx, { convertColorspaceToRgb: h.samplesPerPixel === 3 })
          : codec === 'jpegls'
            ? NativeCodecs.decodeJpegLs(ctx, {})
            : NativeCodecs.decodeJpeg2000(ctx, {});
      const d = res.getDecodedBuffer();
      if (!d) throw new Error('codec returned no data');
      out = new Uint8Array(d); // copy: the buffer may be a view of WASM memory
    }
  } catch (e) {
    throw dicomError(name, `${where} decode failed (corrupt or truncated codestream?)`, e);
  }
  if (out.length !== expected) {
    throw dicomError(name, `${where} decoded to ${out.length} bytes, expected ${expected} (${h.rows}x${h.columns}x${h.samplesPerPixel} samples of ${h.bitsAllocated} bits)`);
  }
  return out;
}
