/**
 * The prepared-dataset file: one safetensors file per output size, `<out>/<name>-<size>.safetensors`.
 *
 * - Tensor `images`, float16, [N, 1, S, S]: preprocessed pixels in [0, 1] (background 0), in
 *   record order. float16 rather than uint8 because sources are often 12-16 bit (DICOM, the
 *   phantoms) and area averaging makes values that sit between 8-bit levels: uint8 would
 *   quantise to 1/255 (worse than the source's 1/4096-1/65535 steps); float16 keeps 11
 *   significant bits (error <= 2^-12 on [0, 1]) for twice the bytes, and loads straight into
 *   float16/float32 training without a rescale. float32 would double the size again for
 *   precision no mammogram has.
 * - The metadata table lives in the safetensors `__metadata__` (string -> string), so the file is
 *   self-contained and written in one atomic rename: `format` = PREPARED_FORMAT, `meta` = JSON of
 *   PreparedMeta, `records` = JSON of PreparedRecord[] (records[i] describes images[i]).
 *
 * Nothing from a DICOM header except laterality, view and pixel spacing is stored: ids come from the adapters
 * (file names, dataset CSVs), never from PatientID/PatientName.
 */
import type { Laterality } from '../image.js';
import type { Lesion } from '../records.js';
import type { PreprocessTransform } from '../preprocess/index.js';
import { join } from 'node:path';

export const PREPARED_FORMAT = 'mammoclr.prepared/1';
export const IMAGES_TENSOR = 'images';

export interface PreparedRecord {
  id: string;
  patientId: string;
  label: string;
  dataset: string;
  laterality?: Laterality;
  view?: string;
  birads?: string;
  density?: string;
  officialSplit?: string;
  /** Lesions in output pixel coordinates (toOutput of the original ones; radius scaled). May lie outside the grid when the lesion was outside the breast crop. */
  lesions: Lesion[];
  unlocatedLesions?: number;
  /** Annotation files the adapter named (CBIS ROI masks), relative like `source`. */
  annotationPaths?: string[];
  /** The image file, relative to the prepared input folder when inside it; `phantom:<seed>/<index>` for phantoms. */
  source: string;
  /** Maps output pixels back to the original image (toOriginal, heatmapToOriginal). */
  transform: PreprocessTransform;
  /** Millimetres per output pixel (the original spacing / transform.scale); absent when the source does not say. */
  mmPerPixel?: number;
  /** False when no breast was found and the whole image was used. */
  foundBreast: boolean;
  /** Prepared with --pectoral suppress: whether a pectoral muscle was found and removed. */
  pectoralRemoved?: boolean;
  /** Bit depth of the decoded source. */
  sourceBitDepth: 8 | 16;
}

export interface PreparedMeta {
  format: typeof PREPARED_FORMAT;
  name: string;
  adapter: string;
  /** The input path as given to prepare. */
  input: string;
  size: number;
  /** Every size produced by the same run. */
  sizes: number[];
  count: number;
  dtype: 'float16';
  layout: 'NCHW';
  preprocess: { threshold: number; opening?: number; flip: string; normalize: string; pectoral?: 'keep' | 'suppress' };
  phantom?: { seed: number | string; patients: number; renderSize: number; lesionScale?: number };
  labels: Record<string, number>;
  patients: number;
  /** Files the run skipped (see the report). */
  skipped: number;
  report: string;
  createdAt: string;
  tool: string;
}

export function preparedPath(out: string, name: string, size: number): string {
  return join(out, `${name}-${size}.safetensors`);
}

export function reportPath(out: string, name: string): string {
  return join(out, `${name}-report.json`);
}

export function encodeMetadata(meta: PreparedMeta, records: PreparedRecord[]): Record<string, string> {
  return { format: PREPARED_FORMAT, meta: JSON.stringify(meta), records: JSON.stringify(records) };
}

/** Throws unless the images tensor is float16 [records, 1, size, size]; `dtype` names its type for the message. */
export function checkPreparedImages(source: string, images: { dtype: string; float16: boolean; shape: readonly number[] }, meta: PreparedMeta, records: number): void {
  const [n, c, h, w] = images.shape;
  if (images.shape.length !== 4 || c !== 1 || h !== meta.size || w !== meta.size || !images.float16) {
    throw new Error(`${source}: images is ${images.dtype} [${images.shape.join(', ')}], expected float16 [N, 1, ${meta.size}, ${meta.size}]`);
  }
  if (n !== records) throw new Error(`${source}: ${n} images but ${records} records`);
}

export function decodeMetadata(metadata: Record<string, string>, source: string): { meta: PreparedMeta; records: PreparedRecord[] } {
  if (metadata['format'] !== PREPARED_FORMAT) {
    throw new Error(`${source}: not a mammoclr prepared dataset (format "${metadata['format'] ?? 'missing'}", expected "${PREPARED_FORMAT}")`);
  }
  try {
    const meta = JSON.parse(metadata['meta'] ?? '') as PreparedMeta;
    const records = JSON.parse(metadata['records'] ?? '') as PreparedRecord[];
    if (!Array.isArray(records)) throw new Error('records is not a list');
    return { meta, records };
  } catch (e) {
    throw new Error(`${source}: corrupt prepared-dataset metadata: ${(e as Error).message}`, { cause: e });
  }
}
