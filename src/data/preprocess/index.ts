export { preprocessMammogram, findBreast, type Breast, type PreprocessOptions, type Preprocessed } from './preprocess.js';
export {
  toOutput,
  toOriginal,
  insideOutput,
  warpToOutput,
  heatmapToOriginal,
  type PreprocessTransform,
  type Point,
} from './transform.js';
export { largestComponent, fillHoles, type Box, type Component } from './components.js';
export { otsuThreshold } from './threshold.js';
export { areaResize } from './resize.js';
