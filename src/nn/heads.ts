/**
 * Heads on top of the encoder: SimCLR's projection head g(.) and the linear classifier of
 * linear evaluation. Names follow PyTorch's nn.Sequential numbering.
 */
import { Tensor, type Generator } from '../tensor/index.js';
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

/** The linear softmax classifier of linear evaluation: logits = h W^T + b. */
export class LinearClassifier extends Module {
  readonly fc: Linear;

  constructor(inFeatures: number, classes: number, o: { generator?: Generator } = {}) {
    super();
    this.fc = this.registerModule('fc', new Linear(inFeatures, classes, o));
  }

  forward(h: Tensor): Tensor {
    return this.fc.forward(h);
  }
}
