/** The layers a ResNet and its heads are made of, with PyTorch's parameter names and defaults. */
import { Tensor, zeros, ones, tensor, F, empty, noGrad, type Generator } from '../tensor/index.js';
import { Module } from './module.js';
import { kaimingNormalFanOut, linearDefault } from './init.js';

export interface Conv2dConfig {
  stride?: number;
  padding?: number;
  dilation?: number;
  groups?: number;
  bias?: boolean;
  generator?: Generator;
}

export class Conv2d extends Module {
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
  readonly groups: number;

  constructor(inChannels: number, outChannels: number, kernel: number, c: Conv2dConfig = {}) {
    super();
    this.stride = c.stride ?? 1;
    this.padding = c.padding ?? 0;
    this.dilation = c.dilation ?? 1;
    this.groups = c.groups ?? 1;
    const w = empty([outChannels, inChannels / this.groups, kernel, kernel]);
    kaimingNormalFanOut(w, c.generator);
    this.registerParameter('weight', w);
    if (c.bias) this.registerParameter('bias', zeros([outChannels]));
  }

  forward(x: Tensor): Tensor {
    return F.conv2d(x, this.param('weight'), this.hasParameter('bias') ? this.param('bias') : null, {
      stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups,
    });
  }
}

/**
 * BatchNorm over channels (for [N, C, H, W] and [N, C] inputs alike). Training normalises with
 * the batch statistics and updates running_mean/running_var (momentum 0.1, unbiased variance)
 * and num_batches_tracked; eval uses the running statistics and changes nothing.
 */
/** Replaces a BatchNorm's training-mode forward (synchronized BatchNorm across processes). */
export interface BatchNormSync {
  forward(bn: BatchNorm, x: Tensor): Tensor;
}

export class BatchNorm extends Module {
  /** Set by convertSyncBatchNorm (src/distributed): batch statistics over every rank in training. */
  sync: BatchNormSync | null = null;
  readonly momentum: number;
  readonly eps: number;
  readonly affine: boolean;

  constructor(features: number, o: { momentum?: number; eps?: number; affine?: boolean; center?: boolean } = {}) {
    super();
    this.momentum = o.momentum ?? 0.1;
    this.eps = o.eps ?? 1e-5;
    this.affine = o.affine ?? true;
    if (this.affine) {
      this.registerParameter('weight', ones([features]));
      if (o.center ?? true) this.registerParameter('bias', zeros([features]));
    }
    this.registerBuffer('running_mean', zeros([features]));
    this.registerBuffer('running_var', ones([features]));
    this.registerBuffer('num_batches_tracked', tensor(new BigInt64Array([0n]), []));
  }

  /** The live parameters and buffers (null where absent). */
  tensors(): { weight: Tensor | null; bias: Tensor | null; runningMean: Tensor; runningVar: Tensor; numBatchesTracked: Tensor } {
    return {
      weight: this.hasParameter('weight') ? this.param('weight') : null,
      bias: this.hasParameter('bias') ? this.param('bias') : null,
      runningMean: this.buffer('running_mean'),
      runningVar: this.buffer('running_var'),
      numBatchesTracked: this.buffer('num_batches_tracked'),
    };
  }

  forward(x: Tensor): Tensor {
    if (this.training && this.sync) return this.sync.forward(this, x);
    if (this.training) noGrad(() => this.buffer('num_batches_tracked').add_(1));
    return F.batchNorm(x, {
      weight: this.hasParameter('weight') ? this.param('weight') : null,
      bias: this.hasParameter('bias') ? this.param('bias') : null,
      runningMean: this.buffer('running_mean'),
      runningVar: this.buffer('running_var'),
      training: this.training,
      momentum: this.momentum,
      eps: this.eps,
    });
  }

  /** Zero-init of gamma, for the last BN of a residual branch (zero_init_residual). */
  zeroGamma(): void {
    if (this.hasParameter('weight')) noGrad(() => this.param('weight').zero_());
  }
}

export class Linear extends Module {
  constructor(inFeatures: number, outFeatures: number, o: { bias?: boolean; generator?: Generator } = {}) {
    super();
    const w = empty([outFeatures, inFeatures]);
    const b = o.bias ?? true ? empty([outFeatures]) : null;
    linearDefault(w, b, o.generator);
    this.registerParameter('weight', w);
    if (b) this.registerParameter('bias', b);
  }

  forward(x: Tensor): Tensor {
    return F.linear(x, this.param('weight'), this.hasParameter('bias') ? this.param('bias') : null);
  }
}

/** Children named 0, 1, 2, ... as nn.Sequential; each child has forward(x). */
export class Sequential extends Module {
  readonly #layers: { forward(x: Tensor): Tensor }[] = [];

  constructor(...layers: (Module & { forward(x: Tensor): Tensor })[]) {
    super();
    layers.forEach((l, i) => {
      this.registerModule(String(i), l);
      this.#layers.push(l);
    });
  }

  forward(x: Tensor): Tensor {
    let h = x;
    for (const l of this.#layers) {
      const next = l.forward(h);
      // Intermediate outputs are released as soon as consumed (never the caller's input).
      if (h !== x && next !== h) h.dispose();
      h = next;
    }
    return h;
  }
}
