/**
 * The deployable detection model `detect` writes (`<run>/detect/patch-model.json`) and
 * `predict` reads: the window geometry and the patch probe fitted on every labeled image. The
 * whole-image probability is the mean of the k highest window probabilities; the heatmap at a
 * pixel is the mean probability of the windows covering it.
 */
import { readFileSync } from 'node:fs';
import type { ResNet } from '../nn/resnet.js';
import type { GrayImage } from '../data/image.js';
import { preprocessMammogram, type PreprocessTransform } from '../data/preprocess/index.js';
import { toHalfArray } from '../data/cache/float16.js';
import { prepareOptions } from '../data/cache/process-image.js';
import { breastWindows, PreparedPlanes, windowHeatmap } from '../data/windows.js';
import { patchFeatures, type PatchView } from './patch-features.js';
import { windowProbabilities } from './detection.js';
import { logisticProbeFromJSON, type LogisticProbe } from './logistic-probe.js';
import { topKMean } from '../eval/aggregate.js';

export const PATCH_MODEL_FORMAT = 'mammoclr.patch-model/1';

export interface PatchModel {
  format: typeof PATCH_MODEL_FORMAT;
  task: string;
  classes: string[];
  /** Side of the prepared image the windows slide over. */
  resolution: number;
  view: PatchView;
  stride: number;
  minBreast: number;
  topK: number;
  probe: LogisticProbe;
  /** Present when the training images were prepared with --pectoral suppress; predict does the same. */
  pectoral?: 'suppress';
}

export function readPatchModel(path: string): PatchModel {
  const m = JSON.parse(readFileSync(path, 'utf8')) as PatchModel;
  if (m.format !== PATCH_MODEL_FORMAT) throw new Error(`${path}: not a mammoclr patch model (format "${String(m.format)}")`);
  return { ...m, probe: logisticProbeFromJSON(m.probe) };
}

export interface PatchPrediction {
  probability: number;
  /** resolution^2 heatmap over the prepared square (0 where no window reached). */
  map: Float32Array;
  transform: PreprocessTransform;
  windows: number;
}

export function predictWithPatchModel(encoder: ResNet, model: PatchModel, image: GrayImage, o: { bf16?: boolean } = {}): PatchPrediction {
  const s = model.resolution;
  const pre = preprocessMammogram(image, { ...prepareOptions({ pectoral: model.pectoral }), size: s });
  const planes = new PreparedPlanes(toHalfArray(pre.data), 1, s);
  const windows = breastWindows(planes, 0, { size: model.view.size, stride: model.stride, minBreast: model.minBreast });
  if (windows.length === 0) throw new Error(`no ${model.view.size} px window of the breast holds ${model.minBreast} breast at ${s} px`);
  const features = patchFeatures(encoder, planes, windows, model.view, { bf16: o.bf16, channelsLast: true });
  const p = windowProbabilities(model.probe, features, windows.map((_, i) => i));
  const map = windowHeatmap(windows, p, model.view.size, s);
  return { probability: topKMean(p, model.topK), map, transform: pre.transform, windows: windows.length };
}
