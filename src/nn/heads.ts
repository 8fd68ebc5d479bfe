/**
 * Heads on top of the encoder: SimCLR's projection head g(.) and the linear classifier of
 * linear evaluation. Names follow PyTorch's nn.Sequential numbering.
 */
import { Tensor, zeros, ones, noGrad, type Generator } from '../tensor/index.js';
import { Module } from './module.js';
import { Linear, BatchNorm, Sequential } from './layers.js';

export type ProjectionVariant = 'v1' | 'v2';

class Relu extends Module {
  forward(x: Tensor): Tensor {
    return x.relu();
  }
}

export interface ProjectionHeadConfig {
  hidden?: number;
  out?: number;
  variant?: ProjectionVariant;
  generator?: Generator;
}

/**
 * SimCLR's projection head g(.) as an nn.Sequential, so its state dict names match PyTorch's
 * (`0.weight`, `0.bias`, `2.weight`, ...).
 * v1 (the paper's): Linear(d, d) -> ReLU -> Linear(d, out).
 * v2 (SimCLR v2): [Linear(no bias) -> BN -> ReLU] x 2 -> Linear(d, out, no bias) -> BN(no beta).
 */
export function projectionHead(inFeatures: number, o: ProjectionHeadConfig = {}): Sequential {
  const hidden = o.hidden ?? inFeatures;
  const out = o.out ?? 128;
  const g = o.generator;
  if (o.variant === 'v2') {
    return new Sequential(
      new Linear(inFeatures, hidden, { bias: false, generator: g }), new BatchNorm(hidden), new Relu(),
      new Linear(hidden, hidden, { bias: false, generator: g }), new BatchNorm(hidden), new Relu(),
      new Linear(hidden, out, { bias: false, generator: g }), new BatchNorm(out, { center: false }));
  }
  return new Sequential(new Linear(inFeatures, hidden, { generator: g }), new Relu(), new Linear(hidden, out, { generator: g }));
}

/**
 * The linear softmax classifier of linear evaluation: logits = ((h - mean) / std) W^T + b.
 * mean/std (buffers, 0 and 1 until set) standardise the frozen features, as a StandardScaler
 * before logistic regression: features of a contrastive encoder differ in scale by orders of
 * magnitude, which SGD on raw features handles badly.
 */
export class LinearClassifier extends Module {
  readonly fc: Linear;

  constructor(inFeatures: number, classes: number, o: { generator?: Generator } = {}) {
    super();
    this.fc = this.registerModule('fc', new Linear(inFeatures, classes, o));
    this.registerBuffer('feature_mean', zeros([inFeatures]));
    this.registerBuffer('feature_std', ones([inFeatures]));
  }

  /** Sets the standardisation from training features [N, D] (population std, floored at 1e-6). */
  fitScaler(features: Tensor): void {
    noGrad(() => {
      const mean = features.mean(0);
      const std = features.std(0, false, false).clampMin(1e-6);
      this.buffer('feature_mean').copy_(mean);
      this.buffer('feature_std').copy_(std);
      mean.dispose();
      std.dispose();
    });
  }

  forward(h: Tensor): Tensor {
    const centred = h.sub(this.buffer('feature_mean'));
    const scaled = centred.div(this.buffer('feature_std'));
    centred.dispose();
    const out = this.fc.forward(scaled);
    scaled.dispose();
    return out;
  }
}
