/**
 * Patient-disjoint k-fold evaluation of a method: linear probing of a frozen encoder, fine-tuning
 * of a pretrained encoder, or the supervised baseline from scratch. Every fold asserts that its
 * training and test patients are disjoint; the training side can be cut to a labeled fraction.
 * Out-of-fold predictions are pooled for one evaluation with confidence intervals, and per-fold
 * evaluations give the mean and spread.
 */
import { Tensor, tensor, tidy, type Device } from '../tensor/index.js';
import type { ResNet } from '../nn/resnet.js';
import { kFoldByPatient, labeledFractions, assertPatientDisjoint } from '../data/splits.js';
import { aggregateFolds, type BinaryEvaluation } from '../eval/summary.js';
import { evaluateProbabilities, type MultiClassEvaluation } from '../eval/multi-class.js';
import { extractFeatures, extractFeaturesParallel } from './features.js';
import { trainLinearClassifier, predictProbabilities, type LinearEvalConfig } from './linear-eval.js';
import { trainClassifier, predictImages, type ClassifierTrainingConfig, type Trainable } from './supervised.js';
import type { ProcessGroup } from '../distributed/process-group.js';

export interface CvItem {
  /** Row of the images tensor. */
  index: number;
  id: string;
  patientId: string;
  label: number;
}

export type CvMethod =
  | { kind: 'linear'; encoder: ResNet; config: Partial<LinearEvalConfig>; bf16?: boolean; channelsLast?: boolean; device?: Device }
  | { kind: 'train'; makeEncoder: () => ResNet; trainable: Trainable; config: Partial<ClassifierTrainingConfig> };

export interface CvOptions {
  folds: number;
  seed: number;
  /** Fraction of each fold's training labels used (nested, stratified); 1 = all. */
  fraction: number;
  quiet?: boolean;
}

export interface Prediction {
  id: string;
  patientId: string;
  label: number;
  /** Probability of each class. */
  probabilities: number[];
  fold: number;
}

export type { MultiClassEvaluation };

export interface CvResult {
  classes: string[];
  predictions: Prediction[];
  folds: { fold: number; trainImages: number; trainPatients: number; testImages: number; evaluation: BinaryEvaluation | MultiClassEvaluation }[];
  /** Out-of-fold predictions pooled: one evaluation with intervals. */
  pooled: BinaryEvaluation | MultiClassEvaluation;
  aggregate: ReturnType<typeof aggregateFolds>;
}

function rows(t: Tensor): number[][] {
  const [n, c] = t.shape as [number, number];
  const flat = t.toArray();
  return Array.from({ length: n }, (_, i) => flat.slice(i * c, (i + 1) * c));
}

/**
 * Alone, or on every rank of a group, where every rank ends with the same result. Fine-tuning
 * and the supervised baseline train data-parallel (trainClassifier with the group); every rank
 * then predicts the whole test fold with its identical weights (a forward pass over a fold is
 * small beside the training). Linear probing extracts the features data-parallel and every rank
 * fits the same probe on the same gathered features: a probe is cheap, and identical inputs give
 * identical classifiers without further communication.
 */
export async function crossValidate(images: Tensor, items: CvItem[], classes: string[], method: CvMethod, o: CvOptions & { group?: ProcessGroup }): Promise<CvResult> {
  const k = classes.length;
  const folds = kFoldByPatient(items, o.folds, o.seed);
  // Linear probing computes the frozen encoder's features once for all folds.
  const featureOptions = method.kind === 'linear' ? { bf16: method.bf16, channelsLast: method.channelsLast, device: method.device } : {};
  const features = method.kind !== 'linear' ? null
    : o.group ? await extractFeaturesParallel(method.encoder, images, o.group, featureOptions)
      : extractFeatures(method.encoder, images, featureOptions);
  const predictions: Prediction[] = [];
  const perFold: CvResult['folds'] = [];
  try {
    for (const [f, fold] of folds.entries()) {
      assertPatientDisjoint(fold.train, fold.test, [`fold ${f + 1} train`, `fold ${f + 1} test`]);
      const train = o.fraction >= 1 ? fold.train : labeledFractions(fold.train, o.seed, [o.fraction]).get(o.fraction)!;
      const trainIdx = tensor(train.map((it) => it.index), { dtype: 'int64' });
      const testIdx = tensor(fold.test.map((it) => it.index), { dtype: 'int64' });
      const trainLabels = tensor(train.map((it) => it.label), { dtype: 'int64' });
      let probs: Tensor;
      if (method.kind === 'linear') {
        const { classifier } = tidy(() => trainLinearClassifier(features!.indexSelect(0, trainIdx), trainLabels, k, { seed: o.seed + f, ...method.config }));
        probs = tidy(() => predictProbabilities(classifier, features!.indexSelect(0, testIdx)));
        classifier.dispose();
      } else {
        const encoder = method.makeEncoder();
        const trainImages = images.indexSelect(0, trainIdx);
        const { classifier } = await trainClassifier(encoder, trainImages, trainLabels, k, { seed: o.seed + f, trainable: method.trainable, ...method.config }, { quiet: o.quiet, group: o.group });
        trainImages.dispose();
        const testImages = images.indexSelect(0, testIdx);
        probs = predictImages(encoder, classifier, testImages, { bf16: method.config.bf16, channelsLast: method.config.channelsLast, device: method.config.device });
        testImages.dispose();
        encoder.dispose();
        classifier.dispose();
      }
      const p = rows(probs);
      for (const t of [probs, trainIdx, testIdx, trainLabels]) t.dispose();
      fold.test.forEach((it, i) => predictions.push({ id: it.id, patientId: it.patientId, label: it.label, probabilities: p[i]!, fold: f + 1 }));
      const evaluation = evaluateProbabilities(fold.test.map((it) => it.label), p, k, train.map((it) => it.label));
      perFold.push({ fold: f + 1, trainImages: train.length, trainPatients: new Set(train.map((t) => t.patientId)).size, testImages: fold.test.length, evaluation });
    }
  } finally {
    features?.dispose();
  }
  const pooled = evaluateProbabilities(predictions.map((p) => p.label), predictions.map((p) => p.probabilities), k, items.map((it) => it.label));
  return { classes, predictions, folds: perFold, pooled, aggregate: aggregateFolds(perFold.map((f) => f.evaluation)) };
}
