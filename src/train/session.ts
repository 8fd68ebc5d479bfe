/**
 * What every training loop of the project does the same way, alone or as one rank of a process
 * group: where the models and batches live, bf16 autocast, BatchNorm over the global batch,
 * identical starting weights on every rank, averaged gradients, each rank's augmentation stream
 * and the ranks' agreement on when to stop. Pretraining and supervised training both run through
 * it, so a rule changed here changes for both.
 */
import { tensor, type Device, type Tensor } from '../tensor/index.js';
import type { Module } from '../nn/module.js';
import type { ProcessGroup } from '../distributed/process-group.js';
import { GradientReducer, broadcastState } from '../distributed/data-parallel.js';
import { convertSyncBatchNorm, revertSyncBatchNorm } from '../distributed/sync-batchnorm.js';
import { modelInput, withAutocast } from './device.js';

export interface TrainingSessionOptions {
  /** 'cpu' (the default) or a CUDA device: models are moved there, batches per step. */
  device?: Device;
  bf16: boolean;
  /** Batches in channels-last memory format. */
  channelsLast: boolean;
  seed: number;
  /** A group of one is the same as none. */
  group?: ProcessGroup;
  /** With several ranks: BatchNorm statistics over the global batch (default true). */
  syncBatchNorm?: boolean;
}

/** Rank r's augmentation seed with W ranks: the single-process seed for W = 1 from step 0. */
export function augmentSeed(seed: number, rank: number, worldSize: number, resumedAtStep = 0): bigint {
  if (worldSize === 1 && resumedAtStep === 0) return BigInt(seed + 1);
  // A resumed run with another number of ranks cannot continue the saved streams; the step
  // keeps its new streams apart from those the first part of the run drew.
  return BigInt(seed + 1) + 7919n * BigInt(rank + 1) + 104_729n * BigInt(resumedAtStep);
}

export class TrainingSession {
  /** The group when there are several ranks, else undefined. */
  readonly group: ProcessGroup | undefined;
  readonly rank: number;
  readonly worldSize: number;
  readonly device: Device | undefined;
  readonly bf16: boolean;
  readonly channelsLast: boolean;
  readonly seed: number;
  readonly #syncBatchNorm: boolean;
  readonly #synced: Module[] = [];
  #reducer: GradientReducer | null = null;

  constructor(o: TrainingSessionOptions) {
    this.group = o.group && o.group.worldSize > 1 ? o.group : undefined;
    this.rank = this.group?.rank ?? 0;
    this.worldSize = this.group?.worldSize ?? 1;
    this.device = o.device;
    this.bf16 = o.bf16;
    this.channelsLast = o.channelsLast;
    this.seed = o.seed;
    this.#syncBatchNorm = o.syncBatchNorm ?? true;
  }

  /** Rank 0 writes logs, checkpoints and results and shows progress. */
  get isMain(): boolean {
    return this.rank === 0;
  }

  /** Moves the models' weights to the session's device (in place). */
  place(...modules: Module[]): void {
    if (!this.device || this.device === 'cpu') return;
    for (const m of modules) m.to({ device: this.device });
  }

  /** With several ranks, the models' BatchNorm layers normalise over the global batch until close(). */
  syncBatchNorm(...modules: Module[]): void {
    if (!this.group || !this.#syncBatchNorm) return;
    for (const m of modules) {
      convertSyncBatchNorm(m, this.group);
      this.#synced.push(m);
    }
  }

  /**
   * Before the first step, after any checkpoint was loaded: every rank takes rank 0's weights
   * (each built and loaded its own), and the gradients of `params` are averaged over the ranks
   * from now on (reduceGradients).
   */
  async start(modules: Module[], params: Tensor[]): Promise<void> {
    if (!this.group) return;
    await broadcastState(this.group, modules);
    this.#reducer = new GradientReducer(this.group, params);
  }

  /** A batch (on the CPU) as the models take it. Call inside tidy. */
  input(x: Tensor): Tensor {
    return modelInput(x, this.device, this.channelsLast);
  }

  /** A forward pass under the session's autocast. */
  autocast<T>(fn: () => T): T {
    return withAutocast(this.device, this.bf16, fn);
  }

  /** This rank's augmentation seed; a run resumed with another number of ranks passes its step. */
  augmentSeed(resumedAtStep = 0): bigint {
    return augmentSeed(this.seed, this.rank, this.worldSize, resumedAtStep);
  }

  /** After backward, before the optimiser step: the gradients averaged over the ranks. */
  async reduceGradients(): Promise<void> {
    if (this.#reducer) await this.#reducer.reduce();
  }

  /** Milliseconds the last reduceGradients waited for communication (undefined alone). */
  get lastReduceMs(): number | undefined {
    return this.#reducer?.lastMs;
  }

  /** Every rank stops at the same step when any of them was asked to. */
  async agreeToStop(local: boolean): Promise<boolean> {
    if (!this.group) return local;
    const flag = tensor([local ? 1 : 0]);
    try {
      await this.group.allReduce(flag, 'max');
      return flag.item() > 0;
    } finally {
      flag.dispose();
    }
  }

  /** The sum of `value` over the ranks, in float64 (`value` alone). */
  async sumOverRanks(value: number): Promise<number> {
    if (!this.group) return value;
    const t = tensor([value], { dtype: 'float64' });
    try {
      await this.group.allReduce(t, 'sum');
      return t.item();
    } finally {
      t.dispose();
    }
  }

  /** The models keep their weights; their BatchNorm layers use the local batch again. */
  close(): void {
    this.#reducer?.dispose();
    this.#reducer = null;
    for (const m of this.#synced) revertSyncBatchNorm(m);
    this.#synced.length = 0;
  }
}
