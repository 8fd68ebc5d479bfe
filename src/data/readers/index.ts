/** readImage: the reader picked by the file's content (sniff.ts), the extension only as a fallback. */
import { open } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { GrayImage } from '../image.js';
import { readPgm } from './pgm.js';
import { readRaster } from './raster.js';
import { readDicom } from './dicom/index.js';
import { HEAD_BYTES, IMAGE_EXTENSIONS, isImage, kindByExtension, sniff } from './sniff.js';

export { readPgm, decodePgm } from './pgm.js';
export { readRaster, decodeRaster } from './raster.js';
export { readDicom, decodeDicom, decodeStoredValues } from './dicom/index.js';
export { sniff, isImage, dicomNonImage, kindByExtension, stripImageExtension, IMAGE_EXTENSIONS, HEAD_BYTES, type ImageKind } from './sniff.js';

/** The first HEAD_BYTES of a file (fewer when it is shorter). */
export async function readHead(path: string): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Whether a listed file belongs in a dataset, by sniff.ts's isImage. A file that cannot be read
 * is kept when it is named like an image, so the dataset report says why it failed.
 */
export async function looksLikeImage(path: string): Promise<boolean> {
  let head: Uint8Array;
  try {
    head = await readHead(path);
  } catch {
    return kindByExtension(basename(path)) !== undefined;
  }
  return isImage(path, head);
}

export async function readImage(path: string): Promise<GrayImage> {
  let head: Uint8Array;
  try {
    head = await readHead(path);
  } catch (e) {
    throw new Error(`${path}: cannot read file: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (head.length === 0) throw new Error(`${path}: unsupported image: the file is empty`);
  const kind = sniff(head) ?? kindByExtension(path);
  switch (kind) {
    case 'dicom':
      return readDicom(path);
    case 'pgm':
      return readPgm(path);
    case 'png':
    case 'jpeg':
    case 'tiff':
      return readRaster(path, kind);
    default:
      throw new Error(`${path}: unsupported image format: no PNG/JPEG/TIFF/PGM/DICOM signature and extension "${extname(path)}" is not one of ${[...IMAGE_EXTENSIONS].join(' ')}`);
  }
}
