/**
 * Training an encoder + linear classifier on labels: the paper's supervised baseline (all
 * layers, from scratch) and fine-tuning of a pretrained encoder with chosen stages trainable
 * ("frozen except the last one" = layer4). Frozen stages stay in inference mode, so their
 * BatchNorm running statistics do not move. With a process group it trains data-parallel
 * (test/distributed/supervised.test.ts: 2 ranks of batch B end where one process of batch 2B
 * does, to float32 rounding).
 */
import { Tensor, tensor, tidy, Generator, randperm, keep, type Device } from '../tensor/index.js';
import { onDevice } from './device.js';
import type { ResNet } from '../nn/resnet.js';
import { LinearClassifier } from '../nn/heads.js';
import { Sgd } from '../optim/sgd.js';
import { learningRateAt } from '../optim/schedule.js';
import { augmentConfig, augment, type AugmentConfigInput } from '../augment/index.js';
import { F } from '../tensor/index.js';
import { balancedClassWeights } from './linear-eval.js';
import { TrainingProgress } from './progress.js';
import type { ProcessGroup } from '../distributed/process-group.js';
import { DistributedSampler } from '../distributed/sampler.js';
import { TrainingSession } from './session.js';
import { inferInBatches, type InferenceOptions } from './inference.js';

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
  /** 'cpu' or a CUDA device: the encoder and classifier are moved there, batches per step. */
  device?: Device;
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

export interface ClassifierTrainingOptions {
  quiet?: boolean;
  /**
   * Data-parallel training over this group: cfg.batchSize is the global batch, dealt round-robin
   * over the ranks; BatchNorm statistics are those of the global batch (SyncBatchNorm, so W ranks
   * of B images train like one process of W*B); gradients are averaged after each backward.
   * Every rank ends with the same weights; rank 0 alone shows progress.
   */
  group?: ProcessGroup;
}

/**
 * images [N, C, H, W] float32 in [0,1], labels int64 [N]. The encoder is trained in place; with
 * a group, on every rank (each calls it), which all end with the same weights.
 */
export async function trainClassifier(encoder: ResNet, images: Tensor, labels: Tensor, classes: number, c: Partial<ClassifierTrainingConfig> = {}, o: ClassifierTrainingOptions = {}): Promise<ClassifierTrainingResult> {
  const cfg = { ...CLASSIFIER_TRAINING_DEFAULTS, ...c };
  const n = images.shape[0]!;
  const session = new TrainingSession({ group: o.group, device: cfg.device, bf16: cfg.bf16, channelsLast: cfg.channelsLast, seed: cfg.seed });
  const pg = session.group;
  const world = session.worldSize;
  const rank = session.rank;
  if (cfg.batchSize % world !== 0) throw new Error(`the batch size ${cfg.batchSize} is not a multiple of the ${world} processes: each process takes batch/processes images`);
  const g = Generator.seeded(cfg.seed);
  const classifier = new LinearClassifier(encoder.featureDim, classes, { generator: g });
  session.place(encoder, classifier);
  const params = [...selectTrainable(encoder, cfg.trainable), ...classifier.parameters()];
  const frozen = new Set(encoder.parameters());
  for (const p of params) frozen.delete(p);
  for (const p of frozen) p.requiresGrad_(false);
  const opt = new Sgd(params, { lr: cfg.lr, momentum: cfg.momentum, weightDecay: cfg.weightDecay });
  const labelValues = labels.toArray();
  const weightValues = cfg.classWeights === 'balanced' ? balancedClassWeights(labelValues, classes) : cfg.classWeights;
  const weight = weightValues ? keep(tensor(weightValues, { device: cfg.device })) : null;
  const aug = cfg.augment ? augmentConfig({ size: images.shape[3], ...cfg.augment }) : null;
  // g orders the data and must draw alike on every rank, so with several ranks each augments
  // its share from a stream of its own (with one process g augments too, as it always did).
  const augGen = pg ? Generator.seeded(session.augmentSeed()) : g;
  const batch = Math.min(cfg.batchSize, n);
  const stepsPerEpoch = Math.ceil(n / batch);
  const schedule = { baseLearningRate: cfg.lr, scaling: 'none' as const, batchSize: batch, numExamples: n, epochs: cfg.epochs, warmupEpochs: 0, trainSteps: cfg.epochs * stepsPerEpoch };
  const progress = new TrainingProgress(cfg.epochs * stepsPerEpoch, 0, { quiet: o.quiet || !session.isMain, label: 'train' });
  // The epoch order stays the single-process one (randperm from g); the sampler deals it out
  // round-robin, so the global batch s is the same set of images as with one process: batch
  // starts are multiples of W (or there is one batch per epoch).
  const sampler = pg ? new DistributedSampler(n, { rank, worldSize: world }) : null;
  const history: ClassifierTrainingResult['history'] = [];
  let step = 0;
  try {
    session.syncBatchNorm(encoder);
    await session.start([encoder, classifier], params);
    for (let epoch = 0; epoch < cfg.epochs; epoch++) {
      const order = randperm(n, { generator: g });
      const orderValues = pg ? order.toArray() : [];
      const mine = sampler ? keep(tensor(sampler.deal(orderValues), { dtype: 'int64' })) : order;
      let sum = 0;
      try {
        for (let i = 0; i < n; i += batch) {
          const lr = learningRateAt(step++, schedule);
          const t0 = performance.now();
          const m = Math.min(batch, n - i);
          // BatchNorm cannot train on one sample; a final batch of 1 is skipped (with several
          // ranks, also a final batch that would leave a rank without images).
          if ((m < 2 && cfg.trainable !== 'head') || m < world) continue;
          // With several ranks each rank's loss is its share of the global batch's (weighted)
          // sum over the global batch's weight, times W: averaging the gradients over the ranks
          // then gives the gradient of the global batch's mean, whatever the shares' sizes and
          // labels.
          const scale = pg ? world / batchWeight(orderValues, i, m, labelValues, weightValues) : 0;
          const loss = tidy(() => {
            const idx = pg ? mine.narrow(0, i / world, Math.ceil((m - rank) / world)) : order.narrow(0, i, m);
            let x = images.indexSelect(0, idx);
            if (aug) x = augment(x, aug, augGen);
            x = session.input(x);
            const logits = session.autocast(() => classifier.forward(encoder.forward(x)));
            const y = onDevice(labels.indexSelect(0, idx), cfg.device);
            const l = pg ? F.crossEntropy(logits.float(), y, { weight, reduction: 'sum' }).mul(scale) : F.crossEntropy(logits.float(), y, { weight });
            opt.zeroGrad();
            l.backward();
            return l.item();
          });
          await session.reduceGradients();
          opt.step(lr);
          const batchLoss = pg ? await session.sumOverRanks(loss / world) : loss;
          sum += batchLoss * m;
          progress.update(step, { loss: sum / Math.min(n, i + m), imagesPerSecond: m / ((performance.now() - t0) / 1000), lr });
        }
      } finally {
        if (mine !== order) mine.dispose();
        order.dispose();
      }
      history.push({ epoch: epoch + 1, loss: sum / n });
      progress.epoch(`epoch ${epoch + 1}/${cfg.epochs}: loss ${(sum / n).toFixed(4)}`);
    }
  } finally {
    progress.stop();
    opt.dispose();
    session.close();
    weight?.dispose();
    for (const p of frozen) p.requiresGrad_(true);
    encoder.zeroGrad();
    classifier.zeroGrad();
    encoder.eval();
  }
  return { classifier, history };
}

/** Total loss weight of the global batch order[i, i + m): its size without class weights. */
function batchWeight(order: ArrayLike<number>, i: number, m: number, labels: ArrayLike<number>, weights: number[] | undefined): number {
  if (!weights) return m;
  let s = 0;
  for (let j = i; j < i + m; j++) s += weights[labels[order[j]!]!]!;
  return s;
}

/** Class probabilities [N, classes] from images, the encoder in inference mode. */
export function predictImages(encoder: ResNet, classifier: LinearClassifier, images: Tensor, o: InferenceOptions = {}): Tensor {
  return inferInBatches(images, {
    models: [encoder, classifier], forward: (x) => classifier.forward(encoder.forward(x)), finish: (logits) => logits.float().softmax(1), batchSize: o.batchSize ?? 128,
  }, o);
}
