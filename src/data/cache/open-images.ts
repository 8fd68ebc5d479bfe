/**
 * A prepared file as an ImageSource for training: loaded whole (float16 in memory, cast per
 * batch) or streamed from disk per batch. Both give the same float32 batches.
 */
import { checkPreparedImages, decodeMetadata, IMAGES_TENSOR, type PreparedMeta, type PreparedRecord } from './format.js';
import { loadPreparedDataset } from './load.js';
import { TensorImageSource, type ImageSource } from './image-source.js';
import { StreamedImageSource } from './streamed-source.js';

export interface PreparedImages {
  /** The caller disposes it. */
  images: ImageSource;
  records: PreparedRecord[];
  meta: PreparedMeta;
}

export async function openPreparedImages(path: string, o: { stream: boolean }): Promise<PreparedImages> {
  if (!o.stream) {
    const d = await loadPreparedDataset(path);
    return { images: new TensorImageSource(d.images, true), records: d.records, meta: d.meta };
  }
  const images = await StreamedImageSource.open(path, IMAGES_TENSOR);
  try {
    return { images, ...checkedHeader(path, images) };
  } catch (e) {
    await images.dispose();
    throw e;
  }
}

/** The record table and header of a prepared file, without reading its images (the file's head only). */
export async function readPreparedHeader(path: string): Promise<{ meta: PreparedMeta; records: PreparedRecord[] }> {
  const images = await StreamedImageSource.open(path, IMAGES_TENSOR);
  try {
    return checkedHeader(path, images);
  } finally {
    await images.dispose();
  }
}

/** The header of an opened file, checked against the images tensor it describes. */
function checkedHeader(path: string, images: StreamedImageSource): { meta: PreparedMeta; records: PreparedRecord[] } {
  const { meta, records } = decodeMetadata(images.metadata, path);
  checkPreparedImages(path, { dtype: images.dtype, float16: images.dtype === 'F16', shape: [images.count, ...images.shape] }, meta, records.length);
  return { meta, records };
}
