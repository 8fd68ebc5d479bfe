/** Decodes the STORED pixel values of every frame (before any Modality/VOI transform). */
import { readFile } from 'node:fs/promises';
import { parseDicomBytes, type DataSet } from './parse.js';
import { readHeader, TRANSFER_SYNTAXES, type DicomHeader } from './header.js';
import { encapsulatedFrames } from './frames.js';
import { decodeFrame } from './codecs.js';
import { dicomError } from './errors.js';

export type StoredArray = Int16Array | Uint16Array | Uint8Array | Int8Array;

export interface StoredValues {
  header: DicomHeader;
  /**
   * All frames in order frame, row, column, sample (colour samples interleaved whatever the
   * Planar Configuration), masked to Bits Stored and sign-extended when Pixel Representation = 1.
   */
  values: StoredArray;
  /** Samples per frame: rows * columns * samplesPerPixel. */
  frameLength: number;
}

/** Little-endian sample bytes -> typed stored values, masked to Bits Stored and sign-extended. */
function toStored(bytes: Uint8Array, h: DicomHeader, count: number): StoredArray {
  const signed = h.pixelRepresentation === 1;
  const bits = h.bitsStored;
  const mask = bits >= 32 ? 0xffffffff : (1 << bits) - 1;
  const sign = 1 << (bits - 1);
  const out: StoredArray =
    h.bitsAllocated === 8 ? (signed ? new Int8Array(count) : new Uint8Array(count)) : signed ? new Int16Array(count) : new Uint16Array(count);
  if (h.bitsAllocated === 8) {
    for (let i = 0; i < count; i++) {
      const v = bytes[i]! & mask;
      out[i] = signed && v & sign ? v - (mask + 1) : v;
    }
  } else {
    for (let i = 0, p = 0; i < count; i++, p += 2) {
      const v = (bytes[p]! | (bytes[p + 1]! << 8)) & mask;
      out[i] = signed && v & sign ? v - (mask + 1) : v;
    }
  }
  return out;
}

/** Planar Configuration 1 (RRR..GGG..BBB per frame) -> interleaved, for native data. */
function interleave(values: StoredArray, h: DicomHeader): StoredArray {
  const px = h.rows * h.columns;
  const spp = h.samplesPerPixel;
  const out = new (values.constructor as new (n: number) => StoredArray)(values.length);
  for (let f = 0; f < values.length / (px * spp); f++) {
    const base = f * px * spp;
    for (let s = 0; s < spp; s++) for (let i = 0; i < px; i++) out[base + i * spp + s] = values[base + s * px + i]!;
  }
  return out;
}

function nativeBytes(ds: DataSet, h: DicomHeader, need: number, name: string): Uint8Array {
  const el = ds.elements.x7fe00010!;
  const available = Math.min(el.length, ds.byteArray.length - el.dataOffset);
  if (available < need) throw dicomError(name, `truncated Pixel Data: expected ${need} bytes, found ${Math.max(0, available)}`);
  const raw = ds.byteArray.subarray(el.dataOffset, el.dataOffset + need);
  if (h.transferSyntaxUid !== '1.2.840.10008.1.2.2' || (h.bitsAllocated === 8 && el.vr !== 'OW')) return raw;
  // Explicit VR Big Endian: OW words are byte-swapped (8-bit samples packed in OW too)
  const swapped = new Uint8Array(need);
  for (let i = 0; i + 1 < need; i += 2) {
    swapped[i] = raw[i + 1]!;
    swapped[i + 1] = raw[i]!;
  }
  return swapped;
}

export interface DecodedDicom {
  stored: StoredValues;
  dataSet: DataSet;
}

export async function decodeDicomBytes(bytes: Uint8Array, name: string): Promise<DecodedDicom> {
  const ds = parseDicomBytes(bytes, name);
  if (ds.elements.x7fe00008 || ds.elements.x7fe00009) throw dicomError(name, 'float pixel data is not supported');
  const el = ds.elements.x7fe00010;
  if (!el) throw dicomError(name, 'no pixel data: the file has no Pixel Data element (7FE0,0010); it is not an image');
  const h = readHeader(ds, name);
  const pi = h.photometricInterpretation;
  if (h.samplesPerPixel !== 1 && h.samplesPerPixel !== 3) throw dicomError(name, `Samples per Pixel ${h.samplesPerPixel} not supported`);
  if (/^YBR_(FULL_422|PARTIAL)/.test(pi) && TRANSFER_SYNTAXES[h.transferSyntaxUid]!.codec === 'native') {
    throw dicomError(name, `chroma-subsampled ${pi} is not supported`);
  }
  const frameLength = h.rows * h.columns * h.samplesPerPixel;
  const count = frameLength * h.numberOfFrames;
  const codec = TRANSFER_SYNTAXES[h.transferSyntaxUid]!.codec;
  let values: StoredArray;
  if (codec === 'native') {
    if (el.encapsulatedPixelData) throw dicomError(name, 'encapsulated Pixel Data in a native transfer syntax');
    values = toStored(nativeBytes(ds, h, (count * h.bitsAllocated) / 8, name), h, count);
    if (h.samplesPerPixel > 1 && h.planarConfiguration === 1) values = interleave(values, h);
  } else {
    if (!el.encapsulatedPixelData) throw dicomError(name, `${h.transferSyntaxName} requires encapsulated Pixel Data`);
    const frames = encapsulatedFrames(ds, el, h.numberOfFrames, codec, name);
    const frameBytes = (frameLength * h.bitsAllocated) / 8;
    const all = new Uint8Array(frameBytes * frames.length);
    for (let f = 0; f < frames.length; f++) all.set(await decodeFrame(codec, frames[f]!, h, name, f), f * frameBytes);
    values = toStored(all, h, count);
  }
  return { stored: { header: h, values, frameLength }, dataSet: ds };
}

/**
 * Raw stored values (all frames) plus the header facts. `input` is a path, or bytes with an
 * optional name for error messages.
 */
export async function decodeStoredValues(input: string | Uint8Array, name?: string): Promise<StoredValues> {
  const label = typeof input === 'string' ? input : (name ?? '<buffer>');
  let bytes: Uint8Array;
  try {
    bytes = typeof input === 'string' ? new Uint8Array(await readFile(input)) : input;
  } catch (e) {
    throw dicomError(label, 'cannot read file', e);
  }
  return (await decodeDicomBytes(bytes, label)).stored;
}
