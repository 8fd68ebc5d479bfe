/** What a model looks at: Grad-CAM, heat-map overlays, the pointing game, t-SNE. */
export * from './gradcam.js';
export * from './overlay.js';
export * from './pointing.js';
export * from './gradcam-gallery.js';
export * from './tsne.js';
