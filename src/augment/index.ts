/** Batched, seeded SimCLR augmentations for mammograms. */
export * from './config.js';
export * from './crop.js';
export * from './color.js';
export * from './blur.js';
export { augment, twoViews } from './pipeline.js';
