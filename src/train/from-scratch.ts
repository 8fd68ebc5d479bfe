/**
 * Networks from scratch: the untrained encoder that pretraining must beat, and the paper's
 * supervised baseline, the same architecture trained on the labels with every layer trainable.
 * The initialisation is seeded: the default generator's seed is random per process, which made
 * runs irreproducible and data-parallel ranks disagree.
 */
import { Generator } from '../tensor/index.js';
import type { ResNet } from '../nn/resnet.js';
import { buildEncoder, type EncoderConfig } from './encoder-io.js';
import { TRAINABLE } from './finetune-mode.js';
import type { CvMethod } from './cross-validation.js';
import type { ClassifierTrainingConfig } from './supervised.js';

export function seededEncoder(arch: EncoderConfig, seed: number, o: { channelsLast?: boolean } = {}): ResNet {
  const encoder = buildEncoder(arch, Generator.seeded(seed));
  return o.channelsLast ? encoder.to({ memoryFormat: 'channelsLast' }) : encoder;
}

/** The supervised baseline for cross-validation: every fold starts from the same seeded weights, channels-last. */
export function supervisedBaseline(arch: EncoderConfig, seed: number, config: Partial<ClassifierTrainingConfig>): CvMethod {
  return {
    kind: 'train',
    trainable: TRAINABLE.full,
    makeEncoder: () => seededEncoder(arch, seed, { channelsLast: true }),
    config: { channelsLast: true, ...config },
  };
}
