/** DICOM reader: decodeStoredValues for exact stored values, readDicom for the display pipeline. */
import { readFile } from 'node:fs/promises';
import type { GrayImage } from '../../image.js';
import { decodeDicomBytes } from './stored.js';
import { renderFrame } from './display.js';
import { readLaterality, readPixelSpacing, readView } from './meta.js';
import { text } from './header.js';
import { dicomError, describeThrown } from './errors.js';

export { decodeStoredValues, type StoredValues, type StoredArray } from './stored.js';
export type { DicomHeader } from './header.js';
export { applyWindow, type VoiFunction } from './window.js';
export { renderFrame, modalityTransform, voiTransform } from './display.js';
export { decodeDicomBytes } from './stored.js';

/**
 * Reads frame 0 through Modality LUT -> VOI -> Presentation (see display.ts).
 * Output is 16-bit (0..65535) when Bits Stored > 8, else 8-bit.
 */
export async function decodeDicom(bytes: Uint8Array, name: string): Promise<GrayImage> {
  const { stored, dataSet: ds } = await decodeDicomBytes(bytes, name);
  const h = stored.header;
  const bitDepth = h.bitsStored > 8 ? 16 : 8;
  let rendered;
  try {
    rendered = renderFrame(stored, ds, 0, bitDepth === 16 ? 65535 : 255);
  } catch (e) {
    throw dicomError(name, `cannot render: ${describeThrown(e)}`);
  }
  const notes = {
    transferSyntax: h.transferSyntaxName,
    photometric: h.photometricInterpretation,
    bitsStored: h.bitsStored,
    signed: h.pixelRepresentation,
    ...rendered.notes,
  } as Record<string, string | number>;
  if (h.numberOfFrames > 1) notes.frames = `${h.numberOfFrames} frames in file, frame 0 returned`;
  const intent = text(ds, 'x00080068');
  if (intent === 'FOR PRESENTATION' || intent === 'FOR PROCESSING') notes.presentationIntent = intent;
  const modality = text(ds, 'x00080060');
  if (modality && /^[A-Z]{1,16}$/.test(modality)) notes.modality = modality;
  if (text(ds, 'x00282110') === '01') notes.lossyCompressed = 'yes (Lossy Image Compression 01)';
  const meta: GrayImage['meta'] = { source: name, format: 'dicom', notes };
  const laterality = readLaterality(ds);
  if (laterality) meta.laterality = laterality;
  const view = readView(ds);
  if (view) meta.view = view;
  const spacing = readPixelSpacing(ds);
  if (spacing) meta.pixelSpacingMm = spacing.mm;
  if (spacing?.note) notes.pixelSpacing = spacing.note;
  return { width: h.columns, height: h.rows, bitDepth, data: rendered.data, meta };
}

export async function readDicom(path: string): Promise<GrayImage> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw dicomError(path, 'cannot read file', e);
  }
  return decodeDicom(bytes, path);
}
