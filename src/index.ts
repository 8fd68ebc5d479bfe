/**
 * mammoclr as a library: the tensor layer, models, augmentations, optimisers, data, distributed
 * training, training runs, metrics and explanations. Each also has its own entry
 * (`mammoclr/tensor`, `mammoclr/nn`, ...) that loads only its part.
 */
export * from './tensor/index.js';
export * from './nn/index.js';
export * from './augment/index.js';
export * from './optim/index.js';
export * from './data/index.js';
export * from './distributed/index.js';
export * from './train/index.js';
export * from './eval/index.js';
export * from './explain/index.js';
// Two parts use these names: data's onLesion tests a window against a record's lesions (what
// detection uses; eval's tests a point against one circle, in `mammoclr/eval`), and both
// LesionCircle interfaces have the same shape.
export { onLesion } from './data/index.js';
export type { LesionCircle } from './eval/index.js';
