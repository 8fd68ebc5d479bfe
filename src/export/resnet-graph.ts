/**
 * A mammoclr ResNet as ONNX nodes, in eval mode: every convolution with its BatchNorm folded in,
 * ReLU, the residual Add, and the ImageNet stem's MaxPool. The structure is read from the
 * module tree (torchvision's names), the convolutions' strides and paddings from the Conv2d
 * modules themselves, so the graph is the network that was loaded, not a re-derivation of it.
 * Initializers keep the torchvision names of their convolutions (`layer2.0.conv1.weight`).
 */
import type { Module } from '../nn/module.js';
import { BatchNorm, Conv2d } from '../nn/layers.js';
import { IMAGENET_MAX_POOL, type ResNet } from '../nn/resnet.js';
import type { Tensor } from '../tensor/index.js';
import type { GraphBuilder } from './graph-builder.js';
import { foldBatchNorm } from './fold.js';

/** A value of the graph with its channel count and (square) spatial side. */
export interface GraphValue {
  name: string;
  channels: number;
  size: number;
}

function child(m: Module, name: string, path: string): Module {
  const c = m.children().find(([n]) => n === name)?.[1];
  if (!c) throw new Error(`ResNet export: ${path} has no ${name}`);
  return c;
}

/** The tensor's elements in logical (row-major) order: the engine hands out a contiguous CPU copy. */
function floats(t: Tensor | null): Float32Array | null {
  return t ? t.toFloat32Array() : null;
}

// floor((size + 2 padding - dilation (kernel - 1) - 1) / stride) + 1, as PyTorch and ONNX define it.
function outputSide(size: number, kernel: number, stride: number, padding: number, dilation = 1): number {
  return Math.floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** conv + BatchNorm folded into one Conv node; ReLU after it when asked. */
function convBn(g: GraphBuilder, x: GraphValue, conv: Module, bn: Module, prefix: string, relu: boolean, output?: string): GraphValue {
  if (!(conv instanceof Conv2d)) throw new Error(`ResNet export: ${prefix} is not a Conv2d`);
  if (!(bn instanceof BatchNorm)) throw new Error(`ResNet export: the BatchNorm after ${prefix} is not one`);
  const w = conv.stateDict().get('weight')!;
  const [out, inPerGroup, kh, kw] = w.shape as [number, number, number, number];
  if (kh !== kw) throw new Error(`ResNet export: ${prefix} has a ${kh}x${kw} kernel; only square kernels are exported`);
  const t = bn.tensors();
  const folded = foldBatchNorm(
    { weight: floats(w)!, outChannels: out, bias: floats(conv.stateDict().get('bias') ?? null) },
    { gamma: floats(t.weight), beta: floats(t.bias), mean: floats(t.runningMean)!, variance: floats(t.runningVar)!, eps: bn.eps },
  );
  if (inPerGroup * conv.groups !== x.channels) throw new Error(`ResNet export: ${prefix} takes ${inPerGroup * conv.groups} channels, its input has ${x.channels}`);
  const weight = g.constant(`${prefix}.weight`, [out, inPerGroup, kh, kw], folded.weight);
  const bias = g.constant(`${prefix}.bias`, [out], folded.bias);
  const p = conv.padding;
  const attrs = { kernel_shape: [kh, kw], strides: [conv.stride, conv.stride], pads: [p, p, p, p], dilations: [conv.dilation, conv.dilation], group: conv.groups };
  const size = outputSide(x.size, kh, conv.stride, p, conv.dilation);
  const y = g.node('Conv', [x.name, weight, bias], attrs, relu ? undefined : output);
  return { name: relu ? g.node('Relu', [y], {}, output) : y, channels: out, size };
}

/** One BasicBlock or Bottleneck: the residual branch, the shortcut, Add, ReLU. */
function block(g: GraphBuilder, x: GraphValue, b: Module, prefix: string, output?: string): GraphValue {
  const names = new Set(b.children().map(([n]) => n));
  const convs = names.has('conv3') ? 3 : 2;
  let h = x;
  for (let i = 1; i <= convs; i++) h = convBn(g, h, child(b, `conv${i}`, prefix), child(b, `bn${i}`, prefix), `${prefix}.conv${i}`, i < convs);
  let shortcut = x;
  if (names.has('downsample')) {
    const d = child(b, 'downsample', prefix);
    shortcut = convBn(g, x, child(d, '0', `${prefix}.downsample`), child(d, '1', `${prefix}.downsample`), `${prefix}.downsample.0`, false);
  }
  if (shortcut.channels !== h.channels || shortcut.size !== h.size) throw new Error(`ResNet export: ${prefix} adds [${h.channels}, ${h.size}] to [${shortcut.channels}, ${shortcut.size}]`);
  const sum = g.node('Add', [h.name, shortcut.name]);
  return { name: g.node('Relu', [sum], {}, output), channels: h.channels, size: h.size };
}

/**
 * Emits the encoder from `input` to the layer4 feature maps (after the last ReLU), which are
 * named `output`. Returns that value; global average pooling is left to the caller.
 */
export function emitResNet(g: GraphBuilder, encoder: ResNet, input: GraphValue, output: string): GraphValue {
  if (input.channels !== encoder.config.inChannels) throw new Error(`ResNet export: the encoder takes ${encoder.config.inChannels} channels, the input has ${input.channels}`);
  let h = convBn(g, input, encoder.conv1, encoder.bn1, 'conv1', true);
  if (encoder.config.stem === 'imagenet') {
    const { kernel, stride, padding } = IMAGENET_MAX_POOL;
    const pooled = g.node('MaxPool', [h.name], { kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [padding, padding, padding, padding] });
    h = { name: pooled, channels: h.channels, size: outputSide(h.size, kernel, stride, padding) };
  }
  const layers = [encoder.layer1, encoder.layer2, encoder.layer3, encoder.layer4];
  layers.forEach((layer, l) => {
    const blocks = layer.children();
    blocks.forEach(([name, b], i) => {
      const last = l === layers.length - 1 && i === blocks.length - 1;
      h = block(g, h, b, `layer${l + 1}.${name}`, last ? output : undefined);
    });
  });
  if (h.channels !== encoder.featureDim) throw new Error(`ResNet export: layer4 has ${h.channels} channels, the encoder says ${encoder.featureDim}`);
  return h;
}
