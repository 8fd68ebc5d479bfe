/** What the Node side (src/cli/viewer) tells the page about the model, beside the ONNX bytes. */
export interface ViewerInfo {
  /** The run's folder name, for the title. */
  name: string;
  task: string;
  classes: string[];
  /** Index of the class whose probability is the score (the last, as predict's heatmap). */
  positive: number;
  /** 'classifier': one pass over the whole prepared image; 'patch': detect's window scan (see windows). */
  kind: 'classifier' | 'patch';
  /** Side of the square network input (for a patch model the full-size window), and its channels. */
  size: number;
  channels: number;
  /** Patch models: the window geometry and aggregation, from the model's mammoclr.windows metadata. */
  windows?: PatchWindows;
  /** head.weight [classes, featureDim] (row-major) and head.bias: the class activation map. */
  headWeight: number[];
  headBias: number[];
  featureDim: number;
  operatingPoint: { threshold: number; source: string };
  /** The run's metrics as the model's metadata has them (JSON text), when it has them. */
  metrics?: string;
  architecture: string;
  version: string;
}

export interface PatchWindows {
  /** Side of the prepared image the windows slide over. */
  resolution: number;
  /** Window side in prepared pixels (the graph averages it down to encoderInput). */
  window: number;
  encoderInput: number;
  stride: number;
  minBreast: number;
  /** Whole-image probability = mean of the topK highest window probabilities. */
  topK: number;
  /** The model was trained on images prepared with --pectoral suppress. */
  pectoral?: 'suppress';
}

/**
 * onnxruntime-web's threaded loader, a file of the viewer folder: a cross-origin-isolated (served)
 * page imports it and starts its WASM threads from it; from file:// the copy bundled in app.js runs on one thread.
 */
export const ORT_LOADER = 'ort-wasm-simd-threaded.mjs';

/** The assets the folder's script files set before app.js runs (file:// allows no fetch). */
export interface EmbeddedAssets {
  info: ViewerInfo;
  /** gzip then base64 of the .onnx file, of onnxruntime-web's WASM, of the DICOM codecs' WASM. */
  model: string;
  ortWasm: string;
  codecsWasm: string;
}

declare global {
  interface Window {
    mammoclrAssets?: Partial<EmbeddedAssets>;
  }
}
