/**
 * The batched inference loop that feature extraction and prediction share: the models in
 * inference mode (BatchNorm uses and keeps its running statistics), no autograd, bf16 autocast
 * when asked, each batch moved to the models' device and its result brought back to the CPU.
 */
import { Tensor, tidy, noGrad, keep, F, type Device } from '../tensor/index.js';
import type { Module } from '../nn/module.js';
import { modelInput, withAutocast, toCpu } from './device.js';

export interface InferenceOptions {
  batchSize?: number;
  bf16?: boolean;
  channelsLast?: boolean;
  /** Where the models' weights are; batches go there and results come back to the CPU. */
  device?: Device;
}

export interface InferenceLoop {
  /** The models set to inference mode for the loop (their modes are restored after it). */
  models: Module[];
  /** Under autocast: a batch on the device to the models' output. */
  forward: (x: Tensor) => Tensor;
  /** Outside autocast, so it computes in float32: the output to the row block returned. */
  finish: (y: Tensor) => Tensor;
  batchSize: number;
}

/** images [N, ...] -> the rows of every batch's finished output, in order, on the CPU. */
export function inferInBatches(images: Tensor, loop: InferenceLoop, o: InferenceOptions = {}): Tensor {
  const modes = loop.models.flatMap(trainingModes);
  for (const m of loop.models) m.eval();
  const n = images.shape[0]!;
  const bs = loop.batchSize;
  const parts: Tensor[] = [];
  try {
    for (let i = 0; i < n; i += bs) {
      parts.push(keep(tidy(() => noGrad(() => {
        const x = modelInput(images.narrow(0, i, Math.min(bs, n - i)), o.device, o.channelsLast ?? false);
        const y = withAutocast(o.device, o.bf16 ?? false, () => loop.forward(x));
        return toCpu(loop.finish(y));
      }))));
    }
    return tidy(() => F.cat(parts, 0));
  } finally {
    for (const p of parts) p.dispose();
    // Module by module: a model fine-tuned in part (layer4 training, the rest frozen) gets that
    // mix back, where train(flag) would set every child alike.
    for (const [m, training] of modes) m.training = training;
  }
}

function trainingModes(m: Module): [Module, boolean][] {
  return [[m, m.training], ...m.children().flatMap(([, c]) => trainingModes(c))];
}
