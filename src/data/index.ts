/** Datasets: readers, preprocessing, adapters, the prepared cache, phantoms, splits and tasks. */
export * from './image.js';
export * from './records.js';
export * from './rng.js';
export * from './splits.js';
export * from './tasks.js';
export * from './patches.js';
export * from './readers/index.js';
export * from './preprocess/index.js';
export * from './adapters/index.js';
export * from './phantom/index.js';
export * from './cache/index.js';
export * from './originals.js';
