/**
 * Training an encoder + linear classifier on labels: the paper's supervised baseline (all
 * layers, from scratch) and fine-tuning of a pretrained encoder with chosen stages trainable
 * ("frozen except the last one" = layer4). Frozen stages stay in inference mode, so their
 * BatchNorm running statistics do not move.
 */
import { Tensor, tensor, tidy, noGrad, autocast, Generator, randperm, keep } from '../tensor/index.js';
import type { ResNet } from '../nn/resnet.js';
import { LinearClassifier } from '../nn/heads.js';
import { Sgd } from '../optim/sgd.js';
import { learningRateAt } from '../optim/schedule.js';
import { augmentConfig, augment, type AugmentConfigInput } from '../augment/index.js';
import { F } from '../tensor/index.js';
import { balancedClassWeights } from './linear-eval.js';
import { TrainingProgress } from './progress.js';

export type Trainable = 'head' | 'layer4' | 'all';

export interface ClassifierTrainingConfig {
  trainable: Trainable;
  epochs: number;
  batchSize: number;
  lr: number;
  momentum: number;
  weightDecay: number;
  classWeights?: number[] | 'balanced';
  augment: AugmentConfigInput | null;
  bf16: boolean;
  channelsLast: boolean;
  seed: number;
}

export const CLASSIFIER_TRAINING_DEFAULTS: ClassifierTrainingConfig = {
  trainable: 'all', epochs: 40, batchSize: 64, lr: 0.05, momentum: 0.9, weightDecay: 5e-4, augment: {}, bf16: false, channelsLast: true, seed: 0,
};

/** Puts the encoder's stages in train or eval mode and returns the parameters to optimise. */
function selectTrainable(encoder: ResNet, trainable: Trainable): Tensor[] {
  if (trainable === 'all') {
    encoder.train();
    return encoder.parameters();
  }
  encoder.eval();
  if (trainable === 'layer4') {
    encoder.layer4.train();
    return encoder.layer4.parameters();
  }
  return [];
}

export interface ClassifierTrainingResult {
  classifier: LinearClassifier;
  history: { epoch: number; loss: number }[];
}

/** images [N, C, H, W] float32 in [0,1], labels int64 [N]. The encoder is trained in place. */
export function trainClassifier(encoder: ResNet, images: Tensor, labels: Tensor, classes: number, c: Partial<ClassifierTrainingConfig> = {}, o: { quiet?: boolean } = {}): ClassifierTrainingResult {
  const cfg = { ...CLASSIFIER_TRAINING_DEFAULTS, ...c };
  const n = images.shape[0]!;
  const g = Generator.seeded(cfg.seed);
  const classifier = new LinearClassifier(encoder.featureDim, classes, { generator: g });
  const params = [...selectTrainable(encoder, cfg.trainable), ...classifier.parameters()];
  const frozen = new Set(encoder.parameters());
  for (const p of params) frozen.delete(p);
  for (const p of frozen) p.requiresGrad_(false);
  const opt = new Sgd(params, { lr: cfg.lr, momentum: cfg.momentum, weightDecay: cfg.weightDecay });
  const weightValues = cfg.classWeights === 'balanced' ? balancedClassWeights(labels.toArray(), classes) : cfg.classWeights;
  const weight = weightValues ? keep(tensor(weightValues)) : null;
  const aug = cfg.augment ? augmentConfig({ size: images.shape[3], ...cfg.augment }) : null;
  const batch = Math.min(cfg.batchSize, n);
  const stepsPerEpoch = Math.ceil(n / batch);
  const schedule = { baseLearningRate: cfg.lr, scaling: 'none' as const, batchSize: batch, numExamples: n, epochs: cfg.epochs, warmupEpochs: 0, trainSteps: cfg.epochs * stepsPerEpoch };
  const progress = new TrainingProgress(cfg.epochs * stepsPerEpoch, 0, { quiet: o.quiet, label: 'train' });
  const history: ClassifierTrainingResult['history'] = [];
  let step = 0;
  try {
    for (let epoch = 0; epoch < cfg.epochs; epoch++) {
      const order = randperm(n, { generator: g });
      let sum = 0;
      for (let i = 0; i < n; i += batch) {
        const lr = learningRateAt(step++, schedule);
        const t0 = performance.now();
        const m = Math.min(batch, n - i);
        // BatchNorm cannot train on one sample; a final batch of 1 is skipped.
        if (m < 2 && cfg.trainable !== 'head') continue;
        sum += tidy(() => {
          const idx = order.narrow(0, i, m);
          let x = images.indexSelect(0, idx);
          if (aug) x = augment(x, aug, g);
          if (cfg.channelsLast) x = x.contiguous('channelsLast');
          const logits = autocast({ enabled: cfg.bf16 }, () => classifier.forward(encoder.forward(x)));
          const loss = F.crossEntropy(logits.float(), labels.indexSelect(0, idx), { weight });
          opt.zeroGrad();
          loss.backward();
          opt.step(lr);
          return loss.item() * m;
        });
        progress.update(step, { loss: sum / Math.min(n, i + m), imagesPerSecond: m / ((performance.now() - t0) / 1000), lr });
      }
      order.dispose();
      history.push({ epoch: epoch + 1, loss: sum / n });
      progress.epoch(`epoch ${epoch + 1}/${cfg.epochs}: loss ${(sum / n).toFixed(4)}`);
    }
  } finally {
    progress.stop();
    opt.dispose();
    weight?.dispose();
    for (const p of frozen) p.requiresGrad_(true);
    encoder.zeroGrad();
    classifier.zeroGrad();
    encoder.eval();
  }
  return { classifier, history };
}

/** Class probabilities [N, classes] from images, the encoder in inference mode. */
export function predictImages(encoder: ResNet, classifier: LinearClassifier, images: Tensor, o: { batchSize?: number; bf16?: boolean; channelsLast?: boolean } = {}): Tensor {
  encoder.eval();
  const n = images.shape[0]!;
  const bs = o.batchSize ?? 128;
  const parts: Tensor[] = [];
  for (let i = 0; i < n; i += bs) {
    parts.push(keep(tidy(() => noGrad(() => {
      let x = images.narrow(0, i, Math.min(bs, n - i));
      if (o.channelsLast) x = x.contiguous('channelsLast');
      const logits = autocast({ enabled: o.bf16 ?? false }, () => classifier.forward(encoder.forward(x)));
      return logits.float().softmax(1);
    }))));
  }
  const out = tidy(() => F.cat(parts, 0));
  for (const p of parts) p.dispose();
  return out;
}
