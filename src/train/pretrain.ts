/**
 * SimCLR pretraining (Chen et al. 2020; the paper's setting by default): two augmented views
 * per image, encoder + projection head, NT-Xent over the batch's 2N views, LARS with linear
 * warm-up then cosine decay per step. Checkpoints are atomic and carry everything needed for a
 * resumed run to end with the same weights as an uninterrupted one: model, optimiser state,
 * the augmentation generator's state and the position (epoch, step); the data order of an epoch
 * is a function of (seed, epoch). Images come from an ImageSource (a tensor in memory or the
 * prepared file streamed from disk) through a prefetcher, so the next step's read runs while
 * this step computes; the order, and so every number, is the same either way.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { Tensor, tidy, F, Generator, cpuHasFastBf16, type Device } from '../tensor/index.js';
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
import type { ProcessGroup } from '../distributed/process-group.js';
import { DistributedSampler } from '../distributed/sampler.js';
import { ntXentGlobal } from '../distributed/autograd-ops.js';
import { TrainingSession } from './session.js';
import { TensorImageSource, type ImageSource } from '../data/cache/image-source.js';
import { Prefetcher } from '../data/cache/prefetch.js';

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
  /** With several processes: BatchNorm statistics over the global batch (SimCLR's global_bn). */
  syncBatchNorm: boolean;
  /** 'cpu' or a CUDA device (resolveDevice); views are augmented on the CPU and moved per step. */
  device?: Device;
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
    syncBatchNorm: true,
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
  /**
   * float32 [N, C, H, W] in [0, 1], or a source of such batches (a prepared file streamed from
   * disk). The caller keeps ownership either way.
   */
  images: Tensor | ImageSource;
  runDir: string;
  /** A checkpoint to resume from. */
  resume?: string;
  knn?: KnnMonitorData;
  quiet?: boolean;
  /** Stop after this many optimiser steps in total (tests of resumption). */
  stopAfterSteps?: number;
  /**
   * Data-parallel training over this process group: cfg.batchSize is the global batch, split
   * evenly over the ranks; NT-Xent runs over the global batch; rank 0 alone writes the log,
   * checkpoints and final weights and shows progress. Checkpoints do not depend on the number
   * of ranks, so a run can resume with a different one.
   */
  group?: ProcessGroup;
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
  /** Ranks that wrote the checkpoint (absent: 1). */
  worldSize?: number;
}

export class DivergedError extends Error {}

/** Step s of epoch e reads `indices`: this rank's slice of the epoch's order. */
interface StepPlan {
  epoch: number;
  step: number;
  indices: number[];
}

// Lazy, so an epoch's order is drawn only when its first batch is prefetched.
function* stepPlans(sampler: DistributedSampler, from: { epoch: number; stepInEpoch: number }, epochs: number, stepsPerEpoch: number, localBatch: number): IterableIterator<StepPlan> {
  for (let epoch = from.epoch; epoch < epochs; epoch++) {
    const order = sampler.indices(epoch);
    for (let step = epoch === from.epoch ? from.stepInEpoch : 0; step < stepsPerEpoch; step++) {
      yield { epoch, step, indices: order.slice(step * localBatch, (step + 1) * localBatch) };
    }
  }
}

export async function pretrain(cfg: PretrainConfig, input: PretrainInput): Promise<PretrainResult> {
  const source: ImageSource = input.images instanceof Tensor ? new TensorImageSource(input.images) : input.images;
  const n = source.count;
  const batch = Math.min(cfg.batchSize, n);
  if (batch < 2) throw new Error(`pretraining needs at least 2 images, got ${n}`);
  const session = new TrainingSession({ group: input.group, device: cfg.device, bf16: cfg.bf16, channelsLast: cfg.channelsLast, seed: cfg.seed, syncBatchNorm: cfg.syncBatchNorm });
  const pg = session.group;
  const rank = session.rank;
  const world = session.worldSize;
  const isMain = session.isMain;
  if (batch % world !== 0) throw new Error(`the batch size ${batch} is not a multiple of the ${world} processes: each process takes batch/processes images`);
  const localBatch = batch / world;
  const stepsPerEpoch = Math.floor(n / batch);
  const totalSteps = cfg.epochs * stepsPerEpoch;
  const init = Generator.seeded(cfg.seed);
  const encoder = buildEncoder(cfg.encoder, init);
  const head = projectionHead(encoder.featureDim, { hidden: cfg.projection.hidden ?? encoder.featureDim, out: cfg.projection.out, variant: cfg.projection.variant, generator: init });
  session.place(encoder, head);
  if (cfg.channelsLast) encoder.to({ memoryFormat: 'channelsLast' });
  session.syncBatchNorm(encoder, head);
  const named: [string, Tensor][] = [...encoder.namedParameters('encoder.'), ...head.namedParameters('head.')];
  const o = cfg.optimizer;
  const baseLr = scaledLearningRate(o.lr, batch, o.scaling);
  const optimizer = o.name === 'lars'
    ? new Lars(named, { lr: baseLr, momentum: o.momentum, weightDecay: o.weightDecay, trustCoefficient: o.trustCoefficient, excludeFromWeightDecay: excludeByName() })
    : new Sgd(named.map(([, t]) => t), { lr: baseLr, momentum: o.momentum, weightDecay: o.weightDecay });
  const schedule = { baseLearningRate: o.lr, scaling: o.scaling, batchSize: batch, numExamples: n, epochs: cfg.epochs, warmupEpochs: o.warmupEpochs, trainSteps: totalSteps };
  const aug = augmentConfig({ size: source.shape[2], ...cfg.augment });
  let augGen = Generator.seeded(session.augmentSeed());
  const checkpointPath = join(input.runDir, 'checkpoints', 'last.safetensors');
  const log: Pick<RunLog, 'write'> = isMain ? new RunLog(join(input.runDir, 'log.jsonl')) : { write: () => {} };
  const sampler = new DistributedSampler(n, { rank, worldSize: world, seed: cfg.seed, shuffle: true });

  let epoch = 0;
  let stepInEpoch = 0;
  let globalStep = 0;
  if (input.resume) {
    const ck = await loadCheckpoint<CheckpointMeta>(input.resume);
    if (ck.meta.kind !== 'pretrain') throw new Error(`${input.resume} is not a pretraining checkpoint`);
    encoder.loadStateDict(ck.parts.encoder ?? new Map());
    head.loadStateDict(ck.parts.head ?? new Map());
    optimizer.loadState(ck.parts.optimizer ?? new Map());
    ({ epoch, stepInEpoch, globalStep } = ck.meta);
    // The same number of ranks continues every rank's augmentation stream exactly; another
    // number reseeds the streams from (seed, rank, step).
    const saved = ck.meta.worldSize ?? 1;
    const state = saved === world ? ck.parts.rng?.get(world === 1 ? 'augment' : `augment.rank${rank}`) : undefined;
    if (state) augGen.setState(state);
    else augGen = Generator.seeded(session.augmentSeed(globalStep));
    disposeCheckpoint(ck);
    log.write({ type: 'resume', epoch, step: globalStep, from: input.resume, worldSize: world, savedWorldSize: saved });
  }
  await session.start([encoder, head], named.map(([, t]) => t));

  // The position saved is that of the next step to run.
  // Every rank takes part (its augmentation state goes to rank 0); rank 0 alone writes.
  const writeCheckpoint = async (at: { epoch: number; stepInEpoch: number }) => {
    const mine = augGen.getState();
    const rng = new Map<string, Tensor>();
    if (pg) {
      const all = await pg.allGather(mine);
      all.forEach((t, r) => rng.set(`augment.rank${r}`, t));
      rng.set('augment', all[0]!.clone());
      mine.dispose();
    } else rng.set('augment', mine);
    if (isMain) {
      await saveCheckpoint(checkpointPath, { encoder: encoder.stateDict(), head: head.stateDict(), optimizer: optimizer.state(), rng },
        { kind: 'pretrain', ...at, globalStep, config: cfg, worldSize: world } satisfies CheckpointMeta);
    }
    for (const t of rng.values()) t.dispose();
  };

  // This rank's share of each epoch's permutation: the global batch s is the same set of
  // images as with one process (DistributedSampler deals the permutation out round-robin).
  const batches = new Prefetcher<StepPlan>(source, stepPlans(sampler, { epoch, stepInEpoch }, cfg.epochs, stepsPerEpoch, localBatch));
  const stop = new StopSignal().install();
  const progress = new TrainingProgress(totalSteps, globalStep, { quiet: input.quiet || !isMain, label: 'pretrain' });
  const epochs: PretrainResult['epochs'] = [];
  let stoppedBy: PretrainResult['stoppedBy'] = 'completed';
  encoder.train();
  head.train();
  try {
    outer: for (; epoch < cfg.epochs; epoch++, stepInEpoch = 0) {
      let lossSum = 0;
      let lossCount = 0;
      for (; stepInEpoch < stepsPerEpoch; stepInEpoch++) {
        // Yield to the event loop so SIGINT/SIGTERM handlers run between steps.
        await new Promise((resolve) => setImmediate(resolve));
        if (await session.agreeToStop(Boolean(stop.requested))) { stoppedBy = 'signal'; break outer; }
        if (input.stopAfterSteps !== undefined && globalStep >= input.stopAfterSteps) { stoppedBy = 'step-limit'; break outer; }
        const lr = learningRateAt(globalStep, schedule);
        // Waiting for data: the prefetched read's unfinished part, then augmentation.
        const t0 = performance.now();
        const fetched = await batches.next();
        if (!fetched || fetched.plan.epoch !== epoch || fetched.plan.step !== stepInEpoch) {
          fetched?.images.dispose();
          throw new Error(`pretrain: the prefetched batch is ${fetched ? `epoch ${fetched.plan.epoch} step ${fetched.plan.step}` : 'missing'}, expected epoch ${epoch} step ${stepInEpoch}`);
        }
        const images = fetched.images;
        let r;
        try {
          r = tidy(() => {
            const [v1, v2] = twoViews(images, aug, augGen);
            const x = session.input(F.cat([v1, v2], 0));
            const tData = performance.now();
            const z = session.autocast(() => head.forward(encoder.forward(x)));
            const [z1, z2] = z.chunk(2, 0);
            // With several ranks: the same loss over the global batch on every rank.
            const out = pg ? ntXentGlobal(pg, z1!, z2!, { temperature: cfg.temperature }) : ntXent(z1!, z2!, { temperature: cfg.temperature });
            const loss = out.loss.item();
            if (!Number.isFinite(loss) || loss > cfg.maxLoss) return { loss, accuracy: out.accuracy, entropy: out.entropy, tData, ok: false };
            optimizer.zeroGrad();
            out.loss.backward();
            return { loss, accuracy: out.accuracy, entropy: out.entropy, tData, ok: true };
          });
        } finally {
          images.dispose();
        }
        if (r.ok) {
          await session.reduceGradients();
          optimizer.step(lr);
        }
        if (!r.ok) {
          const good = existsSync(checkpointPath) ? `the last good checkpoint is ${checkpointPath}` : 'no checkpoint was written yet';
          throw new DivergedError(`the loss ${Number.isNaN(r.loss) ? 'became NaN' : `exploded to ${r.loss}`} at epoch ${epoch + 1}, step ${globalStep}: training stopped before applying it; ${good}. Try a lower learning rate (--lr) or --no-bf16.`);
        }
        const seconds = (performance.now() - t0) / 1000;
        globalStep++;
        lossSum += r.loss;
        lossCount++;
        const imagesPerSecond = (2 * batch) / seconds;
        log.write({ type: 'step', epoch: epoch + 1, step: globalStep, loss: r.loss, lr, contrastiveAccuracy: r.accuracy, entropy: r.entropy, imagesPerSecond,
          dataWaitFraction: (r.tData - t0) / 1000 / seconds, dataReadMs: fetched.waitMs,
          ...(pg ? { worldSize: world, gradientAllReduceMs: session.lastReduceMs } : {}) });
        progress.update(globalStep, { loss: r.loss, imagesPerSecond, lr });
      }
      const summary: PretrainResult['epochs'][number] = { epoch: epoch + 1, loss: lossCount ? lossSum / lossCount : NaN };
      if (input.knn && isMain) summary.knnAccuracy = monitorKnn(encoder, input.knn, cfg);
      epochs.push(summary);
      log.write({ type: 'epoch', ...summary });
      progress.epoch(`epoch ${epoch + 1}/${cfg.epochs}: loss ${summary.loss.toFixed(4)}${summary.knnAccuracy === undefined ? '' : `, kNN accuracy ${summary.knnAccuracy.toFixed(3)}`}`);
      if (cfg.checkpointEvery > 0 && (epoch + 1) % cfg.checkpointEvery === 0 && epoch + 1 < cfg.epochs) {
        await writeCheckpoint({ epoch: epoch + 1, stepInEpoch: 0 });
      }
    }
    await writeCheckpoint({ epoch, stepInEpoch });
    if (stoppedBy === 'completed' && isMain) {
      await saveEncoderFile(join(input.runDir, 'encoder.safetensors'), encoder, cfg.encoder);
      await saveSafetensors(join(input.runDir, 'head.safetensors'), head.stateDict(), { format: 'pt' });
    }
  } finally {
    await batches.close();
    progress.stop();
    stop.uninstall();
    optimizer.dispose();
    session.close();
  }
  return { encoder, head, epochs, stoppedBy, checkpoint: checkpointPath };
}

function monitorKnn(encoder: ResNet, d: KnnMonitorData, cfg: PretrainConfig): number {
  const train = extractFeatures(encoder, d.trainImages, { bf16: cfg.bf16, channelsLast: cfg.channelsLast, device: cfg.device });
  const val = extractFeatures(encoder, d.valImages, { bf16: cfg.bf16, channelsLast: cfg.channelsLast, device: cfg.device });
  try {
    return knnAccuracy(train, d.trainLabels, val, d.valLabels, d.classes, cfg.knn);
  } finally {
    train.dispose();
    val.dispose();
  }
}
