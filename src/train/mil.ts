/**
 * Trains an attention-MIL head (src/nn/attention-mil.ts) from image labels alone, on window
 * features computed once by a frozen encoder and already standardised (the caller fits the
 * scaler on training windows). SGD with momentum and weight decay, cosine-decayed learning rate,
 * mini-batches of bags padded to the longest bag and masked; seeded init and shuffling, so the
 * same seed gives the same head.
 */
import { Tensor, tensor, tidy, noGrad, randperm, F, Generator } from '../tensor/index.js';
import { AttentionMil } from '../nn/attention-mil.js';
import { Sgd } from '../optim/sgd.js';
import { learningRateAt } from '../optim/schedule.js';
import { balancedClassWeights, type EpochLog } from './linear-eval.js';

/** One image: K window feature vectors of D values each, row-major in `features`. */
export interface MilBag {
  features: Float32Array;
  k: number;
}

export interface MilTrainConfig {
  epochs: number;
  /** Bags per optimiser step. */
  batchSize: number;
  lr: number;
  momentum: number;
  weightDecay: number;
  /** Attention hidden width L. */
  hidden: number;
  gated: boolean;
  /** Loss weights [negative, positive], or 'balanced' (n / (2 * count_c), as sklearn). */
  classWeights?: [number, number] | 'balanced';
  seed: number;
}

export const MIL_DEFAULTS: MilTrainConfig = { epochs: 40, batchSize: 16, lr: 0.05, momentum: 0.9, weightDecay: 1e-4, hidden: 128, gated: false, seed: 0 };

export interface MilPrediction {
  /** sigmoid(bag logit). */
  probability: number;
  /** One weight per window of the bag (sums to 1). */
  attention: Float32Array;
}

export interface TrainedMil {
  head: AttentionMil;
  history: EpochLog[];
  /** Per-image probability and per-window attention (eval mode, no gradient). */
  predict(bags: MilBag[]): MilPrediction[];
}

/** The feature width D shared by every bag (throws on a ragged or empty bag). */
export function featureDim(bags: readonly MilBag[]): number {
  if (bags.length === 0) throw new Error('MIL needs at least one bag');
  let d = -1;
  bags.forEach((b, i) => {
    if (!Number.isInteger(b.k) || b.k < 1) throw new Error(`bag ${i}: k = ${b.k}, needs at least one window`);
    const di = b.features.length / b.k;
    if (!Number.isInteger(di) || di < 1) throw new Error(`bag ${i}: ${b.features.length} values are not ${b.k} windows of equal width`);
    if (d === -1) d = di;
    else if (di !== d) throw new Error(`bag ${i} has ${di} features per window, bag 0 has ${d}`);
  });
  return d;
}

/** Bags stacked into [B, Kmax, D] with zero padding, and the mask [B, Kmax] of real windows. */
export function padBags(bags: readonly MilBag[], dim: number): { features: Tensor; mask: Tensor } {
  const kMax = Math.max(...bags.map((b) => b.k));
  const values = new Float32Array(bags.length * kMax * dim);
  const mask = new Uint8Array(bags.length * kMax);
  bags.forEach((b, i) => {
    values.set(b.features, i * kMax * dim);
    mask.fill(1, i * kMax, i * kMax + b.k);
  });
  return { features: tensor(values, [bags.length, kMax, dim]), mask: tensor(mask, [bags.length, kMax], { dtype: 'bool' }) };
}

function lossWeights(labels: readonly number[], c: MilTrainConfig): [number, number] | null {
  if (c.classWeights === 'balanced') return balancedClassWeights(labels, 2) as [number, number];
  return c.classWeights ?? null;
}

// Weighted binary cross-entropy from logits: sum_i w_i (softplus(z_i) - y_i z_i) / sum_i w_i,
// = -[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))] (torch BCEWithLogitsLoss; weighted mean as F.cross_entropy).
export function weightedBceWithLogits(logits: Tensor, targets: Tensor, weights: Tensor | null): Tensor {
  const perBag = F.softplus(logits).sub(targets.mul(logits));
  if (!weights) return perBag.mean();
  return perBag.mul(weights).sum().div(weights.sum());
}

export function trainAttentionMil(bags: MilBag[], labels: number[], c: Partial<MilTrainConfig> = {}): TrainedMil {
  const cfg = { ...MIL_DEFAULTS, ...c };
  const n = bags.length;
  if (labels.length !== n) throw new Error(`MIL: ${n} bags but ${labels.length} labels`);
  if (labels.some((y) => y !== 0 && y !== 1)) throw new Error('MIL: labels must be 0 or 1');
  const dim = featureDim(bags);
  const g = Generator.seeded(cfg.seed);
  const head = new AttentionMil(dim, { hidden: cfg.hidden, gated: cfg.gated, generator: g });
  const opt = new Sgd(head.parameters(), { lr: cfg.lr, momentum: cfg.momentum, weightDecay: cfg.weightDecay });
  const classWeight = lossWeights(labels, cfg);
  const stepsPerEpoch = Math.ceil(n / cfg.batchSize);
  const schedule = { baseLearningRate: cfg.lr, scaling: 'none' as const, batchSize: cfg.batchSize, numExamples: n, epochs: cfg.epochs, warmupEpochs: 0, trainSteps: cfg.epochs * stepsPerEpoch };
  const history: EpochLog[] = [];
  let step = 0;
  head.train();
  try {
    for (let epoch = 0; epoch < cfg.epochs; epoch++) {
      const order = tidy(() => randperm(n, { generator: g }).toArray());
      let sum = 0;
      let lr = cfg.lr;
      for (let i = 0; i < n; i += cfg.batchSize) {
        lr = learningRateAt(step++, schedule);
        const idx = order.slice(i, i + cfg.batchSize);
        sum += tidy(() => {
          const { features, mask } = padBags(idx.map((j) => bags[j]!), dim);
          const y = idx.map((j) => labels[j]!);
          const w = classWeight ? tensor(y.map((v) => classWeight[v]!)) : null;
          const loss = weightedBceWithLogits(head.forward(features, mask).logit, tensor(y), w);
          opt.zeroGrad();
          loss.backward();
          opt.step(lr);
          return loss.item() * idx.length;
        });
      }
      history.push({ epoch, loss: sum / n, lr });
    }
  } finally {
    opt.dispose();
    head.zeroGrad();
  }
  head.eval();
  return { head, history, predict: (b) => predictAttentionMil(head, b) };
}

/** Probabilities and attention for each bag, `batchSize` bags at a time (padding stripped). */
export function predictAttentionMil(head: AttentionMil, bags: readonly MilBag[], batchSize = 64): MilPrediction[] {
  if (bags.length === 0) return [];
  const dim = featureDim(bags);
  const out: MilPrediction[] = [];
  for (let i = 0; i < bags.length; i += batchSize) {
    const chunk = bags.slice(i, i + batchSize);
    tidy(() => noGrad(() => {
      const { features, mask } = padBags(chunk, dim);
      const r = head.forward(features, mask);
      const p = r.logit.sigmoid().toFloat32Array();
      const a = r.attention.toFloat32Array();
      const kMax = r.attention.shape[1]!;
      chunk.forEach((b, j) => out.push({ probability: p[j]!, attention: a.slice(j * kMax, j * kMax + b.k) }));
    }));
  }
  return out;
}
