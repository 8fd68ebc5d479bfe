/**
 * PNG, JPEG and TIFF through sharp (libvips).
 *
 * Bit depth is decided from the decoder's own sample format (metadata().depth), never from the
 * file type: libvips' default raw output is 8-bit, which silently drops the low byte of a 16-bit
 * PNG/TIFF, so 16-bit input is always requested as `raw({ depth: 'ushort' })`.
 *
 * Colour input is converted to gray with the Rec. 601 luma weights applied to the stored
 * (gamma-encoded) samples, Y = 0.299 R + 0.587 G + 0.114 B, rounded to nearest: the same Y as
 * JPEG/DICOM YCbCr, and independent of libvips' colour management. Alpha is ignored.
 * EXIF/TIFF orientation is applied so that row 0 is the top of the displayed image;
 * for multi-page TIFF only page 0 is read.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { GrayImage, ImageMeta } from '../image.js';
import { toGray } from './gray.js';

export type RasterFormat = 'png' | 'jpeg' | 'tiff';

/**
 * The decoder's bytes as typed samples without copying them: sharp hands back a Buffer that
 * owns exactly its pixels. Copied only in the unexpected cases (a shared or offset buffer, or
 * 16-bit data at an odd offset), so the result always owns its memory and is aligned.
 */
function samplesOf(data: Buffer, count: number, is16: boolean): Uint8Array | Uint16Array {
  const owned = data.byteOffset === 0 && data.buffer.byteLength === data.byteLength && data.buffer instanceof ArrayBuffer;
  const buffer = owned ? (data.buffer as ArrayBuffer) : new Uint8Array(data).buffer; // native byte order = little-endian on supported hosts
  return is16 ? new Uint16Array(buffer, 0, count) : new Uint8Array(buffer, 0, count);
}

/** Decodes an encoded PNG/JPEG/TIFF; `name` is used in errors and meta.source. */
export async function decodeRaster(input: Uint8Array | string, name: string, format: RasterFormat): Promise<GrayImage> {
  const src = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  try {
    const md = await sharp(src).metadata();
    if (md.format !== format) {
      throw new Error(`content is ${md.format ?? 'unknown'}, not ${format}`);
    }
    let is16: boolean;
    if (md.depth === 'uchar') is16 = false;
    else if (md.depth === 'ushort') is16 = true;
    else throw new Error(`unsupported sample format "${md.depth}" (only 8- and 16-bit unsigned)`);
    const colour = (md.channels ?? 1) - (md.hasAlpha ? 1 : 0) >= 3;
    let pipeline = sharp(src).autoOrient();
    // without an explicit 16-bit colourspace libvips goes through 8-bit sRGB and raw() merely widens it
    if (is16) pipeline = pipeline.toColourspace(colour ? 'rgb16' : 'grey16');
    const { data, info } = await pipeline
      .raw({ depth: is16 ? 'ushort' : 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const n = info.width * info.height;
    const bytesPerSample = is16 ? 2 : 1;
    if (data.length !== n * info.channels * bytesPerSample) {
      throw new Error(`decoder returned ${data.length} bytes for ${info.width}x${info.height}x${info.channels}`);
    }
    const samples = samplesOf(data, n * info.channels, is16);
    const alpha = md.hasAlpha === true;
    const notes: Record<string, string | number> = { channels: info.channels };
    if (info.channels - (alpha ? 1 : 0) >= 3) notes.colourToGray = 'Rec.601 luma of stored RGB';
    if ((md.pages ?? 1) > 1) notes.pages = `${md.pages}, page 0 read`;
    const meta: ImageMeta = { source: name, format, notes };
    return { width: info.width, height: info.height, bitDepth: is16 ? 16 : 8, data: info.channels === 1 ? samples : toGray(samples, info.channels, n, is16, alpha), meta };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new Error(`${name}: cannot read ${format.toUpperCase()}: ${reason}`, { cause: e });
  }
}

/**
 * Reads the file once into memory: libvips then parses the header and decodes from that buffer
 * instead of opening and reading the file twice (about 1 ms less per 1024^2 PNG).
 */
export async function readRaster(path: string, format: RasterFormat): Promise<GrayImage> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new Error(`${path}: cannot read ${format.toUpperCase()}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return decodeRaster(bytes, path, format);
}
