/**
 * A dropped file's bytes as a GrayImage, told apart by content as the CLI does (the shared
 * sniff.ts): DICOM and PGM by the CLI's own readers, PNG and JPEG by browser-side decoders that
 * end in the same gray conversion.
 */
import type { GrayImage } from '../data/image.js';
import { decodeDicom } from '../data/readers/dicom/index.js';
import { decodePgm } from '../data/readers/pgm.js';
import { HEAD_BYTES, IMAGE_EXTENSIONS, kindByExtension, sniff } from '../data/readers/sniff.js';
import { decodePngFile } from './png.js';
import { decodeJpegFile } from './jpeg.js';

export async function decodeFile(bytes: Uint8Array, name: string): Promise<GrayImage> {
  if (bytes.length === 0) throw new Error(`${name}: unsupported image: the file is empty`);
  const kind = sniff(bytes.subarray(0, HEAD_BYTES)) ?? kindByExtension(name);
  switch (kind) {
    case 'dicom':
      return decodeDicom(bytes, name);
    case 'pgm':
      return decodePgm(bytes, name);
    case 'png':
      return decodePngFile(bytes, name);
    case 'jpeg':
      return decodeJpegFile(bytes, name);
    case 'tiff':
      throw new Error(`${name}: TIFF is read by the mammoclr CLI but not by the viewer: convert it to PNG`);
    default:
      throw new Error(`${name}: not an image: no PNG/JPEG/PGM/DICOM signature and extension not one of ${[...IMAGE_EXTENSIONS].join(' ')}`);
  }
}
