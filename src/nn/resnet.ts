/**
 * ResNet-18/34/50 as torchvision builds them (torchvision/models/resnet.py, v1.5: stride on the
 * 3x3 conv), with either the ImageNet stem (7x7 stride 2 + max-pool) or the paper's CIFAR stem
 * (3x3 stride 1, no max-pool), 1 or 3 input channels, and no fc: the encoder ends at the pooled
 * features (512 or 2048). Parameter names match torchvision's state dict.
 */
import { Tensor, F, type Generator } from '../tensor/index.js';
import { Module } from './module.js';
import { Conv2d, BatchNorm, Sequential } from './layers.js';

export type Stem = 'imagenet' | 'cifar';
export type ResNetDepth = 18 | 34 | 50;

/** The ImageNet stem's max-pool after conv1 (torchvision's nn.MaxPool2d(3, 2, 1)); exporters read it here. */
export const IMAGENET_MAX_POOL = { kernel: 3, stride: 2, padding: 1 } as const;

export interface ResNetConfig {
  depth: ResNetDepth;
  stem: Stem;
  inChannels: 1 | 3;
  /** Channel width of layer1 (64 in torchvision); smaller for tests. */
  width?: number;
  /** Zero-init the last BN gamma of every residual branch (SimCLR's init_zero). */
  zeroInitResidual?: boolean;
  generator?: Generator;
}

// Intermediate handles are released as soon as the next layer has consumed them, as Python's
// reference counting does: autograd keeps what backward needs, and activations it does not need
// are freed before backward allocates the gradients (otherwise each step page-faults fresh memory).
function convBn(conv: Conv2d, bn: BatchNorm, x: Tensor): Tensor {
  const c = conv.forward(x);
  const out = bn.forward(c);
  c.dispose();
  return out;
}

function convBnRelu(conv: Conv2d, bn: BatchNorm, x: Tensor): Tensor {
  return convBn(conv, bn, x).relu_();
}

/** out += downsample(x) or x; then ReLU, in place as torchvision. */
function addIdentityRelu(out: Tensor, x: Tensor, downsample: Sequential | null): Tensor {
  if (!downsample) return out.add_(x).relu_();
  const identity = downsample.forward(x);
  out.add_(identity);
  identity.dispose();
  return out.relu_();
}

interface Block extends Module {
  forward(x: Tensor): Tensor;
  lastBn(): BatchNorm;
}

class BasicBlock extends Module implements Block {
  static readonly expansion = 1;
  readonly conv1: Conv2d; readonly bn1: BatchNorm;
  readonly conv2: Conv2d; readonly bn2: BatchNorm;
  readonly downsample: Sequential | null;

  constructor(inPlanes: number, planes: number, stride: number, downsample: Sequential | null, g?: Generator) {
    super();
    this.conv1 = this.registerModule('conv1', new Conv2d(inPlanes, planes, 3, { stride, padding: 1, generator: g }));
    this.bn1 = this.registerModule('bn1', new BatchNorm(planes));
    this.conv2 = this.registerModule('conv2', new Conv2d(planes, planes, 3, { padding: 1, generator: g }));
    this.bn2 = this.registerModule('bn2', new BatchNorm(planes));
    this.downsample = downsample ? this.registerModule('downsample', downsample) : null;
  }

  forward(x: Tensor): Tensor {
    const h = convBnRelu(this.conv1, this.bn1, x);
    const out = convBn(this.conv2, this.bn2, h);
    h.dispose();
    return addIdentityRelu(out, x, this.downsample);
  }

  lastBn(): BatchNorm {
    return this.bn2;
  }
}

class Bottleneck extends Module implements Block {
  static readonly expansion = 4;
  readonly conv1: Conv2d; readonly bn1: BatchNorm;
  readonly conv2: Conv2d; readonly bn2: BatchNorm;
  readonly conv3: Conv2d; readonly bn3: BatchNorm;
  readonly downsample: Sequential | null;

  constructor(inPlanes: number, planes: number, stride: number, downsample: Sequential | null, g?: Generator) {
    super();
    this.conv1 = this.registerModule('conv1', new Conv2d(inPlanes, planes, 1, { generator: g }));
    this.bn1 = this.registerModule('bn1', new BatchNorm(planes));
    this.conv2 = this.registerModule('conv2', new Conv2d(planes, planes, 3, { stride, padding: 1, generator: g }));
    this.bn2 = this.registerModule('bn2', new BatchNorm(planes));
    this.conv3 = this.registerModule('conv3', new Conv2d(planes, planes * 4, 1, { generator: g }));
    this.bn3 = this.registerModule('bn3', new BatchNorm(planes * 4));
    this.downsample = downsample ? this.registerModule('downsample', downsample) : null;
  }

  forward(x: Tensor): Tensor {
    const h1 = convBnRelu(this.conv1, this.bn1, x);
    const h2 = convBnRelu(this.conv2, this.bn2, h1);
    h1.dispose();
    const out = convBn(this.conv3, this.bn3, h2);
    h2.dispose();
    return addIdentityRelu(out, x, this.downsample);
  }

  lastBn(): BatchNorm {
    return this.bn3;
  }
}

const LAYOUT: Record<ResNetDepth, { block: 'basic' | 'bottleneck'; blocks: [number, number, number, number] }> = {
  18: { block: 'basic', blocks: [2, 2, 2, 2] },
  34: { block: 'basic', blocks: [3, 4, 6, 3] },
  50: { block: 'bottleneck', blocks: [3, 4, 6, 3] },
};

/** The activations Grad-CAM and feature extraction read. */
export interface ResNetActivations {
  layer3: Tensor;
  layer4: Tensor;
  /** Global-average-pooled layer4, [N, featureDim]. */
  features: Tensor;
}

export class ResNet extends Module {
  readonly config: Required<Omit<ResNetConfig, 'generator'>>;
  readonly featureDim: number;
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm;
  readonly layer1: Sequential;
  readonly layer2: Sequential;
  readonly layer3: Sequential;
  readonly layer4: Sequential;

  constructor(c: ResNetConfig) {
    super();
    const width = c.width ?? 64;
    this.config = { depth: c.depth, stem: c.stem, inChannels: c.inChannels, width, zeroInitResidual: c.zeroInitResidual ?? false };
    const { block, blocks } = LAYOUT[c.depth];
    const expansion = block === 'basic' ? BasicBlock.expansion : Bottleneck.expansion;
    const g = c.generator;
    this.conv1 = this.registerModule('conv1', c.stem === 'imagenet'
      ? new Conv2d(c.inChannels, width, 7, { stride: 2, padding: 3, generator: g })
      : new Conv2d(c.inChannels, width, 3, { stride: 1, padding: 1, generator: g }));
    this.bn1 = this.registerModule('bn1', new BatchNorm(width));
    let inPlanes = width;
    const makeLayer = (planes: number, count: number, stride: number): Sequential => {
      let downsample: Sequential | null = null;
      if (stride !== 1 || inPlanes !== planes * expansion) {
        downsample = new Sequential(new Conv2d(inPlanes, planes * expansion, 1, { stride, generator: g }), new BatchNorm(planes * expansion));
      }
      const Block = block === 'basic' ? BasicBlock : Bottleneck;
      const layers: Block[] = [new Block(inPlanes, planes, stride, downsample, g)];
      inPlanes = planes * expansion;
      for (let i = 1; i < count; i++) layers.push(new Block(inPlanes, planes, 1, null, g));
      if (c.zeroInitResidual) for (const l of layers) l.lastBn().zeroGamma();
      return new Sequential(...layers);
    };
    this.layer1 = this.registerModule('layer1', makeLayer(width, blocks[0], 1));
    this.layer2 = this.registerModule('layer2', makeLayer(width * 2, blocks[1], 2));
    this.layer3 = this.registerModule('layer3', makeLayer(width * 4, blocks[2], 2));
    this.layer4 = this.registerModule('layer4', makeLayer(width * 8, blocks[3], 2));
    this.featureDim = width * 8 * expansion;
  }

  /** Pooled features [N, featureDim] (the representation h that linear evaluation reads). */
  forward(x: Tensor): Tensor {
    const { layer3, layer4, features } = this.activations(x);
    layer3.dispose();
    layer4.dispose();
    return features;
  }

  activations(x: Tensor): ResNetActivations {
    let h = convBnRelu(this.conv1, this.bn1, x);
    if (this.config.stem === 'imagenet') h = replace(h, F.maxPool2d(h, IMAGENET_MAX_POOL.kernel, { stride: IMAGENET_MAX_POOL.stride, padding: IMAGENET_MAX_POOL.padding }));
    h = replace(h, this.layer1.forward(h));
    h = replace(h, this.layer2.forward(h));
    const layer3 = this.layer3.forward(h);
    h.dispose();
    const layer4 = this.layer4.forward(layer3);
    const pooled = F.adaptiveAvgPool2d(layer4, 1);
    const features = pooled.flatten(1);
    pooled.dispose();
    return { layer3, layer4, features };
  }
}

/** Releases the old handle once its successor exists (a no-op for in-place results). */
function replace(old: Tensor, next: Tensor): Tensor {
  if (next !== old) old.dispose();
  return next;
}

export function resnet(depth: ResNetDepth, o: Omit<ResNetConfig, 'depth'> = { stem: 'cifar', inChannels: 3 }): ResNet {
  return new ResNet({ depth, ...o });
}
