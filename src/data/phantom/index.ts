export { renderPhantom, lesionKindsFor, type Phantom, type PhantomSpec, type PhantomLabel, type PhantomLesionKind } from './phantom.js';
export { generatePhantomDataset, planPhantomDataset, phantomLabelCounts, type PhantomDatasetOptions, type PhantomItem } from './dataset.js';
export { fractalNoise } from './noise.js';
