/**
 * Linear evaluation: a softmax classifier on frozen encoder features (computed once), trained
 * with SGD with momentum and softmax cross-entropy (optionally class-weighted), learning rate
 * decayed by a cosine over all steps. It has no data-parallel variant: with several processes
 * the features are extracted data-parallel and gathered (extractFeaturesParallel), and every
 * rank fits this cheap probe on the same features, so all end with the same classifier.
 */
import { Tensor, tensor, tidy, noGrad, randperm, F, Generator } from '../tensor/index.js';
import { LinearClassifier } from '../nn/heads.js';
import { Sgd } from '../optim/sgd.js';
import { learningRateAt } from '../optim/schedule.js';

export interface LinearEvalConfig {
  epochs: number;
  batchSize: number;
  lr: number;
  momentum: number;
  weightDecay: number;
  /** Standardise features with the training mean and std (default true). */
  standardize?: boolean;
  /** Per-class loss weights, or 'balanced' (n / (classes * count_c), as sklearn). */
  classWeights?: number[] | 'balanced';
  seed: number;
}

export const LINEAR_EVAL_DEFAULTS: LinearEvalConfig = { epochs: 40, batchSize: 64, lr: 0.1, momentum: 0.9, weightDecay: 0, seed: 0 };

export interface EpochLog {
  epoch: number;
  loss: number;
  lr: number;
}

export function balancedClassWeights(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]! += 1;
  return counts.map((c) => (c === 0 ? 0 : labels.length / (classes * c)));
}

/** features [N, D] float32, labels int64 [N] in 0..classes-1. */
export function trainLinearClassifier(features: Tensor, labels: Tensor, classes: number, c: Partial<LinearEvalConfig> = {}): { classifier: LinearClassifier; history: EpochLog[] } {
  const cfg = { ...LINEAR_EVAL_DEFAULTS, ...c };
  const n = features.shape[0]!;
  if (labels.shape[0] !== n) throw new Error(`linear evaluation: ${n} feature rows but ${labels.shape[0]} labels`);
  const g = Generator.seeded(cfg.seed);
  const classifier = new LinearClassifier(features.shape[1]!, classes, { generator: g });
  if (cfg.standardize ?? true) classifier.fitScaler(features);
  const opt = new Sgd(classifier.parameters(), { lr: cfg.lr, momentum: cfg.momentum, weightDecay: cfg.weightDecay });
  const weightValues = cfg.classWeights === 'balanced' ? balancedClassWeights(Array.from(labels.toArray()), classes) : cfg.classWeights;
  const weight = weightValues ? tensor(weightValues) : null;
  const stepsPerEpoch = Math.ceil(n / cfg.batchSize);
  const schedule = { baseLearningRate: cfg.lr, scaling: 'none' as const, batchSize: cfg.batchSize, numExamples: n, epochs: cfg.epochs, warmupEpochs: 0, trainSteps: cfg.epochs * stepsPerEpoch };
  const history: EpochLog[] = [];
  let step = 0;
  try {
    for (let epoch = 0; epoch < cfg.epochs; epoch++) {
      let sum = 0;
      let lr = cfg.lr;
      const order = randperm(n, { generator: g });
      for (let i = 0; i < n; i += cfg.batchSize) {
        lr = learningRateAt(step++, schedule);
        sum += tidy(() => {
          const idx = order.narrow(0, i, Math.min(cfg.batchSize, n - i));
          const logits = classifier.forward(features.indexSelect(0, idx));
          const loss = F.crossEntropy(logits, labels.indexSelect(0, idx), { weight });
          opt.zeroGrad();
          loss.backward();
          opt.step(lr);
          return loss.item() * idx.shape[0]!;
        });
      }
      order.dispose();
      history.push({ epoch, loss: sum / n, lr });
    }
  } finally {
    opt.dispose();
    weight?.dispose();
    classifier.zeroGrad();
  }
  return { classifier, history };
}

/** Class probabilities [N, classes]. */
export function predictProbabilities(classifier: LinearClassifier, features: Tensor): Tensor {
  return tidy(() => noGrad(() => classifier.forward(features).softmax(1)));
}
