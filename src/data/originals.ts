/**
 * The original image behind a prepared record, for drawing heatmaps on the mammogram itself:
 * phantoms are rendered again from their seed (with their lesion mask), files are read again.
 */
import { isAbsolute, join } from 'node:path';
import { renderPhantom, type PhantomLabel } from './phantom/index.js';
import { readImage } from './readers/index.js';
import type { GrayImage } from './image.js';
import type { PreparedMeta, PreparedRecord } from './cache/index.js';

export interface Original {
  image: GrayImage;
  /** Lesion pixels at the original resolution, when the dataset has masks (phantoms). */
  lesionMask?: Uint8Array;
  breastMask?: Uint8Array;
}

export async function loadOriginal(record: PreparedRecord, meta: PreparedMeta): Promise<Original> {
  const m = /^phantom:(.+)\/(\d+)$/.exec(record.source);
  if (m && meta.phantom) {
    const seed = /^-?\d+$/.test(m[1]!) ? Number(m[1]) : m[1]!;
    const ph = renderPhantom({
      seed, index: Number(m[2]), label: record.label as PhantomLabel, laterality: record.laterality ?? 'L',
      size: meta.phantom.renderSize, lesionScale: meta.phantom.lesionScale,
    });
    return { image: ph.image, lesionMask: ph.mask, breastMask: ph.breast };
  }
  const path = isAbsolute(record.source) ? record.source : join(meta.input, record.source);
  return { image: await readImage(path) };
}
