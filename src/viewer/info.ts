/** What the Node side (src/cli/viewer) tells the page about the model, beside the ONNX bytes. */
export interface ViewerInfo {
  /** The run's folder name, for the title. */
  name: string;
  task: string;
  classes: string[];
  /** Index of the class whose probability is the score (the last, as predict's heatmap). */
  positive: number;
  /** Side of the square network input, and its channels. */
  size: number;
  channels: number;
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
