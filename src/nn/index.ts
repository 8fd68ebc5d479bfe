/** Modules (ResNet encoders, heads, attention MIL) and the NT-Xent loss, on the tensor layer. */
export { Module } from './module.js';
export { Conv2d, BatchNorm, Linear, Sequential, type Conv2dConfig, type BatchNormSync } from './layers.js';
export { ResNet, resnet, type ResNetConfig, type ResNetDepth, type ResNetActivations, type Stem } from './resnet.js';
export { projectionHead, LinearClassifier, type ProjectionHeadConfig, type ProjectionVariant } from './heads.js';
export { AttentionMil, type AttentionMilConfig, type MilOutput } from './attention-mil.js';
export { ntXent, type NtXentOptions, type NtXentResult } from './ntxent.js';
export * as init from './init.js';
