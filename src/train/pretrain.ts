/**
 * SimCLR pretraining (Chen et al. 2020; the paper's setting by default): two augmented views
 * per image, encoder + projection head, NT-Xent over the batch's 2N views, LARS with linear
 * warm-up then cosine decay per step. Checkpoints are atomic and carry everything needed for a
 * resumed run to end with the same weights as an uninterrupted one: model, optimiser state,
 * the augmentation generator's state and the position (epoch, step); the data order of an epoch
 * is a function of (seed, epoch).
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { Tensor, tidy, autocast, F, Generator, randperm, keep, cpuHasFastBf16 } from '../tensor/index.js';
import type { ResNet } from '../nn/resnet.js';
import { projectionHead, type ProjectionVariant } from '../nn/heads.js';
import type { Sequential } from '../nn/layers.js';
import { ntXent } from '../nn/ntxent.js';
import { Lars, excludeByName } from '../optim/lars.js';
import { Sgd } from '../optim/sgd.js';
import { learningRateAt, scaledLearningRate, type LearningRateScaling } from '../optim/schedule.js';
import { augmentConfig, twoViews, type AugmentConfigInput } from '../augment/index.js';
import { extractFeatures } from './features.js';
import { knnAccuracy } from '../eval/knn.js';
import { saveCheckpoint, loadCheckpoint, disposeCheckpoint } from './checkpoint.js';
import { saveSafetensors } from '../tensor/index.js';
import { RunLog } from './run-log.js';
import { saveEncoderFile, buildEncoder, type EncoderConfig } from './encoder-io.js';

export { buildEncoder, type EncoderConfig };
import { StopSignal } from './stop-signal.js';
import { TrainingProgress } from './progress.js';

export interface PretrainConfig {
  encoder: EncoderConfig;
  projection: { hidden: number | null; out: number; variant: ProjectionVariant };
  epochs: number;
  batchSize: number;
  temperature: number;
  optimizer: {
    name: 'lars' | 'sgd';
    /** Base rate before scaling with the batch size. */
    lr: number;
    scaling: LearningRateScaling;
    warmupEpochs: number;
    weightDecay: number;
    momentum: number;
    trustCoefficient: number;
  };
  augment: AugmentConfigInput;
  /** bf16 autocast; default on where the CPU has native bf16 (AVX512-BF16 or AMX). */
  bf16: boolean;
  channelsLast: boolean;
  seed: number;
  /** Write a checkpoint every this many epochs (and always at the end and on SIGINT/SIGTERM). */
  checkpointEvery: number;
  knn: { k: number; temperature: number };
  /** A loss above this (or NaN) stops the run: it has diverged. */
  maxLoss: number;
}

export function pretrainDefaults(): PretrainConfig {
  return {
    encoder: { depth: 50, stem: 'cifar', width: 64, inChannels: 1 },
    projection: { hidden: null, out: 128, variant: 'v1' },
    epochs: 60,
    batchSize: 128,
    temperature: 0.5,
    optimizer: { name: 'lars', lr: 0.3, scaling: 'linear', warmupEpochs: 10, weightDecay: 1e-6, momentum: 0.9, trustCoefficient: 0.001 },
    augment: {},
    bf16: cpuHasFastBf16(),
    channelsLast: true,
    seed: 0,
    checkpointEvery: 5,
    knn: { k: 20, temperature: 0.07 },
    maxLoss: 1e4,
  };
}

export interface KnnMonitorData {
  trainImages: Tensor;
  trainLabels: Tensor;
  valImages: Tensor;
  valLabels: Tensor;
  classes: number;
}

export interface PretrainInput {
  /** [N, C, H, W] float32 in [0, 1]. */
  images: Tensor;
  runDir: string;
  /** A checkpoint to resume from. */
  resume?: string;
  knn?: KnnMonitorData;
  quiet?: boolean;
  /** Stop after this many optimiser steps in total (tests of resumption). */
  stopAfterSteps?: number;
}

export interface PretrainResult {
  encoder: ResNet;
  head: Sequential;
  epochs: { epoch: number; loss: number; knnAccuracy?: number }[];
  stoppedBy: 'completed' | 'signal' | 'step-limit';
  checkpoint: string;
}

interface CheckpointMeta {
  kind: 'pretrain';
  epoch: number;
  stepInEpoch: number;
  globalStep: number;
  config: PretrainConfig;
}

export class DivergedError extends Error {}

function epochOrder(n: number, seed: number, epoch: number): Tensor {
  return randperm(n, { generator: Generator.seeded(BigInt(seed) * 1_000_003n + BigInt(epoch)) });
}

export async function pretrain(cfg: PretrainConfig, input: PretrainInput): Promise<PretrainResult> {
  const n = input.images.shape[0]!;
  const batch = Math.min(cfg.batchSize, n);
  if (batch < 2) throw new Error(`pretraining needs at least 2 images, got ${n}`);
  const stepsPerEpoch = Math.floor(n / batch);
  const totalSteps = cfg.epochs * stepsPerEpoch;
  const init = Generator.seeded(cfg.seed);
  const encoder = buildEncoder(cfg.encoder, init);
  const head = projectionHead(encoder.featureDim, { hidden: cfg.projection.hidden ?? encoder.featureDim, out: cfg.projection.out, variant: cfg.projection.variant, generator: init });
  if (cfg.channelsLast) encoder.to({ memoryFormat: 'channelsLast' });
  const named: [string, Tensor][] = [...encoder.namedParameters('encoder.'), ...head.namedParameters('head.')];
  const o = cfg.optimizer;
  const baseLr = scaledLearningRate(o.lr, batch, o.scaling);
  const optimizer = o.name === 'lars'
    ? new Lars(named, { lr: baseLr, momentum: o.momentum, weightDecay: o.weightDecay, trustCoefficient: o.trustCoefficient, excludeFromWeightDecay: excludeByName() })
    : new Sgd(named.map(([, t]) => t), { lr: baseLr, momentum: o.momentum, weightDecay: o.weightDecay });
  const schedule = { baseLearningRate: o.lr, scaling: o.scaling, batchSize: batch, numExamples: n, epochs: cfg.epochs, warmupEpochs: o.warmupEpochs, trainSteps: totalSteps };
  const aug = augmentConfig({ size: input.images.shape[3], ...cfg.augment });
  const augGen = Generator.seeded(cfg.seed + 1);
  const checkpointPath = join(input.runDir, 'checkpoints', 'last.safetensors');
  const log = new RunLog(join(input.runDir, 'log.jsonl'));

  let epoch = 0;
  let stepInEpoch = 0;
  let globalStep = 0;
  if (input.resume) {
    const ck = await loadCheckpoint<CheckpointMeta>(input.resume);
    if (ck.meta.kind !== 'pretrain') throw new Error(`${input.resume} is not a pretraining checkpoint`);
    encoder.loadStateDict(ck.parts.encoder ?? new Map());
    head.loadStateDict(ck.parts.head ?? new Map());
    optimizer.loadState(ck.parts.optimizer ?? new Map());
    augGen.setState(ck.parts.rng!.get('augment')!);
    ({ epoch, stepInEpoch, globalStep } = ck.meta);
    disposeCheckpoint(ck);
    log.write({ type: 'resume', epoch, step: globalStep, from: input.resume });
  }

  // The position saved is that of the next step to run.
  const writeCheckpoint = async (at: { epoch: number; stepInEpoch: number }) => {
    const rng = new Map([['augment', augGen.getState()]]);
    await saveCheckpoint(checkpointPath, { encoder: encoder.stateDict(), head: head.stateDict(), optimizer: optimizer.state(), rng },
      { kind: 'pretrain', ...at, globalStep, config: cfg } satisfies CheckpointMeta);
    rng.get('augment')!.dispose();
  };

  const stop = new StopSignal().install();
  const progress = new TrainingProgress(totalSteps, globalStep, { quiet: input.quiet, label: 'pretrain' });
  const epochs: PretrainResult['epochs'] = [];
  let stoppedBy: PretrainResult['stoppedBy'] = 'completed';
  encoder.train();
  head.train();
  try {
    outer: for (; epoch < cfg.epochs; epoch++, stepInEpoch = 0) {
      const order = keep(epochOrder(n, cfg.seed, epoch));
      let lossSum = 0;
      let lossCount = 0;
      try {
        for (; stepInEpoch < stepsPerEpoch; stepInEpoch++) {
          // Yield to the event loop so SIGINT/SIGTERM handlers run between steps.
          await new Promise((resolve) => setImmediate(resolve));
          if (stop.requested) { stoppedBy = 'signal'; break outer; }
          if (input.stopAfterSteps !== undefined && globalStep >= input.stopAfterSteps) { stoppedBy = 'step-limit'; break outer; }
          const lr = learningRateAt(globalStep, schedule);
          const t0 = performance.now();
          const r = tidy(() => {
            const idx = order.narrow(0, stepInEpoch * batch, batch);
            const [v1, v2] = twoViews(input.images.indexSelect(0, idx), aug, augGen);
            let x = F.cat([v1, v2], 0);
            if (cfg.channelsLast) x = x.contiguous('channelsLast');
            const tData = performance.now();
            const z = autocast({ enabled: cfg.bf16 }, () => head.forward(encoder.forward(x)));
            const [z1, z2] = z.chunk(2, 0);
            const out = ntXent(z1!, z2!, { temperature: cfg.temperature });
            const loss = out.loss.item();
            if (!Number.isFinite(loss) || loss > cfg.maxLoss) return { loss, accuracy: out.accuracy, entropy: out.entropy, tData, ok: false };
            optimizer.zeroGrad();
            out.loss.backward();
            optimizer.step(lr);
            return { loss, accuracy: out.accuracy, entropy: out.entropy, tData, ok: true };
          });
          if (!r.ok) {
            const good = existsSync(checkpointPath) ? `the last good checkpoint is ${checkpointPath}` : 'no checkpoint was written yet';
            throw new DivergedError(`the loss ${Number.isNaN(r.loss) ? 'became NaN' : `exploded to ${r.loss}`} at epoch ${epoch + 1}, step ${globalStep}: training stopped before applying it; ${good}. Try a lower learning rate (--lr) or --no-bf16.`);
          }
          const seconds = (performance.now() - t0) / 1000;
          globalStep++;
          lossSum += r.loss;
          lossCount++;
          const imagesPerSecond = (2 * batch) / seconds;
          log.write({ type: 'step', epoch: epoch + 1, step: globalStep, loss: r.loss, lr, contrastiveAccuracy: r.accuracy, entropy: r.entropy, imagesPerSecond, dataWaitFraction: (r.tData - t0) / 1000 / seconds });
          progress.update(globalStep, { loss: r.loss, imagesPerSecond, lr });
        }
      } finally {
        order.dispose();
      }
      const summary: PretrainResult['epochs'][number] = { epoch: epoch + 1, loss: lossCount ? lossSum / lossCount : NaN };
      if (input.knn) summary.knnAccuracy = monitorKnn(encoder, input.knn, cfg);
      epochs.push(summary);
      log.write({ type: 'epoch', ...summary });
      progress.epoch(`epoch ${epoch + 1}/${cfg.epochs}: loss ${summary.loss.toFixed(4)}${summary.knnAccuracy === undefined ? '' : `, kNN accuracy ${summary.knnAccuracy.toFixed(3)}`}`);
      if (cfg.checkpointEvery > 0 && (epoch + 1) % cfg.checkpointEvery === 0 && epoch + 1 < cfg.epochs) {
        await writeCheckpoint({ epoch: epoch + 1, stepInEpoch: 0 });
      }
    }
    await writeCheckpoint({ epoch, stepInEpoch });
    if (stoppedBy === 'completed') {
      await saveEncoderFile(join(input.runDir, 'encoder.safetensors'), encoder, cfg.encoder);
      await saveSafetensors(join(input.runDir, 'head.safetensors'), head.stateDict(), { format: 'pt' });
    }
  } finally {
    progress.stop();
    stop.uninstall();
    optimizer.dispose();
  }
  return { encoder, head, epochs, stoppedBy, checkpoint: checkpointPath };
}

function monitorKnn(encoder: ResNet, d: KnnMonitorData, cfg: PretrainConfig): number {
  const train = extractFeatures(encoder, d.trainImages, { bf16: cfg.bf16, channelsLast: cfg.channelsLast });
  const val = extractFeatures(encoder, d.valImages, { bf16: cfg.bf16, channelsLast: cfg.channelsLast });
  try {
    return knnAccuracy(train, d.trainLabels, val, d.valLabels, d.classes, cfg.knn);
  } finally {
    train.dispose();
    val.dispose();
  }
}
