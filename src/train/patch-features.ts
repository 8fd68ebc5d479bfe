/**
 * Encoder features of many windows of prepared mammograms, computed in chunks so that only one
 * chunk of pixels is ever a tensor: a 512 px mini-MIAS holds about 120 breast windows of 64 px,
 * 40,000 for the dataset.
 */
import type { ResNet } from '../nn/resnet.js';
import { cropPatches, type PatchLocation, type PreparedPlanes } from '../data/patches.js';
import { extractFeatures, type FeatureOptions } from './features.js';

export interface PatchView {
  /** Window side in prepared pixels. */
  size: number;
  /** Model input side: the window is area-averaged down to it (size a whole multiple of it). */
  input: number;
}

export interface PatchFeatures {
  /** rows x dims, row-major. */
  values: Float32Array;
  rows: number;
  dims: number;
}

/** Features [locations, featureDim] of the windows, in order, `chunk` windows per tensor. */
export function patchFeatures(encoder: ResNet, planes: PreparedPlanes, locations: readonly PatchLocation[], view: PatchView, o: FeatureOptions & { chunk?: number; onProgress?: (done: number, total: number) => void } = {}): PatchFeatures {
  const dims = encoder.featureDim;
  const values = new Float32Array(locations.length * dims);
  const chunk = o.chunk ?? 1024;
  for (let i = 0; i < locations.length; i += chunk) {
    const part = locations.slice(i, i + chunk);
    const pixels = cropPatches(planes, part, view.size, view.input);
    try {
      const h = extractFeatures(encoder, pixels, o);
      values.set(h.toFloat32Array(), i * dims);
      h.dispose();
    } finally {
      pixels.dispose();
    }
    o.onProgress?.(Math.min(locations.length, i + chunk), locations.length);
  }
  return { values, rows: locations.length, dims };
}

/** The rows of a feature matrix picked by index, as a new matrix. */
export function pickRows(f: PatchFeatures, rows: readonly number[]): PatchFeatures {
  const values = new Float32Array(rows.length * f.dims);
  rows.forEach((r, i) => values.set(f.values.subarray(r * f.dims, (r + 1) * f.dims), i * f.dims));
  return { values, rows: rows.length, dims: f.dims };
}
