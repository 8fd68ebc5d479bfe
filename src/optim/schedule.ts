/**
 * SimCLR's learning rate: batch-size scaling, then linear warm-up from 0 and cosine decay to 0
 * (google-research/simclr tf2/model.py WarmUpAndCosineDecay, get_train_steps).
 * Pure functions of the global step (0-based, one step = one optimiser update).
 */

export type LearningRateScaling = 'linear' | 'sqrt' | 'none';

/** linear: base * B / 256; sqrt: base * sqrt(B) (SimCLR's two rules); none: base unchanged. */
export function scaledLearningRate(base: number, batchSize: number, scaling: LearningRateScaling): number {
  if (!(batchSize > 0) || !Number.isInteger(batchSize)) throw new Error(`batch size must be a positive integer, got ${batchSize}`);
  switch (scaling) {
    case 'linear':
      return (base * batchSize) / 256;
    case 'sqrt':
      return base * Math.sqrt(batchSize);
    case 'none':
      return base;
    default:
      throw new Error(`unknown learning-rate scaling '${String(scaling)}' (linear, sqrt or none)`);
  }
}

export interface ScheduleConfig {
  /** Base learning rate before scaling (SimCLR flag default 0.3 with linear scaling). */
  baseLearningRate: number;
  batchSize: number;
  /** Training examples per epoch. */
  numExamples: number;
  /** Training epochs; ignored when trainSteps is given. */
  epochs: number;
  /** SimCLR default 10; may be fractional. */
  warmupEpochs?: number;
  /** Default 'linear' (SimCLR's flag default). */
  scaling?: LearningRateScaling;
  /** Overrides the step count derived from epochs (SimCLR's --train_steps). */
  trainSteps?: number;
}

/**
 * Python's float floor division `a // b` (floatobject.c float_floor_div): the fmod route, so
 * results match SimCLR's `warmup_epochs * num_examples // batch` even where a / b rounds up
 * to an integer.
 */
function pyFloorDiv(a: number, b: number): number {
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && (b < 0) !== (mod < 0)) {
    mod += b;
    div -= 1;
  }
  const floor = Math.floor(div);
  return div - floor > 0.5 ? floor + 1 : floor;
}

/** int(round(warmup_epochs * num_examples // batch)): a floor, since // already floors. */
export function warmupSteps(c: ScheduleConfig): number {
  return Math.round(pyFloorDiv((c.warmupEpochs ?? 10) * c.numExamples, c.batchSize));
}

/** train_steps or num_examples * epochs // batch + 1 (the +1 makes the last trained step's rate > 0). */
export function totalSteps(c: ScheduleConfig): number {
  if (c.trainSteps !== undefined) return c.trainSteps;
  return Math.floor((c.numExamples * c.epochs) / c.batchSize) + 1;
}

/**
 * step < warmup: step / warmup * lr; otherwise Keras CosineDecay(lr, total - warmup) at
 * step - warmup: lr * 0.5 * (1 + cos(pi * min(step - warmup, decay) / decay)), reaching 0 at `total`.
 */
export function learningRateAt(step: number, c: ScheduleConfig): number {
  if (!(step >= 0)) throw new Error(`step must be >= 0, got ${step}`);
  const lr = scaledLearningRate(c.baseLearningRate, c.batchSize, c.scaling ?? 'linear');
  const warmup = warmupSteps(c);
  if (step < warmup) return (step / warmup) * lr;
  const decay = totalSteps(c) - warmup;
  // Keras would divide 0 by 0 here; a schedule with no decay phase has finished: rate 0.
  if (decay <= 0) return 0;
  const done = Math.min(step - warmup, decay) / decay;
  return lr * 0.5 * (1 + Math.cos(Math.PI * done));
}
