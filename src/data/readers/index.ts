/** readImage: picks a reader by magic bytes first, file extension second. */
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import type { GrayImage } from '../image.js';
import { readPgm } from './pgm.js';
import { readRaster } from './raster.js';
import { readDicom } from './dicom/index.js';

export { readPgm, decodePgm } from './pgm.js';
export { readRaster, decodeRaster } from './raster.js';
export { readDicom, decodeDicom, decodeStoredValues } from './dicom/index.js';

export type ImageKind = 'dicom' | 'png' | 'jpeg' | 'tiff' | 'pgm';

/** Detects the format from the first 132 bytes; undefined when no signature matches. */
export function sniff(head: Uint8Array): ImageKind | undefined {
  const at = (o: number, ...b: number[]): boolean => b.every((v, i) => head[o + i] === v);
  if (at(128, 0x44, 0x49, 0x43, 0x4d)) return 'dicom';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a) || at(0, 0x49, 0x49, 0x2b, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2b)) return 'tiff';
  if (head[0] === 0x50 && (head[1] === 0x32 || head[1] === 0x35) && head[2] !== undefined && /\s/.test(String.fromCharCode(head[2]))) return 'pgm';
  return undefined;
}

const BY_EXTENSION: Record<string, ImageKind> = {
  '.dcm': 'dicom', '.dicom': 'dicom',
  '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.tif': 'tiff', '.tiff': 'tiff', '.pgm': 'pgm',
};

export async function readImage(path: string): Promise<GrayImage> {
  let head: Uint8Array;
  try {
    const fh = await open(path, 'r');
    try {
      const buf = new Uint8Array(132);
      const { bytesRead } = await fh.read(buf, 0, 132, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw new Error(`${path}: cannot read file: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (head.length === 0) throw new Error(`${path}: unsupported image: the file is empty`);
  // Extension is a fallback only: a DICOM without preamble has no magic of its own
  const kind = sniff(head) ?? BY_EXTENSION[extname(path).toLowerCase()];
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
      throw new Error(`${path}: unsupported image format: no PNG/JPEG/TIFF/PGM/DICOM signature and extension "${extname(path)}" is not one of ${Object.keys(BY_EXTENSION).join(' ')}`);
  }
}
