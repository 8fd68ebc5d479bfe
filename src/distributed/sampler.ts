/**
 * Which examples each rank trains on, as PyTorch's DistributedSampler: one permutation of the
 * dataset per epoch, seeded by (seed, epoch) and identical on every rank; rank r takes every
 * W-th index starting at r. With dropLast=false the permutation is padded by repeating its first
 * indices until its length is a multiple of W (so a few examples appear twice in that epoch);
 * with dropLast=true the tail is dropped instead (a few examples are skipped that epoch).
 * Either way the shards of one epoch are the same size, disjoint (before padding) and together
 * cover the dataset (or all but fewer than W examples when dropping).
 */
import { randperm, Generator } from '../tensor/index.js';

export interface DistributedSamplerOptions {
  rank: number;
  worldSize: number;
  shuffle?: boolean;
  seed?: number;
  dropLast?: boolean;
}

export class DistributedSampler {
  readonly rank: number;
  readonly worldSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;
  epoch = 0;

  constructor(readonly size: number, o: DistributedSamplerOptions) {
    if (!Number.isInteger(size) || size < 0) throw new Error(`DistributedSampler: dataset size must be a non-negative integer, got ${size}`);
    if (!Number.isInteger(o.worldSize) || o.worldSize < 1) throw new Error(`DistributedSampler: worldSize must be a positive integer, got ${o.worldSize}`);
    if (!Number.isInteger(o.rank) || o.rank < 0 || o.rank >= o.worldSize) throw new Error(`DistributedSampler: rank ${o.rank} is not in [0, ${o.worldSize})`);
    this.rank = o.rank;
    this.worldSize = o.worldSize;
    this.shuffle = o.shuffle ?? true;
    this.seed = o.seed ?? 0;
    this.dropLast = o.dropLast ?? false;
  }

  /** Examples per rank and epoch. */
  get numSamples(): number {
    return this.dropLast ? Math.floor(this.size / this.worldSize) : Math.ceil(this.size / this.worldSize);
  }

  setEpoch(epoch: number): void {
    this.epoch = epoch;
  }

  /** The permutation of the whole dataset for an epoch (the same on every rank). */
  epochOrder(epoch = this.epoch): number[] {
    if (!this.shuffle) return Array.from({ length: this.size }, (_, i) => i);
    const p = randperm(this.size, { generator: Generator.seeded(BigInt(this.seed) * 1_000_003n + BigInt(epoch)) });
    try {
      return Array.from(p.data() as BigInt64Array, Number);
    } finally {
      p.dispose();
    }
  }

  /** This rank's indices for the epoch. */
  indices(epoch = this.epoch): number[] {
    let order = this.epochOrder(epoch);
    const total = this.numSamples * this.worldSize;
    if (this.dropLast) order = order.slice(0, total);
    else {
      let i = 0;
      while (order.length < total && this.size > 0) order.push(order[i++ % this.size]!);
    }
    return this.deal(order);
  }

  /**
   * This rank's round-robin share of a given order, as is (no padding, no dropping: the first
   * length % W ranks get one more). For callers whose order must come from elsewhere, such as
   * label training, whose single-process order predates this sampler.
   */
  deal(order: readonly number[]): number[] {
    const out: number[] = [];
    for (let i = this.rank; i < order.length; i += this.worldSize) out.push(order[i]!);
    return out;
  }
}
