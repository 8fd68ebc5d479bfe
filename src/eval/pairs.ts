// Where an image score's signal lies when every woman has two images (one per breast): between
// women (does she have a finding at all?) or within a woman (which of her breasts?). An image AUC
// mixes both, since most abnormal images' partners are normal images of the same woman.

import { checkBinaryInput } from './roc.js';
import { delongAuc, type DelongAuc } from './delong.js';
import { wilsonInterval, type ProportionInterval } from './wilson.js';

export interface PairAnalysis {
  /**
   * Women with two images of which exactly one is positive: the share whose positive image
   * scores above its partner (a tie counts as a miss), with its Wilson interval; chance is 1/2.
   */
  side: ProportionInterval;
  /** Woman-level AUC [DeLong]: a woman is positive if any image is, and scores the highest of her images. */
  women: DelongAuc | null;
  /** Women with 1, 2 and more images (only those with two enter `side`). */
  womenByImages: Record<string, number>;
}

export function pairAnalysis(labels: ArrayLike<number>, scores: ArrayLike<number>, patients: ArrayLike<string>): PairAnalysis {
  checkBinaryInput(labels, scores);
  if (patients.length !== labels.length) throw new Error(`pair analysis: ${patients.length} patient ids for ${labels.length} images`);
  const byWoman = new Map<string, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const items = byWoman.get(patients[i]!);
    if (items) items.push(i);
    else byWoman.set(patients[i]!, [i]);
  }
  let right = 0;
  let pairs = 0;
  const womanLabels: number[] = [];
  const womanScores: number[] = [];
  const womenByImages: Record<string, number> = {};
  for (const items of byWoman.values()) {
    const key = items.length > 2 ? 'more' : String(items.length);
    womenByImages[key] = (womenByImages[key] ?? 0) + 1;
    womanLabels.push(items.some((i) => labels[i] === 1) ? 1 : 0);
    womanScores.push(Math.max(...items.map((i) => scores[i]!)));
    if (items.length !== 2) continue;
    const [a, b] = items as [number, number];
    if (labels[a] === labels[b]) continue;
    pairs++;
    const [pos, neg] = labels[a] === 1 ? [a, b] : [b, a];
    if (scores[pos]! > scores[neg]!) right++;
  }
  const both = womanLabels.includes(0) && womanLabels.includes(1);
  return { side: wilsonInterval(right, pairs), women: both ? delongAuc(womanLabels, womanScores) : null, womenByImages };
}
