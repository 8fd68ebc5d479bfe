/** One file from bytes to its score, heatmap and header facts: the page's whole pipeline, in the order predict runs it. */
import type { GrayImage } from '../data/image.js';
import { preprocessMammogram } from '../data/preprocess/index.js';
import { prepareOptions } from '../data/cache/process-image.js';
import { toHalfArray } from '../data/cache/float16.js';
import { breastWindows, cropWindows, PreparedPlanes, windowCentre, windowHeatmap } from '../data/windows.js';
import { heatmapToOriginal, toOriginal, type PreprocessTransform } from '../data/preprocess/transform.js';
import { decodeFile } from './decode.js';
import type { Model } from './model.js';

export interface Scored {
  name: string;
  image: GrayImage;
  transform: PreprocessTransform;
  probabilities: number[];
  /** P(positive class). */
  score: number;
  /** The activation map on the original pixels, [0, 1], width x height. */
  heat: Float32Array;
  /** Centre of the map's hottest layer4 cell (patch models: of the most probable window), in original pixel coordinates. */
  peak: { x: number; y: number };
  inferenceMs: number;
}

export async function scoreFile(model: Model, bytes: Uint8Array, name: string): Promise<Scored> {
  const image = await decodeFile(bytes, name);
  if (model.info.windows) return scoreWindows(model, image, name);
  // predict's call: preprocessMammogram with the defaults prepare uses, at the model's size.
  const pre = preprocessMammogram(image, { size: model.info.size });
  const out = await model.run(pre.data);
  const n = out.camSize;
  let best = 0;
  for (let i = 1; i < out.cam.length; i++) if (out.cam[i]! > out.cam[best]!) best = i;
  const cell = pre.size / n;
  const peak = toOriginal(pre.transform, { x: ((best % n) + 0.5) * cell - 0.5, y: (Math.floor(best / n) + 0.5) * cell - 0.5 });
  return {
    name, image, transform: pre.transform,
    probabilities: [...out.probabilities],
    score: out.probabilities[model.info.positive]!,
    heat: heatmapToOriginal(pre.transform, out.cam, n),
    peak: { x: peak.x, y: peak.y },
    inferenceMs: out.ms,
  };
}

/** Mean of the k highest values (predict's whole-image rule for patch models). */
export function topKMean(values: ArrayLike<number>, k: number): number {
  const top = Array.from(values).sort((a, b) => b - a).slice(0, k);
  return top.reduce((a, v) => a + v, 0) / top.length;
}

/**
 * predict's patch-model call (src/train/patch-model.ts): the image prepared at the windows'
 * resolution and rounded to float16 as prepare stores it, the breast windows of breastWindows,
 * each scored whole; top-k mean, and the mean window probability over each pixel as heatmap.
 */
async function scoreWindows(model: Model, image: GrayImage, name: string): Promise<Scored> {
  const w = model.info.windows!;
  const s = w.resolution;
  const pre = preprocessMammogram(image, { ...prepareOptions({ pectoral: w.pectoral }), size: s });
  const planes = new PreparedPlanes(toHalfArray(pre.data), 1, s);
  const windows = breastWindows(planes, 0, { size: w.window, stride: w.stride, minBreast: w.minBreast });
  if (windows.length === 0) throw new Error(`no ${w.window} px window of the breast holds ${w.minBreast} breast at ${s} px`);
  const { probabilities: p, ms } = await model.runWindows(cropWindows(planes, windows, w.window), windows.length);
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
  const peak = toOriginal(pre.transform, windowCentre(windows[best]!, w.window));
  const score = topKMean(p, w.topK);
  const probabilities = model.info.classes.map((_, k) => (k === model.info.positive ? score : 1 - score));
  return {
    name, image, transform: pre.transform, probabilities, score,
    heat: heatmapToOriginal(pre.transform, windowHeatmap(windows, p, w.window, s), s),
    peak: { x: peak.x, y: peak.y },
    inferenceMs: ms,
  };
}
