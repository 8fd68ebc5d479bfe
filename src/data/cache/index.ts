/** The prepared-dataset cache: `mammoclr prepare` writes it, training loads it. */
export { prepareDataset, checkSizes, NAME_PATTERN, type PrepareOptions, type PrepareResult, type PreparedFile } from './prepare.js';
export { loadPreparedDataset, type PreparedDataset } from './load.js';
export { TensorImageSource, type ImageSource } from './image-source.js';
export { StreamedImageSource } from './streamed-source.js';
export { Prefetcher, type BatchPlan, type FetchedBatch } from './prefetch.js';
export { openPreparedImages, readPreparedHeader, type PreparedImages } from './open-images.js';
export { openPatchImages, type PatchSampling } from './open-patches.js';
export { collectSource, ADAPTERS, DEFAULT_PHANTOM_PATIENTS, DEFAULT_PHANTOM_RENDER, type AdapterName, type PrepareSource, type PrepareItem, type SourceOptions } from './sources.js';
export { preparedPath, reportPath, PREPARED_FORMAT, IMAGES_TENSOR, type PreparedMeta, type PreparedRecord } from './format.js';
export { summarizeReport, pectoralSummary, type PrepareReport, type SkippedFile } from './report.js';
export { createProgress, type Progress } from './progress.js';
export { processImage, PREPARE_PREPROCESS, type ProcessedImage, type SizedOutput } from './process-image.js';
export { toHalfBits, toHalfArray, fromHalfBits } from './float16.js';
