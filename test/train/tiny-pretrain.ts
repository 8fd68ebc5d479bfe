/** The tiny SimCLR setting the pretraining tests share (in-process and as ranks of a group). */
import { rand, Generator } from '../../src/tensor/index.js';
import { pretrainDefaults, type PretrainConfig } from '../../src/train/pretrain.js';

export function tinyConfig(): PretrainConfig {
  const c = pretrainDefaults();
  c.encoder = { depth: 18, stem: 'cifar', width: 4, inChannels: 1 };
  c.projection = { hidden: 16, out: 8, variant: 'v1' };
  c.epochs = 2;
  c.batchSize = 8;
  c.optimizer.warmupEpochs = 1;
  c.checkpointEvery = 1;
  c.bf16 = false;
  c.channelsLast = false;
  return c;
}

/** 24 random 16x16 images, the same in every process. */
export function tinyImages() {
  return rand([24, 1, 16, 16], { generator: Generator.seeded(9) });
}
