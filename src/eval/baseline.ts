// Majority-class baseline: always predict the most frequent training class. Reported beside
// accuracy because an imbalanced test set (mini-MIAS is 64 % normal) makes a high accuracy
// cheap: always answering "normal" is right on 64 % of mini-MIAS images.

import { wilsonInterval, type ProportionInterval } from './wilson.js';

export interface MajorityBaseline {
  /** Most frequent training label; ties go to the smallest label. */
  majorityClass: number;
  /** Its share of the training labels. */
  trainFraction: number;
  /** Accuracy of always predicting majorityClass on the test labels, with its Wilson 95 % interval. */
  accuracy: ProportionInterval;
}

// Baseline accuracy = #(test labels == majority training label)/#test, Wilson interval (wilson.ts).
export function majorityBaseline(trainLabels: ArrayLike<number>, testLabels: ArrayLike<number>): MajorityBaseline {
  if (trainLabels.length === 0) throw new Error('majority baseline needs at least one training label');
  const counts = new Map<number, number>();
  for (let i = 0; i < trainLabels.length; i++) counts.set(trainLabels[i]!, (counts.get(trainLabels[i]!) ?? 0) + 1);
  let majorityClass = Number.NaN;
  let best = -1;
  for (const [label, c] of [...counts.entries()].sort((a, b) => a[0] - b[0])) {
    if (c > best) {
      best = c;
      majorityClass = label;
    }
  }
  let correct = 0;
  for (let i = 0; i < testLabels.length; i++) if (testLabels[i] === majorityClass) correct++;
  return {
    majorityClass,
    trainFraction: best / trainLabels.length,
    accuracy: wilsonInterval(correct, testLabels.length),
  };
}
