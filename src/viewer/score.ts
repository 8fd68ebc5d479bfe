/** One file from bytes to its score, heatmap and header facts: the page's whole pipeline, in the order predict runs it. */
import type { GrayImage } from '../data/image.js';
import { preprocessMammogram } from '../data/preprocess/index.js';
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
  /** Centre of the map's hottest layer4 cell, in original pixel coordinates. */
  peak: { x: number; y: number };
  inferenceMs: number;
}

export async function scoreFile(model: Model, bytes: Uint8Array, name: string): Promise<Scored> {
  const image = await decodeFile(bytes, name);
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
